using SharpFlow.Kernels;

namespace SharpFlow.Ops.Math;

/// <summary>Prod: the product over the given axes.</summary>
internal sealed class Prod : ReductionOp
{
    public static readonly Prod Def = new();

    public override string Type => "Prod";

    protected override void Compute(NDArray x, bool[] reduce, NDArray z) => ReductionKernels.Reduce<ProdReducer>(x, reduce, z);

    /// <summary><c>tf.reduce_prod</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike? axis = null, bool keepDims = false, string? name = null) =>
        Def.Apply(input, axis, keepDims, name, "Prod");
}
