namespace SharpFlow.Ops.NN;

/// <summary>
/// FusedBatchNormV3: batch normalization in one op (V2 with a sixth output, reserve_space_3 (a scalar on the CPU), and NDHWC/NCDHW 5-D inputs; <c>tf.nn.fused_batch_norm</c> builds it). See <see cref="FusedBatchNormOpBase"/> for the
/// semantics; the gradient is FusedBatchNormGradV3.
/// </summary>
internal sealed class FusedBatchNormV3 : FusedBatchNormOpBase
{
    public static readonly FusedBatchNormV3 Def = new();

    public override string Type => "FusedBatchNormV3";

    protected override int Version => 3;

    /// <summary>
    /// TensorFlow's generated <c>gen_nn_ops.fused_batch_norm_v3</c>: outputs y, batch_mean, batch_variance, reserve_space_1,
    /// reserve_space_2, reserve_space_3.
    /// </summary>
    public static Tensor[] Build(TensorLike x, TensorLike scale, TensorLike offset, TensorLike mean, TensorLike variance, double epsilon = 0.0001,
        string dataFormat = "NHWC", bool isTraining = true, double exponentialAvgFactor = 1.0, string? name = null) =>
        Def.BuildOp("FusedBatchNormV3", x, scale, offset, mean, variance, epsilon, exponentialAvgFactor, dataFormat, isTraining, name);
}
