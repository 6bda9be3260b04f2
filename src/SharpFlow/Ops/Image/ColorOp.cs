using SharpFlow.Framework;

namespace SharpFlow.Ops.Image;

/// <summary>
/// The shared rule of the per-pixel colour ops (RGBToHSV, HSVToRGB, AdjustHue, AdjustSaturation): float images whose
/// last dimension is 3, the same shape out; an optional scalar float second input (the delta or scale).
/// </summary>
internal abstract class ColorOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T", DType.float32);

    /// <summary>Whether the op takes a scalar second input.</summary>
    protected virtual bool HasScalar => false;

    /// <summary>The name of the first input in messages.</summary>
    protected virtual string InputName => "images";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!d.is_floating) throw ctx.TypeError($"{InputName} must be float32 or float64, got {d.name}");
        var x = ctx.InputShape(0);
        if (x.IsKnownRank && x.ndims < (HasScalar ? 3 : 1)) throw ctx.Error($"input must be at least {(HasScalar ? 3 : 1)}-D, got {x.ToListString()}");
        if (x.IsKnownRank && x[x.ndims - 1] is not (3 or -1)) throw ctx.Error($"input must have 3 channels but instead has {x[x.ndims - 1]} channels, got {x.ToListString()}");
        if (HasScalar)
        {
            if (ctx.InputDType(1) != DType.float32) throw ctx.TypeError($"the second input must be float32, got {ctx.InputDType(1).name}");
            var s = ctx.InputShape(1);
            if (s.IsKnownRank && s.ndims != 0) throw ctx.Error($"the second input must be scalar, got {s.ToListString()}");
        }
        ctx.AddOutput(d, x);
    }

    /// <summary>The per-pixel computation.</summary>
    protected abstract void Run(NDArray x, NDArray y, float scalar);

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (x.ndim < (HasScalar ? 3 : 1)) throw ctx.InvalidArgument($"input must be at least {(HasScalar ? 3 : 1)}-D{x.shape.ToListString()}");
        if (x.shape[x.ndim - 1] != 3) throw ctx.InvalidArgument($"input must have 3 channels but input only has {x.shape[x.ndim - 1]} channels.");
        var scalar = 0f;
        if (HasScalar)
        {
            var s = ctx.Input(1);
            if (s.ndim != 0) throw ctx.InvalidArgument($"the second input must be scalar: {s.shape.ToListString()}");
            scalar = s.ToArray<float>()[0];
        }
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        Run(x, y, scalar);
    });

    protected Tensor Create(TensorLike images, TensorLike? scalar, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, images);
        var x = b.Convert(images, InputName);
        Tensor[] inputs = scalar is { } s ? [x, b.Convert(s, "delta", DType.float32)] : [x];
        return b.Create(this, inputs, new() { { T, x.dtype } }).outputs[0];
    }
}
