using System.Numerics.Tensors;
using SharpFlow.Framework;

namespace SharpFlow.Ops.NN;

/// <summary>L2Loss: <c>sum(t²) / 2</c>, a scalar (<c>tf.nn.l2_loss</c>).</summary>
internal sealed class L2Loss : OpDef
{
    public static readonly L2Loss Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "L2Loss";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!d.is_floating) throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
        ctx.AddOutput(d, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var t = ctx.Input(0);
        var y = ctx.AllocateOutput(0, t.dtype, Shape.Scalar);
        if (t.dtype == DType.float32) y.AsSpan<float>()[0] = (float)(SumOfSquares(t.AsReadOnlySpan<float>()) / 2);
        else y.AsSpan<double>()[0] = SumOfSquares(t.AsReadOnlySpan<double>()) / 2;
    });

    // Accumulated in double so that large float32 tensors do not lose their small terms.
    private static double SumOfSquares(ReadOnlySpan<float> x)
    {
        var sum = 0.0;
        foreach (var v in x) sum += (double)v * v;
        return sum;
    }

    private static double SumOfSquares(ReadOnlySpan<double> x) => TensorPrimitives.SumOfSquares(x);

    /// <summary>d(sum(t²)/2) = t*g.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [MathOps.Mul.Build(op.inputs[0], grads[0]!)];

    /// <summary><c>tf.nn.l2_loss(t)</c>.</summary>
    public static Tensor Build(TensorLike t, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "L2Loss", t);
        var x = b.Convert(t, "t");
        return b.Create(Def, [x], new() { { T, x.dtype } }).outputs[0];
    }
}
