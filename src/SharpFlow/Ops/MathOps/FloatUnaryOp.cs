namespace SharpFlow.Ops.MathOps;

/// <summary>Unary ops defined on float32 and float64 only.</summary>
internal abstract class FloatUnaryOp : UnaryElementwiseOp
{
    protected override bool Accepts(DType dtype) => dtype.is_floating;
}
