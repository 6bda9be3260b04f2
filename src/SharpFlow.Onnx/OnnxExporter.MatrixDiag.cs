using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// MatrixDiagV2/V3, MatrixDiagPartV2/V3 and MatrixSetDiagV2/V3 with a constant <c>k</c> and matrices of known size:
/// a Gather, along the flattened innermost dimensions, of constant indices computed here (where each element of the
/// band or of the packed diagonals comes from), then a Where of the constant band (or padding) mask.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The band <c>k</c>, the alignment and the matrix size of one of these ops, all known at export.</summary>
    private (int Lower, int Upper, bool LeftSuper, bool LeftSub, int Rows, int Cols) DiagBandOf(Operation op, int kInput, Shape matrices)
    {
        if (!matrices.IsKnownRank || matrices[matrices.ndims - 2] < 0 || matrices[matrices.ndims - 1] < 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the size of its matrices is unknown ({matrices}).", op.name);
        var k = ConstantOf(op, kInput, "k").Cast(DType.int32).ToArray<int>();
        var align = op.attrs.TryGetValue("align", out var a) ? (string)a : "LEFT_LEFT";
        return (k[0], k[^1], align.StartsWith("LEFT", StringComparison.Ordinal), align.EndsWith("LEFT", StringComparison.Ordinal),
            matrices[matrices.ndims - 2], matrices[matrices.ndims - 1]);
    }

    /// <summary>
    /// For each (row, column) of a rows×cols matrix: whether it lies in the band and the flat index of its element in
    /// the packed diagonals <c>[numDiags, maxDiagLen]</c>.
    /// </summary>
    private static (bool[] InBand, long[] Packed) BandIndices((int Lower, int Upper, bool LeftSuper, bool LeftSub, int Rows, int Cols) b, int maxDiagLen)
    {
        var (inBand, packed) = (new bool[b.Rows * b.Cols], new long[b.Rows * b.Cols]);
        for (var i = 0; i < b.Rows; i++)
            for (var j = 0; j < b.Cols; j++)
            {
                var d = j - i;
                if (d < b.Lower || d > b.Upper) continue;
                var length = Math.Min(b.Rows + Math.Min(0, d), b.Cols - Math.Max(0, d));
                var left = (d >= 0 && b.LeftSuper) || (d <= 0 && b.LeftSub);
                inBand[i * b.Cols + j] = true;
                packed[i * b.Cols + j] = (long)(b.Upper - d) * maxDiagLen + Math.Min(i, j) + (left ? 0 : maxDiagLen - length);
            }
        return (inBand, packed);
    }

    /// <summary><paramref name="x"/> of rank <paramref name="rank"/> with its last <paramref name="inner"/> dimensions flattened into one.</summary>
    private string FlattenInner(string x, int rank, int inner) => Apply("Reshape", x, Ints([.. Enumerable.Repeat(0L, rank - inner), -1L]));

    private string Bools(bool[] values, params int[] dims) => Initializer($"const_{_counter++}", NDArray.FromFlat(values, new Shape(dims)));

    private string Longs(long[] values, params int[] dims) => Initializer($"const_{_counter++}", NDArray.FromFlat(values, new Shape(dims)));

    /// <summary>MatrixDiagV2/V3: the packed diagonals gathered into a rows×cols matrix, padding outside the band.</summary>
    private void MatrixDiagBandOp(Operation op, string y)
    {
        var b = DiagBandOf(op, 1, op.outputs[0].shape);
        var d = op.inputs[0].shape;
        var maxDiagLen = d[d.ndims - 1];
        var (inBand, packed) = BandIndices(b, maxDiagLen);
        var inner = b.Lower == b.Upper ? 1 : 2;
        var gathered = ApplyWith("Gather", [FlattenInner(In(op, 0), d.ndims, inner), Longs(packed, b.Rows, b.Cols)], ("axis", (long)(d.ndims - inner)));
        Node("Where", [Bools(inBand, b.Rows, b.Cols), gathered, In(op, 4)], [y]);
    }

    /// <summary>MatrixDiagPartV2/V3: the band's elements gathered into the packed diagonals, padding where a diagonal is shorter.</summary>
    private void MatrixDiagPartBandOp(Operation op, string y)
    {
        var s = op.inputs[0].shape;
        var b = DiagBandOf(op, 1, s);
        var numDiags = b.Upper - b.Lower + 1;
        var maxDiagLen = Math.Min(b.Rows + Math.Min(b.Upper, 0), b.Cols - Math.Max(b.Lower, 0));
        var (inBand, packed) = BandIndices(b, maxDiagLen);
        var (present, source) = (new bool[numDiags * maxDiagLen], new long[numDiags * maxDiagLen]);
        for (var e = 0; e < inBand.Length; e++)
            if (inBand[e]) (present[packed[e]], source[packed[e]]) = (true, e);
        int[] dims = numDiags > 1 ? [numDiags, maxDiagLen] : [maxDiagLen];
        var gathered = ApplyWith("Gather", [FlattenInner(In(op, 0), s.ndims, 2), Longs(source, dims)], ("axis", (long)(s.ndims - 2)));
        Node("Where", [Bools(present, dims), gathered, In(op, 2)], [y]);
    }

    /// <summary>MatrixSetDiagV2/V3: the packed diagonals gathered into the band, the input elsewhere.</summary>
    private void MatrixSetDiagBandOp(Operation op, string y)
    {
        var s = op.inputs[0].shape;
        var b = DiagBandOf(op, 2, s);
        var maxDiagLen = Math.Min(b.Rows + Math.Min(b.Upper, 0), b.Cols - Math.Max(b.Lower, 0));
        var (inBand, packed) = BandIndices(b, maxDiagLen);
        var inner = b.Lower == b.Upper ? 1 : 2;
        var gathered = ApplyWith("Gather", [FlattenInner(In(op, 1), s.ndims - 2 + inner, inner), Longs(packed, b.Rows, b.Cols)], ("axis", (long)(s.ndims - 2)));
        Node("Where", [Bools(inBand, b.Rows, b.Cols), gathered, In(op, 0)], [y]);
    }
}
