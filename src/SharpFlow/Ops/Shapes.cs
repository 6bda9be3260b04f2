using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops;

/// <summary>Shape tensors for gradient rules: constants when the static shape is known, <c>tf.shape</c> otherwise.</summary>
internal static class Shapes
{
    /// <summary>The shape of <paramref name="x"/> as an int32 vector.</summary>
    public static Tensor Of(Tensor x) =>
        x.shape.IsFullyDefined ? ArrayOps.Const.Create(x.graph, Vector(x.shape.Dims), "Shape") : Shape_.Build(x);

    /// <summary>An int32 vector constant.</summary>
    public static NDArray Vector(int[] values) => NDArray.FromFlat(values, new Shape(values.Length));

    /// <summary>An int32 vector constant in the current scope.</summary>
    public static Tensor Const(Graph graph, int[] values, string name) => ArrayOps.Const.Create(graph, Vector(values), name);
}
