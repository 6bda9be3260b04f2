using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>LeakyReluGrad: gradients where features &gt; 0, alpha·gradients elsewhere.</summary>
internal sealed class LeakyReluGrad : MathOps.FloatBinaryOp
{
    public static readonly LeakyReluGrad Def = new();

    private static readonly OpAttr<float> Alpha = new("alpha", 0.2f);

    public override string Type => "LeakyReluGrad";

    protected override (string A, string B) InputNames => ("gradients", "features");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => throw new InvalidOperationException("LeakyReluGrad computes in its own kernel");

    public override OpKernel CreateKernel(Operation op)
    {
        var alpha = Alpha.Of(op);
        return OpKernel.From(ctx =>
        {
            var (g, x) = (ctx.Input(0), ctx.Input(1));
            if (g.shape != x.shape)
                throw ctx.InvalidArgument($"gradients and features must be the same size: {g.shape.ToListString()} vs. {x.shape.ToListString()}");
            var d = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
            if (x.dtype == DType.float32) LeakyReluKernels.Gradient(g.AsReadOnlySpan<float>(), x.AsReadOnlySpan<float>(), d.AsSpan<float>(), alpha);
            else LeakyReluKernels.Gradient(g.AsReadOnlySpan<double>(), x.AsReadOnlySpan<double>(), d.AsSpan<double>(), (double)alpha);
        });
    }

    /// <summary>Builds the op.</summary>
    public static Tensor Build(Tensor gradients, Tensor features, float alpha, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "LeakyReluGrad", gradients, features);
        var inputs = b.SameType("LeakyReluGrad", [gradients, features], ["gradients", "features"]);
        return b.Create(Def, inputs, new() { { T, inputs[0].dtype }, { Alpha, alpha } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_LeakyReluGradGrad</c>: (LeakyReluGrad(g, x, alpha), 0).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var x = op.inputs[1];
        return [Build(grads[0]!, x, Alpha.Of(op)), ArrayOps.ZerosLike.Def.Apply(x, null, optimize: true, null)];
    }
}
