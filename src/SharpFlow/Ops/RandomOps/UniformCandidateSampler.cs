using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>UniformCandidateSampler (<c>tf.nn.uniform_candidate_sampler</c>): every class equally likely.</summary>
internal sealed class UniformCandidateSampler : CandidateSamplerOp
{
    public static readonly UniformCandidateSampler Def = new();

    public override string Type => "UniformCandidateSampler";

    protected override RangeSampler CreateSampler(long rangeMax) => new UniformSampler(rangeMax);

    /// <summary><c>tf.nn.uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed)</c>.</summary>
    public static (Tensor sampled_candidates, Tensor true_expected_count, Tensor sampled_expected_count) Build(TensorLike trueClasses, int numTrue,
        int numSampled, bool unique, long rangeMax, int? seed = null, string? name = null) =>
        Def.Create("UniformCandidateSampler", trueClasses, numTrue, numSampled, unique, rangeMax, seed, name);
}
