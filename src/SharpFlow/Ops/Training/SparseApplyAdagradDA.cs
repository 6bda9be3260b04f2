namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyAdagradDA: <see cref="ApplyAdagradDA"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyAdagradDA : SparseApplyOp
{
    public static readonly SparseApplyAdagradDA Def = new();

    public override string Type => "SparseApplyAdagradDA";

    internal override ApplyOp Dense => ApplyAdagradDA.Def;
}
