namespace SharpFlow.Kernels;

/// <summary>
/// The element moves of MatrixDiagV2/V3, MatrixDiagPartV2/V3 and MatrixSetDiagV2/V3 (matrix_diag_op.cc,
/// matrix_set_diag_op.cc): the diagonals <c>lower..upper</c> of each innermost rows×cols matrix, packed one row per
/// diagonal (the uppermost first) in rows of <c>maxDiagLen</c> elements; a shorter diagonal sits at the start of its
/// row when it is left-aligned (superdiagonals: <c>leftSuper</c>, subdiagonals: <c>leftSub</c>),
/// at the end otherwise. Raw elements of <c>elementSize</c> bytes.
/// </summary>
internal static class MatrixDiagBandKernels
{
    /// <summary>The length of diagonal <paramref name="d"/> and where its content starts in its packed row.</summary>
    public static (int Length, int Offset) DiagLenAndOffset(int d, int maxDiagLen, int rows, int cols, bool leftSuper, bool leftSub)
    {
        var left = (d >= 0 && leftSuper) || (d <= 0 && leftSub);
        var length = Math.Min(rows + Math.Min(0, d), cols - Math.Max(0, d));
        return (length, left ? 0 : maxDiagLen - length);
    }

    /// <summary>Matrices <c>[batch, rows, cols]</c> with the packed diagonals in the band and <paramref name="padding"/> elsewhere.</summary>
    public static void Diag(ReadOnlySpan<byte> diagonals, ReadOnlySpan<byte> padding, Span<byte> output, int batch, int rows, int cols,
        int lower, int upper, int maxDiagLen, bool leftSuper, bool leftSub, int elementSize)
    {
        var numDiags = upper - lower + 1;
        for (var b = 0; b < batch; b++)
            for (var i = 0; i < rows; i++)
                for (var j = 0; j < cols; j++)
                {
                    var target = output.Slice(((b * rows + i) * cols + j) * elementSize, elementSize);
                    var d = j - i;
                    if (d < lower || d > upper)
                    {
                        padding.CopyTo(target);
                        continue;
                    }
                    var (_, offset) = DiagLenAndOffset(d, maxDiagLen, rows, cols, leftSuper, leftSub);
                    var index = ((b * numDiags + upper - d) * maxDiagLen + Math.Min(i, j) + offset) * elementSize;
                    diagonals.Slice(index, elementSize).CopyTo(target);
                }
    }

    /// <summary>The packed diagonals <c>[batch, numDiags, maxDiagLen]</c> of matrices <c>[batch, rows, cols]</c>, padded with <paramref name="padding"/>.</summary>
    public static void DiagPart(ReadOnlySpan<byte> input, ReadOnlySpan<byte> padding, Span<byte> output, int batch, int rows, int cols,
        int lower, int upper, int maxDiagLen, bool leftSuper, bool leftSub, int elementSize)
    {
        var numDiags = upper - lower + 1;
        for (var b = 0; b < batch; b++)
            for (var d = upper; d >= lower; d--)
            {
                var (length, offset) = DiagLenAndOffset(d, maxDiagLen, rows, cols, leftSuper, leftSub);
                for (var p = 0; p < maxDiagLen; p++)
                {
                    var target = output.Slice(((b * numDiags + upper - d) * maxDiagLen + p) * elementSize, elementSize);
                    var q = p - offset;
                    if (q < 0 || q >= length) padding.CopyTo(target);
                    else input.Slice(((b * rows + q + Math.Max(0, -d)) * cols + q + Math.Max(0, d)) * elementSize, elementSize).CopyTo(target);
                }
            }
    }

    /// <summary>Copies matrices <c>[batch, rows, cols]</c> and writes the packed diagonals <c>[batch, numDiags, maxDiagLen]</c> into their band.</summary>
    public static void SetDiag(ReadOnlySpan<byte> input, ReadOnlySpan<byte> diagonals, Span<byte> output, int batch, int rows, int cols,
        int lower, int upper, int maxDiagLen, bool leftSuper, bool leftSub, int elementSize)
    {
        input.CopyTo(output);
        var numDiags = upper - lower + 1;
        for (var b = 0; b < batch; b++)
            for (var d = upper; d >= lower; d--)
            {
                var (length, offset) = DiagLenAndOffset(d, maxDiagLen, rows, cols, leftSuper, leftSub);
                for (var q = 0; q < length; q++)
                    diagonals.Slice(((b * numDiags + upper - d) * maxDiagLen + q + offset) * elementSize, elementSize)
                        .CopyTo(output.Slice(((b * rows + q + Math.Max(0, -d)) * cols + q + Math.Max(0, d)) * elementSize, elementSize));
            }
    }
}
