using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Functions;

/// <summary>The activations TensorFlow's Python builds from other ops: crelu, swish, l2_normalize, softmax along an axis.</summary>
internal static class Activations
{
    /// <summary><c>tf.nn.crelu</c>: relu of the features concatenated with their negation along <paramref name="axis"/>.</summary>
    public static Tensor CRelu(TensorLike features, int axis, string? name)
    {
        using var b = OpBuilder.Begin(name, "CRelu", features);
        var x = b.Convert(features, "features");
        var c = ConcatV2.Build([x, Neg.Build(x)], axis, b.Scope);
        return Relu.Build(c);
    }

    /// <summary><c>tf.nn.swish</c>: x·sigmoid(x).</summary>
    public static Tensor Swish(TensorLike features, string? name)
    {
        using var b = OpBuilder.Begin(name, "swish", features);
        var x = b.Convert(features, "features");
        return b.Graph.CreateOp(Mul.Def, b.Scope, [x, Sigmoid.Build(x)], new Dictionary<string, object> { ["T"] = x.dtype }).outputs[0];
    }

    /// <summary><c>tf.nn.l2_normalize</c>: x / sqrt(max(sum(x²), epsilon)) over <paramref name="axis"/>.</summary>
    public static Tensor L2Normalize(TensorLike input, TensorLike? axis, double epsilon, string? name)
    {
        using var b = OpBuilder.Begin(name, "l2_normalize", input);
        var x = b.Convert(input, "x");
        var squareSum = Sum.Build(Square.Build(x), axis, keepDims: true);
        var invNorm = Rsqrt.Build(Maximum.Build(squareSum, Literal.ToNDArray(epsilon, x.dtype)));
        return b.Graph.CreateOp(Mul.Def, b.Scope, [x, invNorm], new Dictionary<string, object> { ["T"] = x.dtype }).outputs[0];
    }

    /// <summary>
    /// TensorFlow 1.x's <c>_softmax</c>: the last axis goes straight to the op; another axis is swapped with the
    /// last by a transpose before and after.
    /// </summary>
    public static Tensor Softmax(TensorLike logits, int axis, bool log, string? name)
    {
        var graph = OpBuilder.GraphOf([logits]);
        using var _ = graph.as_default();
        var x = logits.Value as Tensor ?? Const.Create(graph, Literal.ToNDArray(logits.Value, DType.float32), "logits");
        var def = log ? (SoftmaxOp)LogSoftmax.Def : Ops.NN.Softmax.Def;
        var rank = x.shape.IsKnownRank ? x.shape.ndims : -1;
        if (axis == -1 || (rank >= 0 && axis == rank - 1)) return def.Apply(x, name);
        if (rank < 0) throw new ValueError($"softmax along axis {axis} needs logits of known rank, got {x}");
        if (axis < -rank || axis >= rank)
            throw new InvalidArgumentError($"Dimension ({axis}) must be in the range [{-rank}, {rank}), where {rank} is the number of dimensions in the input.");
        if (axis < 0) axis += rank;
        var perm = Enumerable.Range(0, rank).ToArray();
        (perm[axis], perm[rank - 1]) = (rank - 1, axis);
        var swapped = Transpose.Build(x, Shapes.Const(graph, perm, "perm"));
        var output = def.Apply(swapped, null);
        return Transpose.Build(output, Shapes.Const(graph, perm, "perm"), name);
    }
}
