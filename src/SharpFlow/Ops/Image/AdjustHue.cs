using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>AdjustHue (<c>tf.image.adjust_hue</c>): RGB images with every hue moved by delta (a fraction of the colour circle). As in TensorFlow 1.x it has no gradient.</summary>
internal sealed class AdjustHue : ColorOp
{
    public static readonly AdjustHue Def = new();

    public override string Type => "AdjustHue";

    public override bool NotDifferentiable => true;

    protected override bool HasScalar => true;

    protected override void Run(NDArray x, NDArray y, float scalar)
    {
        if (x.dtype == DType.float32) ColorKernels.AdjustHue(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), scalar);
        else ColorKernels.AdjustHue(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), (double)scalar);
    }

    /// <summary><c>tf.image.adjust_hue</c>.</summary>
    public static Tensor Build(TensorLike images, TensorLike scalar, string? name = null) => Def.Create(images, scalar, name);
}
