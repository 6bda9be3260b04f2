namespace SharpFlow.Kernels;

/// <summary>MatrixSetDiag's copy (matrix_set_diag_op.cc): the input with each innermost matrix's main diagonal replaced.</summary>
internal static class MatrixSetDiagKernels
{
    /// <summary>
    /// Copies <paramref name="input"/> (<c>[batch, rows, cols]</c> elements of <paramref name="elementSize"/> bytes) to
    /// <paramref name="output"/> and writes <paramref name="diagonal"/> (<c>[batch, min(rows, cols)]</c>) on the main diagonals.
    /// </summary>
    public static void SetDiag(ReadOnlySpan<byte> input, ReadOnlySpan<byte> diagonal, Span<byte> output, int rows, int cols, int elementSize)
    {
        input.CopyTo(output);
        var n = Math.Min(rows, cols);
        if (n == 0) return;
        var batches = diagonal.Length / (n * elementSize);
        for (var b = 0; b < batches; b++)
            for (var i = 0; i < n; i++)
                diagonal.Slice((b * n + i) * elementSize, elementSize).CopyTo(output.Slice(((b * rows + i) * cols + i) * elementSize, elementSize));
    }
}
