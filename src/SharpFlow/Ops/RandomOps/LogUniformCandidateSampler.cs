using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>LogUniformCandidateSampler (<c>tf.nn.log_uniform_candidate_sampler</c>): classes drawn from the Zipf-like <see cref="LogUniformSampler"/>.</summary>
internal sealed class LogUniformCandidateSampler : CandidateSamplerOp
{
    public static readonly LogUniformCandidateSampler Def = new();

    public override string Type => "LogUniformCandidateSampler";

    protected override RangeSampler CreateSampler(long rangeMax) => new LogUniformSampler(rangeMax);

    /// <summary><c>tf.nn.log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed)</c>.</summary>
    public static (Tensor sampled_candidates, Tensor true_expected_count, Tensor sampled_expected_count) Build(TensorLike trueClasses, int numTrue,
        int numSampled, bool unique, long rangeMax, int? seed = null, string? name = null) =>
        Def.Create("LogUniformCandidateSampler", trueClasses, numTrue, numSampled, unique, rangeMax, seed, name);
}
