using SharpFlow.Framework;
using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatMul: the matrix product of two rank-2 tensors, optionally transposing either first
/// (<c>transpose_a</c>, <c>transpose_b</c>).
/// </summary>
internal sealed class MatMul : OpDef
{
    public static readonly MatMul Def = new();

    private static readonly OpAttr<bool> TransposeA = new("transpose_a", false);
    internal static readonly OpAttr<bool> TransposeB = new("transpose_b", false);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "MatMul";

    public override void InferShapes(InferenceContext ctx)
    {
        var (da, db) = (ctx.InputDType(0), ctx.InputDType(1));
        if (da != db) throw ctx.TypeError($"inputs have different dtypes: {da.name} and {db.name}");
        if (!(da.is_floating || da == DType.int32 || da == DType.int64))
            throw ctx.TypeError($"dtype {da.name} is not supported (float32, float64, int32 or int64)");
        var (a, b) = (ctx.InputShape(0), ctx.InputShape(1));
        if ((a.IsKnownRank && a.ndims != 2) || (b.IsKnownRank && b.ndims != 2))
            throw ctx.Error($"both inputs must be matrices (rank 2), got shapes {a.ToListString()} and {b.ToListString()}");
        var ta = TransposeA.Of(ctx);
        var tb = TransposeB.Of(ctx);
        var m = a.IsKnownRank ? a[ta ? 1 : 0] : -1;
        var ka = a.IsKnownRank ? a[ta ? 0 : 1] : -1;
        var kb = b.IsKnownRank ? b[tb ? 1 : 0] : -1;
        var n = b.IsKnownRank ? b[tb ? 0 : 1] : -1;
        if (ka >= 0 && kb >= 0 && ka != kb)
            throw ctx.Error($"inner dimensions differ: {a.ToListString()}{(ta ? "ᵀ" : "")} x {b.ToListString()}{(tb ? "ᵀ" : "")}");
        ctx.AddOutput(da, new Shape(m, n));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var ta = TransposeA.Of(op);
        var tb = TransposeB.Of(op);
        var constantB = new ConstantOperand(); // a constant B is packed once for the session's runs
        return OpKernel.From(ctx =>
        {
            var a = ctx.Input(0);
            var b = ctx.Input(1);
            if (a.ndim != 2 || b.ndim != 2)
                throw ctx.InvalidArgument($"In[0] and In[1] must be matrices: {a.shape.ToListString()} {b.shape.ToListString()}");
            var m = a.shape[ta ? 1 : 0];
            var k = a.shape[ta ? 0 : 1];
            var kb = b.shape[tb ? 1 : 0];
            var n = b.shape[tb ? 0 : 1];
            if (k != kb)
                throw ctx.InvalidArgument($"Matrix size-incompatible: In[0]: {a.shape.ToListString()}, In[1]: {b.shape.ToListString()}");
            var c = ctx.AllocateUninitializedOutput(0, a.dtype, new Shape(m, n));
            switch (a.dtype.Id)
            {
                case DataType.Float: Gemm.Multiply(a.AsReadOnlySpan<float>(), b.AsReadOnlySpan<float>(), c.AsSpan<float>(), m, k, n, ta, tb, constantB?.Panels(b, m, k, n, tb)); break;
                case DataType.Double: Gemm.Multiply(a.AsReadOnlySpan<double>(), b.AsReadOnlySpan<double>(), c.AsSpan<double>(), m, k, n, ta, tb); break;
                // float16: the float32 product of the widened inputs, rounded to half once (Framework/Dispatch/HalfPrecision).
                case DataType.Half: HalfPrecision.ViaFloat32(a, b, c, (a32, b32, c32) => Gemm.Multiply(a32.AsReadOnlySpan<float>(), b32.AsReadOnlySpan<float>(), c32.AsSpan<float>(), m, k, n, ta, tb)); break;
                case DataType.Int32: Gemm.Multiply(a.AsReadOnlySpan<int>(), b.AsReadOnlySpan<int>(), c.AsSpan<int>(), m, k, n, ta, tb); break;
                default: Gemm.Multiply(a.AsReadOnlySpan<long>(), b.AsReadOnlySpan<long>(), c.AsSpan<long>(), m, k, n, ta, tb); break;
            }
        });
    }

    /// <summary><c>tf.matmul(a, b, transpose_a, transpose_b)</c>.</summary>
    public static Tensor Build(TensorLike a, TensorLike b, bool transposeA = false, bool transposeB = false, string? name = null)
    {
        using var builder = OpBuilder.Begin(name, "MatMul", a, b);
        var inputs = builder.SameType("MatMul", [a, b], ["a", "b"]);
        return builder.Create(Def, inputs, new() { { T, inputs[0].dtype }, { TransposeA, transposeA }, { TransposeB, transposeB } }).outputs[0];
    }

    /// <summary>The four cases of TensorFlow's <c>_MatMulGrad</c>: each gradient is one more MatMul.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, a, b) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var ta = TransposeA.Of(op);
        var tb = TransposeB.Of(op);
        return (ta, tb) switch
        {
            (false, false) => [Build(g, b, transposeB: true), Build(a, g, transposeA: true)],
            (false, true) => [Build(g, b), Build(g, a, transposeA: true)],
            (true, false) => [Build(b, g, transposeB: true), Build(a, g)],
            _ => [Build(b, g, transposeA: true, transposeB: true), Build(g, a, transposeA: true, transposeB: true)],
        };
    }
}
