namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyAdadelta: <see cref="ApplyAdadelta"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyAdadelta : SparseApplyOp
{
    public static readonly SparseApplyAdadelta Def = new();

    public override string Type => "SparseApplyAdadelta";

    internal override ApplyOp Dense => ApplyAdadelta.Def;
}
