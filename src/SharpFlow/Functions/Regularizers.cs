using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Functions;

/// <summary>
/// A weight penalty: a function from a weight tensor to a scalar loss, or to null when it adds nothing
/// (<c>tf.contrib.layers</c> regularizers).
/// </summary>
public delegate Tensor? Regularizer(Tensor weights);

/// <summary>
/// TensorFlow 1.x's <c>tf.contrib.layers</c> regularizers: <c>l1_regularizer(scale)</c> gives
/// <c>scale * sum(|w|)</c>, <c>l2_regularizer(scale)</c> gives <c>scale * sum(w²) / 2</c>. A scale of 0 disables
/// the regularizer (it returns null); a negative scale is an error.
/// </summary>
internal static class Regularizers
{
    /// <summary>TensorFlow refuses integer scales (<c>scale cannot be an integer</c>).</summary>
    public static ValueError IntegerScale(long scale) => new($"scale cannot be an integer: {scale}");

    /// <summary><c>scale * reduce_sum(abs(weights))</c> in the scope <c>l1_regularizer</c>.</summary>
    public static Regularizer L1(double scale, string? scope = null) =>
        Make(scale, scope, "l1_regularizer", w => Ops.MathOps.Sum.Build(Abs.Build(w)));

    /// <summary><c>scale * l2_loss(weights)</c> in the scope <c>l2_regularizer</c>.</summary>
    public static Regularizer L2(double scale, string? scope = null) =>
        Make(scale, scope, "l2_regularizer", w => L2Loss.Build(w));

    /// <summary>The l1 and l2 penalties added (<c>l1_l2_regularizer</c>).</summary>
    public static Regularizer? L1L2(double scaleL1, double scaleL2, string? scope = null) =>
        Sum([L1(scaleL1, scope), L2(scaleL2, scope)], scope ?? "l1_l2_regularizer");

    /// <summary>
    /// The sum of several regularizers (<c>sum_regularizer</c>); null regularizers are ignored and null is
    /// returned when none is left.
    /// </summary>
    public static Regularizer? Sum(IEnumerable<Regularizer?> regularizers, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(regularizers);
        var list = regularizers.OfType<Regularizer>().ToList();
        if (list.Count == 0) return null;
        return weights =>
        {
            using var b = OpBuilder.Begin(scope, "sum_regularizer", weights);
            var terms = list.Select(r => r(weights)).OfType<Tensor>().Select(t => (TensorLike)t).ToList();
            return terms.Count == 0 ? null : AddN.Build(terms, b.Scope);
        };
    }

    /// <summary>
    /// Applies <paramref name="regularizer"/> to each weight (by default the WEIGHTS collection), adds the
    /// penalties into one scalar <c>get_regularization_penalty</c>, puts it in REGULARIZATION_LOSSES and returns it.
    /// </summary>
    public static Tensor Apply(Regularizer regularizer, IEnumerable<Tensor>? weightsList = null)
    {
        ArgumentNullException.ThrowIfNull(regularizer);
        var weights = weightsList?.ToList() ?? [.. Graph.get_default().get_collection(GraphKeys.WEIGHTS).OfType<Tensor>()];
        if (weights.Count == 0) throw new ValueError("No weights to regularize.");
        using var b = OpBuilder.Begin(null, "get_regularization_penalty", [.. weights.Select(w => (TensorLike)w)]);
        var penalties = new List<TensorLike>();
        foreach (var w in weights)
        {
            var p = regularizer(w) ?? Const.Create(b.Graph, Literal.ToNDArray(0.0, DType.float32), "Const");
            if (!p.shape.IsKnownRank || p.shape.ndims != 0)
                throw new ValueError($"regularizer must return a scalar Tensor instead of a Tensor with rank {(p.shape.IsKnownRank ? p.shape.ndims : -1)}.");
            penalties.Add(p);
        }
        var summed = AddN.Build(penalties, b.Scope);
        b.Graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, summed);
        return summed;
    }

    private static Regularizer Make(double scale, string? scope, string defaultName, Func<Tensor, Tensor> penalty)
    {
        if (double.IsNaN(scale) || scale < 0) throw new ValueError($"Setting a scale less than 0 on a regularizer: {scale}");
        if (scale == 0) return _ => null;
        return weights =>
        {
            ArgumentNullException.ThrowIfNull(weights);
            using var b = OpBuilder.Begin(scope, defaultName, weights);
            var w = b.Convert(weights, "weights");
            var s = Const.Create(b.Graph, Literal.ToNDArray(scale, w.dtype), "scale");
            return b.Graph.CreateOp(Mul.Def, b.Scope, [s, penalty(w)], new Dictionary<string, object> { ["T"] = w.dtype }).outputs[0];
        };
    }
}
