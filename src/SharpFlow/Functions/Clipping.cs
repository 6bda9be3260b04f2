using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Math;

namespace SharpFlow.Functions;

/// <summary>Value clipping (<c>tf.clip_by_value</c>).</summary>
internal static class Clipping
{
    /// <summary>
    /// <c>maximum(minimum(t, max), min)</c>, as TensorFlow 1.x builds it; the gradient passes where
    /// <c>min &lt;= t &lt;= max</c> and is 0 elsewhere. The bounds may not broadcast <c>t</c> to a larger shape.
    /// </summary>
    public static Tensor ByValue(TensorLike t, TensorLike clipValueMin, TensorLike clipValueMax, string? name)
    {
        using var b = OpBuilder.Begin(name, "clip_by_value", t, clipValueMin, clipValueMax);
        var values = b.Convert(t, "t");
        var tMin = Minimum.Build(values, b.Convert(clipValueMax, "clip_value_max", values.dtype));
        if (!tMin.shape.IsCompatibleWith(values.shape) || (values.shape.IsKnownRank && tMin.shape.IsKnownRank && tMin.shape.ndims != values.shape.ndims))
            throw new ValueError($"Shapes {values.shape} and {tMin.shape} are incompatible: clip_by_value's bounds must not broadcast t");
        var min = b.Convert(clipValueMin, "clip_value_min", values.dtype);
        var tMax = b.Graph.CreateOp(Maximum.Def, b.Scope, [tMin, min], new Dictionary<string, object> { ["T"] = values.dtype }).outputs[0];
        if (!tMax.shape.IsCompatibleWith(values.shape) || (values.shape.IsKnownRank && tMax.shape.IsKnownRank && tMax.shape.ndims != values.shape.ndims))
            throw new ValueError($"Shapes {values.shape} and {tMax.shape} are incompatible: clip_by_value's bounds must not broadcast t");
        return tMax;
    }
}
