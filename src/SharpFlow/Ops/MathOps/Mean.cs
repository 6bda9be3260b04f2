using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

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

    /// <summary>The Sum gradient divided by the number of elements averaged.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (x, y, g) = (op.inputs[0], op.outputs[0], grads[0]!);
        Tensor factor;
        if (x.shape.IsFullyDefined && y.shape.IsFullyDefined)
            factor = ArrayOps.Const.Create(op.graph, Literal.ToNDArray((double)(x.shape.NumElements / System.Math.Max(y.shape.NumElements, 1)), g.dtype), "factor");
        else
        {
            var count = FloorDiv.Build(Prod.Build(ArrayOps.Shape_.Build(x)), Maximum.Build(Prod.Build(ArrayOps.Shape_.Build(y)), 1));
            factor = Cast.Build(count, g.dtype);
        }
        return [RealDiv.Build(SpreadGradient(op, g), factor), null];
    }
}
