using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Functions;

/// <summary>The math functions TensorFlow's Python builds from other ops: logsumexp, count_nonzero, sort, argsort.</summary>
internal static class MathFunctions
{
    /// <summary>
    /// <c>tf.reduce_logsumexp</c> as TensorFlow builds it: <c>log(sum(exp(x - m))) + m</c> with m the maximum
    /// (0 where it is not finite) held constant for the gradient.
    /// </summary>
    public static Tensor ReduceLogSumExp(TensorLike input, TensorLike? axis, bool keepDims, string? name)
    {
        using var b = OpBuilder.Begin(name, "ReduceLogSumExp", input);
        var x = b.Convert(input, "input_tensor");
        var rawMax = Max.Build(x, axis, keepDims: true);
        var myMax = StopGradient.Build(Select.Build(IsFinite.Build(rawMax), rawMax, ZerosLike.Def.Apply(rawMax, null, optimize: true, null)));
        var result = Log.Build(Sum.Build(Exp.Build(Sub.Build(x, myMax)), axis, keepDims));
        if (!keepDims) myMax = Reshape.Build(myMax, Shapes.Of(result));
        return b.Graph.CreateOp(Add.Def, b.Scope, [result, myMax], new Dictionary<string, object> { ["T"] = x.dtype }).outputs[0];
    }

    /// <summary><c>tf.count_nonzero</c>: the number of non-zero elements over <paramref name="axis"/>, as <paramref name="dtype"/> (int64 by default).</summary>
    public static Tensor CountNonzero(TensorLike input, TensorLike? axis, bool keepDims, DType? dtype, string? name)
    {
        using var b = OpBuilder.Begin(name, "count_nonzero", input);
        var x = b.Convert(input, "input_tensor");
        var zero = Const.Create(b.Graph, NDArray.Zeros(x.dtype, Shape.Scalar), "zeros");
        var counts = Sum.Build(Cast.Build(NotEqual.Build(x, zero), DType.int64), axis, keepDims);
        return Cast.Build(counts, dtype ?? DType.int64);
    }

    /// <summary>
    /// <c>tf.sort</c> and <c>tf.argsort</c> as TensorFlow's sort_ops: a top_k over the whole axis (moved last by
    /// a transpose when needed); ascending order sorts the negated values.
    /// </summary>
    public static Tensor Sort(TensorLike values, int axis, string direction, bool argsort, string? name)
    {
        if (direction is not ("ASCENDING" or "DESCENDING"))
            throw new ValueError($"{direction} should be one of ASCENDING, DESCENDING");
        using var b = OpBuilder.Begin(name, argsort ? "argsort" : "sort", values);
        var x = b.Convert(values, "values");
        if (!x.shape.IsKnownRank) throw new ValueError($"sort needs values of known rank, got {x}");
        var rank = x.shape.ndims;
        if (rank == 0) throw new ValueError($"sort needs values of rank 1 or more, got {x}");
        if (axis < -rank || axis >= rank) throw new ValueError($"axis {axis} is out of bounds for values of rank {rank}");
        if (axis < 0) axis += rank;
        var ascending = direction == "ASCENDING";
        var input = ascending ? Neg.Build(x) : x;
        int[]? perm = null;
        if (axis != rank - 1)
        {
            perm = Enumerable.Range(0, rank).ToArray();
            (perm[axis], perm[rank - 1]) = (rank - 1, axis);
            input = Transpose.Build(input, Const.Create(b.Graph, Shapes.Vector(perm), "transposition"));
        }
        var k = input.shape[rank - 1] >= 0
            ? (Tensor)Const.Create(b.Graph, NDArray.Scalar(input.shape[rank - 1]), "k")
            : GatherV2.Build(Shape_.Build(input), rank - 1);
        var (sorted, indices) = TopKV2.Build(input, k);
        var result = argsort ? indices : sorted;
        if (perm is not null) result = Transpose.Build(result, Const.Create(b.Graph, Shapes.Vector(perm), "transposition"));
        return ascending && !argsort ? Neg.Build(result) : result;
    }
}
