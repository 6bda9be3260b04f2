namespace SharpFlow.Ops.NN;

/// <summary>
/// FusedBatchNorm: batch normalization in one op (the original op: float32 x and statistics (T), no U). See <see cref="FusedBatchNormOpBase"/> for the
/// semantics; the gradient is FusedBatchNormGrad.
/// </summary>
internal sealed class FusedBatchNorm : FusedBatchNormOpBase
{
    public static readonly FusedBatchNorm Def = new();

    public override string Type => "FusedBatchNorm";

    protected override int Version => 1;

    /// <summary>
    /// TensorFlow's generated <c>gen_nn_ops.fused_batch_norm</c>: outputs y, batch_mean, batch_variance, reserve_space_1,
    /// reserve_space_2.
    /// </summary>
    public static Tensor[] Build(TensorLike x, TensorLike scale, TensorLike offset, TensorLike mean, TensorLike variance, double epsilon = 0.0001,
        string dataFormat = "NHWC", bool isTraining = true, double exponentialAvgFactor = 1.0, string? name = null) =>
        Def.BuildOp("FusedBatchNorm", x, scale, offset, mean, variance, epsilon, exponentialAvgFactor, dataFormat, isTraining, name);
}
