namespace SharpFlow.Ops.NN;

/// <summary>
/// FusedBatchNormGradV3: the gradients of FusedBatchNormV3 with respect to x, scale and offset. See
/// <see cref="FusedBatchNormGradOpBase"/>.
/// </summary>
internal sealed class FusedBatchNormGradV3 : FusedBatchNormGradOpBase
{
    public static readonly FusedBatchNormGradV3 Def = new();

    public override string Type => "FusedBatchNormGradV3";

    protected override int Version => 3;

    /// <summary>
    /// TensorFlow's generated <c>gen_nn_ops.fused_batch_norm_grad_v3</c>: outputs x_backprop, scale_backprop,
    /// offset_backprop and two empty placeholders.
    /// </summary>
    public static Tensor[] Build(TensorLike yBackprop, TensorLike x, TensorLike scale, TensorLike reserveSpace1, TensorLike reserveSpace2, TensorLike reserveSpace3, double epsilon = 0.0001,
        string dataFormat = "NHWC", bool isTraining = true, string? name = null) =>
        Def.BuildOp("FusedBatchNormGradV3", yBackprop, x, scale, reserveSpace1, reserveSpace2, reserveSpace3, epsilon, dataFormat, isTraining, name);
}
