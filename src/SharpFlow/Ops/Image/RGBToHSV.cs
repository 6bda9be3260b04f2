using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>RGBToHSV (<c>tf.image.rgb_to_hsv</c>): images [..., 3] of RGB values in [0, 1] to HSV, hue in [0, 1). As in TensorFlow 1.x it has no gradient.</summary>
internal sealed class RGBToHSV : ColorOp
{
    public static readonly RGBToHSV Def = new();

    public override string Type => "RGBToHSV";

    public override bool NotDifferentiable => true;

    protected override void Run(NDArray x, NDArray y, float scalar)
    {
        if (x.dtype == DType.float32) ColorKernels.RgbToHsv(x.AsReadOnlySpan<float>(), y.AsSpan<float>());
        else ColorKernels.RgbToHsv(x.AsReadOnlySpan<double>(), y.AsSpan<double>());
    }

    /// <summary><c>tf.image.rgb_to_hsv</c>.</summary>
    public static Tensor Build(TensorLike images, string? name = null) => Def.Create(images, null, name);
}
