using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>LeakyRelu: x where x &gt; 0, alpha·x elsewhere (attribute <c>alpha</c>, default 0.2).</summary>
internal sealed class LeakyRelu : MathOps.FloatUnaryOp
{
    public static readonly LeakyRelu Def = new();

    private static readonly OpAttr<float> Alpha = new("alpha", 0.2f);

    public override string Type => "LeakyRelu";

    protected override void Compute(NDArray x, NDArray y) => throw new InvalidOperationException("LeakyRelu computes in its own kernel");

    public override OpKernel CreateKernel(Operation op)
    {
        var alpha = Alpha.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
            if (x.dtype == DType.float32) LeakyReluKernels.Forward(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), alpha);
            else LeakyReluKernels.Forward(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), (double)alpha);
        });
    }

    /// <summary>
    /// <c>tf.nn.leaky_relu(features, alpha)</c>: integer features become float32 first, as in TensorFlow.
    /// </summary>
    public static Tensor Build(TensorLike features, double alpha = 0.2, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "LeakyRelu", features);
        var x = b.Convert(features, "features");
        if (x.dtype.is_integer) x = MathOps.Cast.Build(x, DType.float32);
        return b.Create(Def, [x], new() { { T, x.dtype }, { Alpha, (float)alpha } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_LeakyReluGrad</c>: LeakyReluGrad(g, x, alpha).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [LeakyReluGrad.Build(grads[0]!, op.inputs[0], Alpha.Of(op))];
}
