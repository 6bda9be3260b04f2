namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyCenteredRMSProp: <see cref="ApplyCenteredRMSProp"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyCenteredRMSProp : SparseApplyOp
{
    public static readonly SparseApplyCenteredRMSProp Def = new();

    public override string Type => "SparseApplyCenteredRMSProp";

    internal override ApplyOp Dense => ApplyCenteredRMSProp.Def;
}
