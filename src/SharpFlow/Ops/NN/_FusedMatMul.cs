using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>
/// TensorFlow's internal <c>_FusedMatMul</c> (a, b, bias[, residual]) → act(a·b + bias [+ residual]): MatMul,
/// BiasAdd, optionally Add, and an optional activation (attr <c>fused_ops</c>, e.g. <c>["BiasAdd", "Relu"]</c> or
/// <c>["BiasAdd", "Add", "Relu"]</c> with <c>num_args = 2</c>) in one kernel: the packed GEMM applies them to each
/// tile of the product as soon as its sum is complete. Only the graph optimizer's remapper makes it, in optimized
/// plans: it is not in users' graphs and has no gradient.
/// </summary>
internal sealed class FusedMatMul : OpDef
{
    public static readonly FusedMatMul Def = new();

    private static readonly OpAttr<bool> TransposeA = new("transpose_a", false);
    private static readonly OpAttr<bool> TransposeB = new("transpose_b", false);

    public override string Type => "_FusedMatMul";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => FusedOps.InferShapes(ctx, MathOps.MatMul.Def);

    public override OpKernel CreateKernel(Operation op)
    {
        var ta = TransposeA.Of(op);
        var tb = TransposeB.Of(op);
        var fusion = FusedOps.FusionOf(op);
        var constantB = new ConstantOperand(); // a constant B is packed once for the session's runs
        return OpKernel.From(ctx =>
        {
            var (a, b) = (ctx.Input(0), ctx.Input(1));
            if (a.ndim != 2 || b.ndim != 2)
                throw ctx.InvalidArgument($"In[0] and In[1] must be matrices: {a.shape.ToListString()} {b.shape.ToListString()}");
            var m = a.shape[ta ? 1 : 0];
            var k = a.shape[ta ? 0 : 1];
            var n = b.shape[tb ? 0 : 1];
            if (k != b.shape[tb ? 1 : 0])
                throw ctx.InvalidArgument($"Matrix size-incompatible: In[0]: {a.shape.ToListString()}, In[1]: {b.shape.ToListString()}");
            FusedOps.Run(ctx, fusion, new Shape(m, n), (c, bias, residual, activation) =>
            {
                if (a.dtype == DType.float32)
                    Gemm.FusedMultiply(a.AsReadOnlySpan<float>(), b.AsReadOnlySpan<float>(), c.AsSpan<float>(), m, k, n, ta, tb, FusedOps.Float(bias, residual, activation),
                        constantB?.Panels(b, m, k, n, tb));
                else
                    Gemm.FusedMultiply(a.AsReadOnlySpan<double>(), b.AsReadOnlySpan<double>(), c.AsSpan<double>(), m, k, n, ta, tb, FusedOps.Double(bias, residual, activation));
            });
        });
    }
}
