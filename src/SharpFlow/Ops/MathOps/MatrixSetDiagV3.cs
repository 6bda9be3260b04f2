using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatrixSetDiagV3 (<c>tf.linalg.set_diag(input, diagonal, k=..., align=...)</c>): MatrixSetDiagV2 with the
/// <c>align</c> attribute choosing where shorter superdiagonals and subdiagonals sit in their packed rows (RIGHT_LEFT by default).
/// </summary>
internal sealed class MatrixSetDiagV3 : MatrixSetDiagV2
{
    public static new readonly MatrixSetDiagV3 Def = new();
    internal static readonly OpAttr<string> Align = new("align", "RIGHT_LEFT");

    public override string Type => "MatrixSetDiagV3";

    protected override string? AlignOf(IReadOnlyDictionary<string, object> attrs, string node) => Align.Of(attrs, Type, node, this);
}
