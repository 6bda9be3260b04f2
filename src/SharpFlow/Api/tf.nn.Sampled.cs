#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Ops.RandomOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class nn
        {
            /// <summary>
            /// <c>tf.nn.nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
            /// remove_accidental_hits, partition_strategy)</c>: noise-contrastive estimation, one loss per example
            /// (<c>[batch]</c>); <paramref name="weights"/> is <c>[num_classes, dim]</c>, <paramref name="labels"/>
            /// int64 <c>[batch, num_true]</c>. Negatives come from <see cref="log_uniform_candidate_sampler"/> unless
            /// <paramref name="sampled_values"/> are given.
            /// </summary>
            public static Tensor nce_loss(TensorLike weights, TensorLike biases, TensorLike labels, TensorLike inputs, int num_sampled, long num_classes,
                int num_true = 1, (Tensor, Tensor, Tensor)? sampled_values = null, bool remove_accidental_hits = false, string partition_strategy = "mod",
                string name = "nce_loss") =>
                SampledLosses.Nce([weights], biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values, remove_accidental_hits, partition_strategy, name);

            /// <summary><c>tf.nn.nce_loss</c> with the class weights sharded over several variables.</summary>
            public static Tensor nce_loss(IReadOnlyList<Tensor> weights, TensorLike biases, TensorLike labels, TensorLike inputs, int num_sampled, long num_classes,
                int num_true = 1, (Tensor, Tensor, Tensor)? sampled_values = null, bool remove_accidental_hits = false, string partition_strategy = "mod",
                string name = "nce_loss") =>
                SampledLosses.Nce([.. weights.Select(w => (TensorLike)w)], biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values, remove_accidental_hits, partition_strategy, name);

            /// <summary>
            /// <c>tf.nn.sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
            /// sampled_values, remove_accidental_hits, partition_strategy, name, seed)</c>: the softmax cross entropy
            /// over the true class and <paramref name="num_sampled"/> sampled classes, per example (<c>[batch]</c>).
            /// </summary>
            public static Tensor sampled_softmax_loss(TensorLike weights, TensorLike biases, TensorLike labels, TensorLike inputs, int num_sampled, long num_classes,
                int num_true = 1, (Tensor, Tensor, Tensor)? sampled_values = null, bool remove_accidental_hits = true, string partition_strategy = "mod",
                string name = "sampled_softmax_loss", int? seed = null) =>
                SampledLosses.SampledSoftmax([weights], biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values, remove_accidental_hits, partition_strategy, name, seed);

            /// <summary>
            /// <c>tf.nn.log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed)</c>:
            /// classes drawn with P(k) = log((k+2)/(k+1)) / log(range_max+1); returns (sampled_candidates,
            /// true_expected_count, sampled_expected_count).
            /// </summary>
            public static (Tensor sampled_candidates, Tensor true_expected_count, Tensor sampled_expected_count) log_uniform_candidate_sampler(
                TensorLike true_classes, int num_true, int num_sampled, bool unique, long range_max, int? seed = null, string? name = null) =>
                LogUniformCandidateSampler.Build(true_classes, num_true, num_sampled, unique, range_max, seed, name);

            /// <summary><c>tf.nn.uniform_candidate_sampler</c>: classes drawn uniformly from <c>[0, range_max)</c>.</summary>
            public static (Tensor sampled_candidates, Tensor true_expected_count, Tensor sampled_expected_count) uniform_candidate_sampler(
                TensorLike true_classes, int num_true, int num_sampled, bool unique, long range_max, int? seed = null, string? name = null) =>
                UniformCandidateSampler.Build(true_classes, num_true, num_sampled, unique, range_max, seed, name);

            /// <summary><c>tf.nn.compute_accidental_hits(true_classes, sampled_candidates, num_true)</c>: (indices, ids, weights).</summary>
            public static (Tensor indices, Tensor ids, Tensor weights) compute_accidental_hits(TensorLike true_classes, TensorLike sampled_candidates, int num_true,
                int? seed = null, string? name = null) =>
                ComputeAccidentalHits.Build(true_classes, sampled_candidates, num_true, seed, name);
        }
    }
}
