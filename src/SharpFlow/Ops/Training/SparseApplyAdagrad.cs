namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyAdagrad: <see cref="ApplyAdagrad"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyAdagrad : SparseApplyOp
{
    public static readonly SparseApplyAdagrad Def = new();

    public override string Type => "SparseApplyAdagrad";

    internal override ApplyOp Dense => ApplyAdagrad.Def;
}
