using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Max: the maximum over the given axes (-inf for an empty float reduction).</summary>
internal sealed class Max : ReductionOp
{
    public static readonly Max Def = new();

    public override string Type => "Max";

    protected override void Compute(NDArray x, bool[] reduce, NDArray z) => ReductionKernels.Reduce<MaxReducer>(x, reduce, z);

    /// <summary><c>tf.reduce_max</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike? axis = null, bool keepDims = false, string? name = null) =>
        Def.Apply(input, axis, keepDims, name, "Max");

    /// <summary>The gradient goes to the maxima, shared equally among ties.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => MinOrMaxGradient(op, grads[0]!);
}
