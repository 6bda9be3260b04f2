namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyProximalGradientDescent: <see cref="ApplyProximalGradientDescent"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyProximalGradientDescent : SparseApplyOp
{
    public static readonly SparseApplyProximalGradientDescent Def = new();

    public override string Type => "SparseApplyProximalGradientDescent";

    internal override ApplyOp Dense => ApplyProximalGradientDescent.Def;
}
