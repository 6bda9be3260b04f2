using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>HSVToRGB (<c>tf.image.hsv_to_rgb</c>): images [..., 3] of HSV values to RGB. As in TensorFlow 1.x it has no gradient.</summary>
internal sealed class HSVToRGB : ColorOp
{
    public static readonly HSVToRGB Def = new();

    public override string Type => "HSVToRGB";

    public override bool NotDifferentiable => true;

    protected override void Run(NDArray x, NDArray y, float scalar)
    {
        if (x.dtype == DType.float32) ColorKernels.HsvToRgb(x.AsReadOnlySpan<float>(), y.AsSpan<float>());
        else ColorKernels.HsvToRgb(x.AsReadOnlySpan<double>(), y.AsSpan<double>());
    }

    /// <summary><c>tf.image.hsv_to_rgb</c>.</summary>
    public static Tensor Build(TensorLike images, string? name = null) => Def.Create(images, null, name);
}
