namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyRMSProp: <see cref="ApplyRMSProp"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyRMSProp : SparseApplyOp
{
    public static readonly SparseApplyRMSProp Def = new();

    public override string Type => "SparseApplyRMSProp";

    internal override ApplyOp Dense => ApplyRMSProp.Def;
}
