using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Layers;

/// <summary><c>tf.layers.flatten</c>: <c>[batch, d1, d2, ...]</c> to <c>[batch, d1·d2·...]</c>.</summary>
internal static class Flatten
{
    public static Tensor Apply(Tensor inputs, string? name)
    {
        var s = inputs.shape;
        if (!s.IsKnownRank || s.ndims < 1) throw new ValueError($"Flatten needs inputs of known rank of at least 1, got {inputs}");
        using var b = OpBuilder.Begin(name, "flatten", inputs);
        var rest = s.Dims[1..];
        int[] target;
        if (rest.All(d => d >= 0)) target = [-1, rest.Aggregate(1, (a, d) => checked(a * d))];
        else if (s[0] >= 0) target = [s[0], -1];
        else throw new ValueError($"Flatten needs either the batch size or the other dimensions known, got shape {s}");
        return Reshape.Build(inputs, Shapes.Const(b.Graph, target, "Reshape/shape"), "Reshape");
    }
}
