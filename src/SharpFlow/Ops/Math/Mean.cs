using SharpFlow.Kernels;

namespace SharpFlow.Ops.Math;

/// <summary>Mean: the arithmetic mean over the given axes; integer means truncate, as TensorFlow's.</summary>
internal sealed class Mean : ReductionOp
{
    public static readonly Mean Def = new();

    public override string Type => "Mean";

    protected override void Compute(NDArray x, bool[] reduce, NDArray z)
    {
        ReductionKernels.Reduce<SumReducer>(x, reduce, z);
        long count = 1;
        for (var i = 0; i < reduce.Length; i++)
            if (reduce[i]) count *= x.shape[i];
        ReductionKernels.DivideInPlace(z, count);
    }

    /// <summary><c>tf.reduce_mean</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike? axis = null, bool keepDims = false, string? name = null) =>
        Def.Apply(input, axis, keepDims, name, "Mean");
}
