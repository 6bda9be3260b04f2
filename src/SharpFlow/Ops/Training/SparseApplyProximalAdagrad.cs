namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyProximalAdagrad: <see cref="ApplyProximalAdagrad"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyProximalAdagrad : SparseApplyOp
{
    public static readonly SparseApplyProximalAdagrad Def = new();

    public override string Type => "SparseApplyProximalAdagrad";

    internal override ApplyOp Dense => ApplyProximalAdagrad.Def;
}
