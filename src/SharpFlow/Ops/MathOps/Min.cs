using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Min: the minimum over the given axes (+inf for an empty float reduction).</summary>
internal sealed class Min : ReductionOp
{
    public static readonly Min Def = new();

    public override string Type => "Min";

    protected override void Compute(NDArray x, bool[] reduce, NDArray z) => ReductionKernels.Reduce<MinReducer>(x, reduce, z);

    /// <summary><c>tf.reduce_min</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike? axis = null, bool keepDims = false, string? name = null) =>
        Def.Apply(input, axis, keepDims, name, "Min");

    /// <summary>The gradient goes to the minima, shared equally among ties.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => MinOrMaxGradient(op, grads[0]!);
}
