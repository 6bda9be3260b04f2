using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatrixDiagV2 (<c>tf.linalg.diag(diagonal, k=..., num_rows=..., num_cols=..., padding_value=...)</c> of TensorFlow
/// 1.15): matrices <c>[..., num_rows, num_cols]</c> with the packed diagonals <c>k[0]..k[1]</c> of
/// <c>diagonal</c> (<c>[..., num_diags, max_diag_len]</c>, or <c>[..., max_diag_len]</c> for one) in their band and
/// <c>padding_value</c> elsewhere; -1 rows or columns are the smallest that fit (LEFT_LEFT; V3 chooses with <c>align</c>).
/// </summary>
internal class MatrixDiagV2 : OpDef
{
    public static readonly MatrixDiagV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "MatrixDiagV2";

    /// <summary>The <c>align</c> attribute (V3), null for V2.</summary>
    protected virtual string? AlignOf(IReadOnlyDictionary<string, object> attrs, string node) => null;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype == DType.@string) throw ctx.TypeError("dtype string is not supported");
        if (ctx.InputDType(4) != dtype) throw ctx.TypeError($"padding_value must be {dtype.name} like diagonal, got {ctx.InputDType(4).name}");
        MatrixDiagBand.Alignment(AlignOf(ctx.Attrs, ctx.OpName), m => ctx.Error(m));
        var d = ctx.InputShape(0);
        if (d.IsKnownRank && d.ndims < 1) throw ctx.Error($"Shape must be at least rank 1 but is rank {d.ndims}");
        MatrixDiagBand.CheckScalar(ctx, 2, "num_rows");
        MatrixDiagBand.CheckScalar(ctx, 3, "num_cols");
        MatrixDiagBand.CheckScalar(ctx, 4, "padding_value");
        var k = MatrixDiagBand.ConstantK(ctx, 1);
        if (!d.IsKnownRank || k is not var (lower, upper))
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            return;
        }
        if (lower > upper) throw ctx.Error($"lower_diag_index must not be larger than upper_diag_index: {lower} > {upper}");
        var numDiags = upper - lower + 1;
        if (lower != upper)
        {
            if (d.ndims < 2) throw ctx.Error($"Shape must be at least rank 2 but is rank {d.ndims}");
            if (d[d.ndims - 2] >= 0 && d[d.ndims - 2] != numDiags)
                throw ctx.Error($"The number of rows of `diagonal` doesn't match the number of diagonals implied from `d_lower` and `d_upper`. num_diags = {numDiags}, d_lower = {lower}, d_upper = {upper}, input_rank = {d.ndims}, num_rows_of_diagonal = {d[d.ndims - 2]}");
        }
        var rows = ctx.ConstantInput(2) is { } r ? r.ToArray<int>()[0] : -2;
        var cols = ctx.ConstantInput(3) is { } c ? c.ToArray<int>()[0] : -2;
        var maxDiagLen = d[d.ndims - 1];
        if (maxDiagLen >= 0 && rows != -2 && cols != -2)
            (rows, cols) = Size(lower, upper, maxDiagLen, rows, cols, m => ctx.Error(m));
        var batch = d.Dims[..^(lower == upper ? 1 : 2)];
        ctx.AddOutput(dtype, new Shape([.. batch, rows < 0 ? -1 : rows, cols < 0 ? -1 : cols]));
    }

    /// <summary>The kernel's output size: -1 rows or columns are the smallest that fit, and one side must be the smallest.</summary>
    private static (int Rows, int Cols) Size(int lower, int upper, int maxDiagLen, int rows, int cols, Func<string, Exception> error)
    {
        var minRows = maxDiagLen - Math.Min(upper, 0);
        var minCols = maxDiagLen + Math.Max(lower, 0);
        if (rows != -1 && rows < minRows) throw error("The number of rows is too small.");
        if (cols != -1 && cols < minCols) throw error("The number of columns is too small.");
        if (rows == -1 && cols == -1) rows = cols = Math.Max(minRows, minCols);
        else if (rows == -1) rows = minRows;
        else if (cols == -1) cols = minCols;
        if (rows != minRows && cols != minCols)
            throw error("The number of rows or columns is not consistent with the specified d_lower, d_upper, and diagonal.");
        return (rows, cols);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var (leftSuper, leftSub) = MatrixDiagBand.Alignment(AlignOf(op.attrs, op.name), m => new InvalidArgumentError(m, op.name));
        return OpKernel.From(ctx =>
        {
            var (diagonal, kIn, rowsIn, colsIn, padding) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3), ctx.Input(4));
            if (diagonal.ndim < 1) throw ctx.InvalidArgument($"input must be at least 1-dim, received shape: {diagonal.shape.ToListString()}");
            if (rowsIn.ndim != 0) throw ctx.InvalidArgument($"num_rows must be a scalar Tensor, received shape: {rowsIn.shape.ToListString()}");
            if (colsIn.ndim != 0) throw ctx.InvalidArgument($"num_cols must be a scalar Tensor, received shape: {colsIn.shape.ToListString()}");
            if (padding.ndim != 0) throw ctx.InvalidArgument($"padding_value must be a scalar Tensor, received shape: {padding.shape.ToListString()}");
            var (lower, upper) = MatrixDiagBand.ReadK(kIn, ctx.InvalidArgument);
            if (lower > upper) throw ctx.InvalidArgument($"lower_diag_index must not be larger than upper_diag_index: {lower} > {upper}");
            var numDiags = upper - lower + 1;
            var s = diagonal.shape;
            if (lower != upper && (s.ndims < 2 || s[s.ndims - 2] != numDiags))
                throw ctx.InvalidArgument("The number of diagonals provided in the input does not match the lower_diag_index and upper_diag_index range.");
            var maxDiagLen = s[s.ndims - 1];
            var (rows, cols) = Size(lower, upper, maxDiagLen, rowsIn.ToArray<int>()[0], colsIn.ToArray<int>()[0], ctx.InvalidArgument);
            var batchDims = s.Dims[..^(lower == upper ? 1 : 2)];
            var y = ctx.AllocateUninitializedOutput(0, diagonal.dtype, new Shape([.. batchDims, rows, cols]));
            MatrixDiagBandKernels.Diag(diagonal.AsBytes(), padding.AsBytes(), y.AsWritableBytes(), MatrixDiagBand.Batch(y.shape, 2), rows, cols,
                lower, upper, maxDiagLen, leftSuper, leftSub, diagonal.dtype.size);
        });
    }

    /// <summary>
    /// <c>tf.linalg.diag(diagonal, k=k, num_rows=num_rows, num_cols=num_cols, padding_value=padding_value, align=align)</c>:
    /// MatrixDiagV3 with an <paramref name="align"/>, MatrixDiagV2 (LEFT_LEFT, TensorFlow 1.15's op) without.
    /// </summary>
    public static Tensor Build(TensorLike diagonal, TensorLike k, TensorLike? numRows, TensorLike? numCols, TensorLike? paddingValue, string? align, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "diag", diagonal, k);
        var d = b.Convert(diagonal, "diagonal");
        var kt = b.Convert(k, "k", DType.int32);
        var rows = b.Convert(numRows ?? -1, "num_rows", DType.int32);
        var cols = b.Convert(numCols ?? -1, "num_cols", DType.int32);
        var p = b.Convert(paddingValue ?? 0, "padding_value", d.dtype);
        if (align is null) return b.Create(Def, [d, kt, rows, cols, p], new() { { T, d.dtype } }).outputs[0];
        return b.Create(MatrixDiagV3.Def, [d, kt, rows, cols, p], new() { { T, d.dtype }, { MatrixDiagV3.Align, align } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_MatrixDiagV2Grad</c> / <c>_MatrixDiagV3Grad</c>: the diagonals <c>k</c> of the gradient (same <c>align</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [MatrixDiagPartV2.Build(grads[0]!, op.inputs[1], null, AlignOf(op.attrs, op.name)), null, null, null, null];
}
