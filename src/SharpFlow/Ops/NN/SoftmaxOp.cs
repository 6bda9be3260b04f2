using SharpFlow.Framework;

namespace SharpFlow.Ops.NN;

/// <summary>
/// The shared rule of Softmax and LogSoftmax: float logits of rank 1 or more, normalized over the last axis, the
/// output shaped like the input.
/// </summary>
internal abstract class SoftmaxOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");

    /// <summary>True for log-softmax.</summary>
    protected abstract bool Log { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!d.is_floating) throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
        var s = ctx.InputShape(0);
        if (s.IsKnownRank && s.ndims < 1) throw ctx.Error($"logits must have at least one dimension, got shape {s.ToListString()}");
        ctx.AddOutput(d, s);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (x.ndim < 1) throw ctx.InvalidArgument($"logits must have >= 1 dimension, got {x.shape.ToListString()}");
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        var classes = x.shape[x.ndim - 1];
        if (x.dtype == DType.float32) Kernels.Softmax.Forward(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), classes, Log);
        else Kernels.Softmax.Forward(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), classes, Log);
    });

    /// <summary>Builds the op.</summary>
    public Tensor Apply(TensorLike logits, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, logits);
        var x = b.Convert(logits, "logits");
        return b.Create(this, [x], new() { { T, x.dtype } }).outputs[0];
    }
}
