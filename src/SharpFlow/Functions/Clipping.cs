using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Functions;

/// <summary>Clipping by value and by norm (TensorFlow's clip_ops.py).</summary>
internal static class Clipping
{
    /// <summary>
    /// <c>maximum(minimum(t, max), min)</c>, as TensorFlow 1.x builds it; the gradient passes where
    /// <c>min &lt;= t &lt;= max</c> and is 0 elsewhere. The bounds may not broadcast <c>t</c> to a larger shape.
    /// </summary>
    public static Tensor ByValue(TensorLike t, TensorLike clipValueMin, TensorLike clipValueMax, string? name)
    {
        using var b = OpBuilder.Begin(name, "clip_by_value", t, clipValueMin, clipValueMax);
        // IndexedSlices are clipped row by row and stay sparse, as TensorFlow's clip ops do.
        var slices = t.Value as IndexedSlices;
        var values = b.Convert(slices?.values ?? t, "t");
        var tMin = Minimum.Build(values, b.Convert(clipValueMax, "clip_value_max", values.dtype));
        if (!tMin.shape.IsCompatibleWith(values.shape) || (values.shape.IsKnownRank && tMin.shape.IsKnownRank && tMin.shape.ndims != values.shape.ndims))
            throw new ValueError($"Shapes {values.shape} and {tMin.shape} are incompatible: clip_by_value's bounds must not broadcast t");
        var min = b.Convert(clipValueMin, "clip_value_min", values.dtype);
        var tMax = b.Graph.CreateOp(Maximum.Def, b.Scope, [tMin, min], new Dictionary<string, object> { ["T"] = values.dtype }).outputs[0];
        if (!tMax.shape.IsCompatibleWith(values.shape) || (values.shape.IsKnownRank && tMax.shape.IsKnownRank && tMax.shape.ndims != values.shape.ndims))
            throw new ValueError($"Shapes {values.shape} and {tMax.shape} are incompatible: clip_by_value's bounds must not broadcast t");
        return slices?.WithValues(tMax) ?? tMax;
    }

    /// <summary>
    /// <c>tf.clip_by_norm(t, clip_norm, axes)</c>: <c>t * clip_norm / max(l2norm(t), clip_norm)</c>, the norm over
    /// <paramref name="axes"/> (all by default); a zero norm leaves t unchanged and its gradient finite (TensorFlow's
    /// two-tap where).
    /// </summary>
    public static Tensor ByNorm(TensorLike t, TensorLike clipNorm, TensorLike? axes, string? name)
    {
        using var b = OpBuilder.Begin(name, "clip_by_norm", t, clipNorm);
        var slices = t.Value as IndexedSlices;
        var values = b.Convert(slices?.values ?? t, "t");
        var norm = b.Convert(clipNorm, "clip_norm", values.dtype);
        var l2sum = Sum.Build(Mul.Build(values, values), axes, keepDims: true);
        var pred = Greater.Build(l2sum, Literal.ToNDArray(0.0, values.dtype));
        var safe = Select.Build(pred, l2sum, OnesLike.Def.Apply(l2sum, null, true, null));
        var l2norm = Select.Build(pred, Sqrt.Build(safe), l2sum);
        var intermediate = Mul.Build(values, norm);
        if (!values.shape.IsCompatibleWith(intermediate.shape) || (values.shape.IsKnownRank && intermediate.shape.IsKnownRank && values.shape.ndims != intermediate.shape.ndims))
            throw new ValueError($"Shapes {values.shape} and {intermediate.shape} are incompatible: clip_norm must not broadcast t");
        var clipped = Identity.Build(RealDiv.Build(intermediate, Maximum.Build(l2norm, norm)), b.Scope);
        return slices?.WithValues(clipped) ?? clipped;
    }

    /// <summary><c>tf.global_norm(t_list)</c>: <c>sqrt(sum(l2norm(t)^2))</c> over the tensors that are not null.</summary>
    public static Tensor GlobalNorm(IReadOnlyList<Tensor?> tensors, string? name)
    {
        var present = tensors.OfType<Tensor>().ToList();
        if (present.Count == 0) throw new ValueError("global_norm needs at least one tensor that is not null.");
        using var b = OpBuilder.Begin(name, "global_norm", [.. present.Select(t => (TensorLike)t)]);
        var halves = present.Select(t => (TensorLike)L2Loss.Build(t is IndexedSlices s ? s.values : t)).ToList();
        var half = Sum.Build(Pack.Build(halves), null);
        return Sqrt.Build(Mul.Build(half, Literal.ToNDArray(2.0, half.dtype)), "global_norm");
    }

    /// <summary>
    /// <c>tf.clip_by_global_norm(t_list, clip_norm, use_norm)</c>: every tensor scaled by
    /// <c>clip_norm / max(global_norm, clip_norm)</c>, and the global norm; a NaN or infinite norm makes every value
    /// NaN, as TensorFlow.
    /// </summary>
    public static (Tensor?[] Clipped, Tensor Norm) ByGlobalNorm(IReadOnlyList<Tensor?> tensors, TensorLike clipNorm, Tensor? useNorm, string? name)
    {
        useNorm ??= GlobalNorm(tensors, name);
        using var b = OpBuilder.Begin(name, "clip_by_global_norm", [.. tensors.OfType<Tensor>().Select(t => (TensorLike)t), clipNorm]);
        var norm = b.Convert(clipNorm, "clip_norm", useNorm.dtype);
        var one = Literal.ToNDArray(1.0, useNorm.dtype);
        var scaleForFinite = Mul.Build(norm, Minimum.Build(RealDiv.Build(one, useNorm), RealDiv.Build(one, norm)));
        var scale = Add.Build(scaleForFinite, Sub.Build(useNorm, useNorm));
        var clipped = new Tensor?[tensors.Count];
        for (var i = 0; i < clipped.Length; i++)
            if (tensors[i] is IndexedSlices s) clipped[i] = s.WithValues(Identity.Build(Mul.Build(s.values, Cast.Build(scale, s.dtype)), $"{b.Name}_{i}"));
            else if (tensors[i] is { } t) clipped[i] = Identity.Build(Mul.Build(t, Cast.Build(scale, t.dtype)), $"{b.Name}_{i}");
        return (clipped, useNorm);
    }
}
