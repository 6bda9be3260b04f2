using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Floor: the largest integer not greater than x, element-wise.</summary>
internal sealed class Floor : FloatUnaryOp
{
    public static readonly Floor Def = new();

    public override string Type => "Floor";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<FloorOperator>(x, y);

    /// <summary><c>tf.floor</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Floor");

    // TensorFlow's gradient of Floor is None: it is piecewise constant.
    public override bool NotDifferentiable => true;
}
