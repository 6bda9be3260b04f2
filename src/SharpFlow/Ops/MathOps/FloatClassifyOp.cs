using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>The shared rule of IsNan, IsInf and IsFinite: a float input, a bool output of its shape.</summary>
internal abstract class FloatClassifyOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");

    /// <summary>The test of one element.</summary>
    protected abstract bool Test(double x);

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var dx = ctx.InputDType(0);
        if (!dx.is_floating) throw ctx.TypeError($"dtype {dx.name} is not supported (float32 or float64)");
        ctx.AddOutput(DType.@bool, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var y = ctx.AllocateUninitializedOutput(0, DType.@bool, x.shape).AsSpan<bool>();
        if (x.dtype == DType.float32)
        {
            var xs = x.AsReadOnlySpan<float>();
            for (var i = 0; i < y.Length; i++) y[i] = Test(xs[i]);
        }
        else
        {
            var xs = x.AsReadOnlySpan<double>();
            for (var i = 0; i < y.Length; i++) y[i] = Test(xs[i]);
        }
    });

    /// <summary>Builds the op.</summary>
    public Tensor Apply(TensorLike x, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, x);
        var input = b.Convert(x, "x");
        return b.Create(this, [input], new() { { T, input.dtype } }).outputs[0];
    }
}
