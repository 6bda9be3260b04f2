namespace SharpFlow.Ops.MathOps;

/// <summary>Element-wise comparisons: numeric (and, for equality, bool) inputs, a bool output.</summary>
internal abstract class ComparisonOp : BinaryElementwiseOp
{

    public override bool NotDifferentiable => true;
    protected override DType OutputDType(DType input) => DType.@bool;
}
