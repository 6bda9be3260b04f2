using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Prod: the product over the given axes.</summary>
internal sealed class Prod : ReductionOp
{
    public static readonly Prod Def = new();

    public override string Type => "Prod";

    protected override void Compute(NDArray x, bool[] reduce, NDArray z) => ReductionKernels.Reduce<ProdReducer>(x, reduce, z);

    /// <summary><c>tf.reduce_prod</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike? axis = null, bool keepDims = false, string? name = null) =>
        Def.Apply(input, axis, keepDims, name, "Prod");

    /// <summary>
    /// TensorFlow's <c>_ProdGrad</c>, exact where elements are 0: the reduced axes are moved to the front and
    /// flattened, and each element's gradient is the product of the others, from exclusive cumulative products
    /// taken forwards and backwards. The reduction axes must be constant and the rank known.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var x = op.inputs[0];
        var flags = StaticFlags(op) ?? throw new ValueError($"Prod \"{op.name}\": its gradient needs constant reduction axes and an input of known rank");
        var graph = op.graph;
        var reducedAxes = Enumerable.Range(0, flags.Length).Where(i => flags[i]).ToArray();
        var perm = reducedAxes.Concat(Enumerable.Range(0, flags.Length).Where(i => !flags[i])).ToArray();

        var spread = SpreadGradient(op, grads[0]!);
        var permuted = ArrayOps.Transpose.Build(x, Shapes.Const(graph, perm, "perm"));
        var permutedShape = Shapes.Of(permuted);
        // Both sizes are explicit (not -1): a reduced axis of size 0 leaves nothing to infer the other from.
        Tensor reducedNum, otherNum;
        if (x.shape.IsFullyDefined)
        {
            reducedNum = Shapes.Const(graph, [reducedAxes.Aggregate(1, (a, i) => a * x.shape[i])], "reduced_num");
            otherNum = Shapes.Const(graph, [Enumerable.Range(0, flags.Length).Where(i => !flags[i]).Aggregate(1, (a, i) => a * x.shape[i])], "other_num");
        }
        else
        {
            reducedNum = Build(ArrayOps.Slice.Build(permutedShape, new[] { 0 }, new[] { reducedAxes.Length }), 0, keepDims: true);
            otherNum = Build(ArrayOps.Slice.Build(permutedShape, new[] { reducedAxes.Length }, new[] { -1 }), 0, keepDims: true);
        }
        var reshaped = ArrayOps.Reshape.Build(permuted, ArrayOps.ConcatV2.Build([reducedNum, otherNum], 0));
        var left = Cumprod.Build(reshaped, 0, exclusive: true);
        var right = Cumprod.Build(reshaped, 0, exclusive: true, reverse: true);
        var y = ArrayOps.Reshape.Build(Mul.Build(left, right), permutedShape);
        var result = Mul.Build(spread, ArrayOps.Transpose.Build(y, Shapes.Const(graph, ArrayOps.InvertPermutation.Of(perm), "inverse_perm")));
        return [ArrayOps.Reshape.Build(result, Shapes.Of(x)), null];
    }
}
