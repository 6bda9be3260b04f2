using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatrixDiagV3 (<c>tf.linalg.diag(diagonal, k=..., align=...)</c>): MatrixDiagV2 with the <c>align</c> attribute
/// choosing where shorter superdiagonals and subdiagonals sit in their packed rows (RIGHT_LEFT by default).
/// </summary>
internal sealed class MatrixDiagV3 : MatrixDiagV2
{
    public static new readonly MatrixDiagV3 Def = new();
    internal static readonly OpAttr<string> Align = new("align", "RIGHT_LEFT");

    public override string Type => "MatrixDiagV3";

    protected override string? AlignOf(IReadOnlyDictionary<string, object> attrs, string node) => Align.Of(attrs, Type, node, this);
}
