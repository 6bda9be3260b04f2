namespace SharpFlow.Ops.NN;

/// <summary>
/// FusedBatchNormGradV2: the gradients of FusedBatchNormV2 with respect to x, scale and offset. See
/// <see cref="FusedBatchNormGradOpBase"/>.
/// </summary>
internal sealed class FusedBatchNormGradV2 : FusedBatchNormGradOpBase
{
    public static readonly FusedBatchNormGradV2 Def = new();

    public override string Type => "FusedBatchNormGradV2";

    protected override int Version => 2;

    /// <summary>
    /// TensorFlow's generated <c>gen_nn_ops.fused_batch_norm_grad_v2</c>: outputs x_backprop, scale_backprop,
    /// offset_backprop and two empty placeholders.
    /// </summary>
    public static Tensor[] Build(TensorLike yBackprop, TensorLike x, TensorLike scale, TensorLike reserveSpace1, TensorLike reserveSpace2, double epsilon = 0.0001,
        string dataFormat = "NHWC", bool isTraining = true, string? name = null) =>
        Def.BuildOp("FusedBatchNormGradV2", yBackprop, x, scale, reserveSpace1, reserveSpace2, null, epsilon, dataFormat, isTraining, name);
}
