namespace SharpFlow.Ops.NN;

/// <summary>
/// FusedBatchNormV2: batch normalization in one op (a float16 or float32 x (T) with float32 statistics (U)). See <see cref="FusedBatchNormOpBase"/> for the
/// semantics; the gradient is FusedBatchNormGradV2.
/// </summary>
internal sealed class FusedBatchNormV2 : FusedBatchNormOpBase
{
    public static readonly FusedBatchNormV2 Def = new();

    public override string Type => "FusedBatchNormV2";

    protected override int Version => 2;

    /// <summary>
    /// TensorFlow's generated <c>gen_nn_ops.fused_batch_norm_v2</c>: outputs y, batch_mean, batch_variance, reserve_space_1,
    /// reserve_space_2.
    /// </summary>
    public static Tensor[] Build(TensorLike x, TensorLike scale, TensorLike offset, TensorLike mean, TensorLike variance, double epsilon = 0.0001,
        string dataFormat = "NHWC", bool isTraining = true, double exponentialAvgFactor = 1.0, string? name = null) =>
        Def.BuildOp("FusedBatchNormV2", x, scale, offset, mean, variance, epsilon, exponentialAvgFactor, dataFormat, isTraining, name);
}
