namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyFtrlV2: <see cref="ApplyFtrlV2"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyFtrlV2 : SparseApplyOp
{
    public static readonly SparseApplyFtrlV2 Def = new();

    public override string Type => "SparseApplyFtrlV2";

    internal override ApplyOp Dense => ApplyFtrlV2.Def;
}
