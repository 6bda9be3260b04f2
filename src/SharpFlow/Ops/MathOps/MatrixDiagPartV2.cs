using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatrixDiagPartV2 (<c>tf.linalg.diag_part(input, k=...)</c> of TensorFlow 1.15): the diagonals <c>k[0]..k[1]</c>
/// of each innermost <c>[m, n]</c> matrix, <c>[..., num_diags, max_diag_len]</c> (<c>[..., max_diag_len]</c> for one),
/// the uppermost first, shorter ones padded with <c>padding_value</c> (LEFT_LEFT; V3 chooses with <c>align</c>).
/// </summary>
internal class MatrixDiagPartV2 : OpDef
{
    public static readonly MatrixDiagPartV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "MatrixDiagPartV2";

    /// <summary>The <c>align</c> attribute (V3), null for V2.</summary>
    protected virtual string? AlignOf(IReadOnlyDictionary<string, object> attrs, string node) => null;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype == DType.@string) throw ctx.TypeError("dtype string is not supported");
        if (ctx.InputDType(2) != dtype) throw ctx.TypeError($"padding_value must be {dtype.name} like input, got {ctx.InputDType(2).name}");
        MatrixDiagBand.Alignment(AlignOf(ctx.Attrs, ctx.OpName), m => ctx.Error(m));
        var s = ctx.InputShape(0);
        if (s.IsKnownRank && s.ndims < 2) throw ctx.Error($"Shape must be at least rank 2 but is rank {s.ndims}");
        MatrixDiagBand.CheckScalar(ctx, 2, "padding_value");
        var k = MatrixDiagBand.ConstantK(ctx, 1);
        if (!s.IsKnownRank || k is not var (lower, upper))
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            return;
        }
        var (m, n) = (s[s.ndims - 2], s[s.ndims - 1]);
        MatrixDiagBand.CheckBounds(lower, upper, m, n, msg => ctx.Error(msg));
        var dims = s.Dims[..^2].ToList();
        if (lower < upper) dims.Add(upper - lower + 1);
        dims.Add(MatrixDiagBand.MaxDiagLen(lower, upper, m, n));
        ctx.AddOutput(dtype, new Shape([.. dims]));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var (leftSuper, leftSub) = MatrixDiagBand.Alignment(AlignOf(op.attrs, op.name), m => new InvalidArgumentError(m, op.name));
        return OpKernel.From(ctx =>
        {
            var (x, kIn, padding) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
            if (x.ndim < 2) throw ctx.InvalidArgument($"input must be at least 2-dim, received shape: {x.shape.ToListString()}");
            if (padding.ndim != 0) throw ctx.InvalidArgument($"padding_value must be a scalar, received shape {padding.shape.ToListString()}");
            var (lower, upper) = MatrixDiagBand.ReadK(kIn, ctx.InvalidArgument);
            var (m, n) = (x.shape[x.ndim - 2], x.shape[x.ndim - 1]);
            MatrixDiagBand.CheckBounds(lower, upper, m, n, ctx.InvalidArgument);
            var maxDiagLen = MatrixDiagBand.MaxDiagLen(lower, upper, m, n);
            var dims = x.shape.Dims[..^2].ToList();
            if (lower < upper) dims.Add(upper - lower + 1);
            dims.Add(maxDiagLen);
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, new Shape([.. dims]));
            MatrixDiagBandKernels.DiagPart(x.AsBytes(), padding.AsBytes(), y.AsWritableBytes(), MatrixDiagBand.Batch(x.shape, 2), m, n,
                lower, upper, maxDiagLen, leftSuper, leftSub, x.dtype.size);
        });
    }

    /// <summary>
    /// <c>tf.linalg.diag_part(input, k=k, padding_value=padding_value, align=align)</c>: MatrixDiagPartV3 with an
    /// <paramref name="align"/>, MatrixDiagPartV2 (LEFT_LEFT, TensorFlow 1.15's op) without.
    /// </summary>
    public static Tensor Build(TensorLike input, TensorLike k, TensorLike? paddingValue, string? align, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "diag_part", input, k);
        var x = b.Convert(input, "input");
        var kt = b.Convert(k, "k", DType.int32);
        var p = b.Convert(paddingValue ?? 0, "padding_value", x.dtype);
        if (align is null) return b.Create(Def, [x, kt, p], new() { { T, x.dtype } }).outputs[0];
        return b.Create(MatrixDiagPartV3.Def, [x, kt, p], new() { { T, x.dtype }, { MatrixDiagPartV3.Align, align } }).outputs[0];
    }

    /// <summary>
    /// TensorFlow's <c>_MatrixDiagPartV2Grad</c> / <c>_MatrixDiagPartV3Grad</c>: MatrixDiag of the gradient with the same
    /// <c>k</c> (and <c>align</c>) and the input's matrix size when it is known, else the gradient set into zeros like the input.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, k) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var align = AlignOf(op.attrs, op.name);
        var s = x.shape;
        if (s.IsKnownRank && s[s.ndims - 2] >= 0 && s[s.ndims - 1] >= 0)
            return [MatrixDiagV2.Build(g, k, s[s.ndims - 2], s[s.ndims - 1], null, align), null, null];
        var zeros = ArrayOps.ZerosLike.Def.Apply(x, null, optimize: true, null);
        return [MatrixSetDiagV2.Build(zeros, g, k, align), null, null];
    }
}
