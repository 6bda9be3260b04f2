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

    /// <summary>
    /// nn_impl.py's <c>fused_batch_norm</c>: a missing mean or variance becomes an empty constant (what training
    /// expects), epsilon is raised to at least 1.001e-5 (cuDNN's minimum, applied on every device), and the op is
    /// FusedBatchNormV3. Returns y, batch_mean and batch_variance.
    /// </summary>
    public static (Tensor Y, Tensor BatchMean, Tensor BatchVariance) Function(TensorLike x, TensorLike scale, TensorLike offset, TensorLike? mean,
        TensorLike? variance, double epsilon, string dataFormat, bool isTraining, string? name)
    {
        // Python's constant_op.constant([]) is float32; float64 statistics (SharpFlow's extension) take float64 ones.
        var statsType = scale.AsTensor?.dtype == DType.float64 ? DType.float64 : DType.float32;
        var m = mean ?? ArrayOps.Const.Build(NDArray.Zeros(statsType, new Shape(0)));
        var v = variance ?? ArrayOps.Const.Build(NDArray.Zeros(statsType, new Shape(0)));
        const double minEpsilon = 1.001e-5;
        var r = Build(x, scale, offset, m, v, epsilon > minEpsilon ? epsilon : minEpsilon, dataFormat, isTraining, name: name);
        return (r[0], r[1], r[2]);
    }
}
