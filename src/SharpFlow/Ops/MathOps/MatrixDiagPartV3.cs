using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatrixDiagPartV3 (<c>tf.linalg.diag_part(input, k=..., align=...)</c>): MatrixDiagPartV2 with the <c>align</c>
/// attribute choosing where shorter superdiagonals and subdiagonals sit in their padded rows (RIGHT_LEFT by default).
/// </summary>
internal sealed class MatrixDiagPartV3 : MatrixDiagPartV2
{
    public static new readonly MatrixDiagPartV3 Def = new();
    internal static readonly OpAttr<string> Align = new("align", "RIGHT_LEFT");

    public override string Type => "MatrixDiagPartV3";

    protected override string? AlignOf(IReadOnlyDictionary<string, object> attrs, string node) => Align.Of(attrs, Type, node, this);
}
