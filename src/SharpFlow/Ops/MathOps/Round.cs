using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Round: rounds half to even element-wise (banker's rounding); integers pass unchanged.</summary>
internal sealed class Round : FloatUnaryOp
{
    public static readonly Round Def = new();

    public override string Type => "Round";

    protected override bool Accepts(DType dtype) => dtype.is_floating || dtype == DType.int32 || dtype == DType.int64;

    protected override void Compute(NDArray x, NDArray y)
    {
        if (x.dtype.is_floating) ElementwiseKernels.FloatUnary<RoundOperator>(x, y);
        else x.AsBytes().CopyTo(y.AsWritableBytes()); // integers are already round
    }

    /// <summary><c>tf.round</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Round");

    // TensorFlow's gradient of Round is None: it is piecewise constant.
    public override bool NotDifferentiable => true;
}
