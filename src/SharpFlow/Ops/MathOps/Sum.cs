using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Sum: the sum over the given axes.</summary>
internal sealed class Sum : ReductionOp
{
    public static readonly Sum Def = new();

    public override string Type => "Sum";

    protected override void Compute(NDArray x, bool[] reduce, NDArray z) => ReductionKernels.Reduce<SumReducer>(x, reduce, z);

    /// <summary><c>tf.reduce_sum</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike? axis = null, bool keepDims = false, string? name = null) =>
        Def.Apply(input, axis, keepDims, name, "Sum");

    /// <summary>Every reduced element receives the gradient of its sum.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [SpreadGradient(op, grads[0]!), null];
}
