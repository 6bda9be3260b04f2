using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>AdjustSaturation (<c>tf.image.adjust_saturation</c>): RGB images with every saturation multiplied by scale and clamped into [0, 1]. As in TensorFlow 1.x it has no gradient.</summary>
internal sealed class AdjustSaturation : ColorOp
{
    public static readonly AdjustSaturation Def = new();

    public override string Type => "AdjustSaturation";

    public override bool NotDifferentiable => true;

    protected override bool HasScalar => true;

    protected override void Run(NDArray x, NDArray y, float scalar)
    {
        if (x.dtype == DType.float32) ColorKernels.AdjustSaturation(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), scalar);
        else ColorKernels.AdjustSaturation(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), (double)scalar);
    }

    /// <summary><c>tf.image.adjust_saturation</c>.</summary>
    public static Tensor Build(TensorLike images, TensorLike scalar, string? name = null) => Def.Create(images, scalar, name);
}
