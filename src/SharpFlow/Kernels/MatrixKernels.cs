namespace SharpFlow.Kernels;

/// <summary>
/// The element moves of MatrixBandPart, MatrixDiag and MatrixDiagPart over the innermost two dimensions, on
/// raw elements of <c>elementSize</c> bytes (the ops move values and never compute with them).
/// </summary>
public static class MatrixKernels
{
    /// <summary>Keeps the elements with <c>i - j &lt;= lower</c> and <c>j - i &lt;= upper</c> (a negative bound keeps everything on its side), zeroes the rest.</summary>
    public static void BandPart(ReadOnlySpan<byte> input, Span<byte> output, int rows, int cols, long lower, long upper, int elementSize)
    {
        var matrix = rows * cols * elementSize;
        if (matrix == 0) return;
        for (var start = 0; start < input.Length; start += matrix)
            for (var i = 0; i < rows; i++)
                for (var j = 0; j < cols; j++)
                {
                    var offset = start + (i * cols + j) * elementSize;
                    var keep = (lower < 0 || i - j <= lower) && (upper < 0 || j - i <= upper);
                    if (keep) input.Slice(offset, elementSize).CopyTo(output.Slice(offset, elementSize));
                    else output.Slice(offset, elementSize).Clear();
                }
    }

    /// <summary>Each length-n vector of <paramref name="diagonal"/> becomes the diagonal of an n×n matrix of zeros.</summary>
    public static void Diag(ReadOnlySpan<byte> diagonal, Span<byte> output, int n, int elementSize)
    {
        output.Clear();
        if (n == 0) return;
        var batches = diagonal.Length / (n * elementSize);
        for (var b = 0; b < batches; b++)
            for (var i = 0; i < n; i++)
                diagonal.Slice((b * n + i) * elementSize, elementSize).CopyTo(output.Slice(((b * n + i) * n + i) * elementSize, elementSize));
    }

    /// <summary>The main diagonal (min(rows, cols) long) of each rows×cols matrix.</summary>
    public static void DiagPart(ReadOnlySpan<byte> input, Span<byte> output, int rows, int cols, int elementSize)
    {
        var n = Math.Min(rows, cols);
        if (n == 0) return;
        var batches = output.Length / (n * elementSize);
        for (var b = 0; b < batches; b++)
            for (var i = 0; i < n; i++)
                input.Slice(((b * rows + i) * cols + i) * elementSize, elementSize).CopyTo(output.Slice((b * n + i) * elementSize, elementSize));
    }
}
