namespace SharpFlow.Ops.NN;

/// <summary>
/// FusedBatchNormGrad: the gradients of FusedBatchNorm with respect to x, scale and offset. See
/// <see cref="FusedBatchNormGradOpBase"/>.
/// </summary>
internal sealed class FusedBatchNormGrad : FusedBatchNormGradOpBase
{
    public static readonly FusedBatchNormGrad Def = new();

    public override string Type => "FusedBatchNormGrad";

    protected override int Version => 1;

    /// <summary>
    /// TensorFlow's generated <c>gen_nn_ops.fused_batch_norm_grad</c>: outputs x_backprop, scale_backprop,
    /// offset_backprop and two empty placeholders.
    /// </summary>
    public static Tensor[] Build(TensorLike yBackprop, TensorLike x, TensorLike scale, TensorLike reserveSpace1, TensorLike reserveSpace2, double epsilon = 0.0001,
        string dataFormat = "NHWC", bool isTraining = true, string? name = null) =>
        Def.BuildOp("FusedBatchNormGrad", yBackprop, x, scale, reserveSpace1, reserveSpace2, null, epsilon, dataFormat, isTraining, name);
}
