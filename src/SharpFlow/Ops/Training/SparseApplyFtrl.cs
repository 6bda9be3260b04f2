namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyFtrl: <see cref="ApplyFtrl"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyFtrl : SparseApplyOp
{
    public static readonly SparseApplyFtrl Def = new();

    public override string Type => "SparseApplyFtrl";

    internal override ApplyOp Dense => ApplyFtrl.Def;
}
