using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras;

/// <summary>Keras's metrics (<c>tf.keras.metrics</c>): one value per sample, averaged over the batch by the model.</summary>
public static class Metrics
{
    /// <summary>1 where the rounded prediction equals the label, averaged over the last axis.</summary>
    public static Tensor binary_accuracy(Tensor y_true, Tensor y_pred) =>
        Mean.Build(Cast.Build(Equal.Build(y_true, Round.Build(y_pred)), y_pred.dtype), -1);

    /// <summary>1 where argmax of the one-hot label equals argmax of the prediction.</summary>
    public static Tensor categorical_accuracy(Tensor y_true, Tensor y_pred) =>
        Cast.Build(Equal.Build(ArgMax.Def.Apply(y_true, -1, null, null), ArgMax.Def.Apply(y_pred, -1, null, null)), y_pred.dtype);

    /// <summary>1 where the integer label (the max over its last axis) equals argmax of the prediction.</summary>
    public static Tensor sparse_categorical_accuracy(Tensor y_true, Tensor y_pred) =>
        Cast.Build(Equal.Build(Max.Build(y_true, -1), Cast.Build(ArgMax.Def.Apply(y_pred, -1, null, null), y_pred.dtype)), y_pred.dtype);

    /// <summary>1 where the true class is among the <paramref name="k"/> highest predictions.</summary>
    public static Tensor top_k_categorical_accuracy(Tensor y_true, Tensor y_pred, int k = 5) =>
        Mean.Build(Cast.Build(Ops.NN.InTopKV2.Build(y_pred, Cast.Build(ArgMax.Def.Apply(y_true, -1, null, null), DType.int32), k), y_pred.dtype), -1);

    /// <summary>
    /// A metric by name, resolved as Keras 2.2 does: <c>"accuracy"</c>/<c>"acc"</c> become binary accuracy for a
    /// binary cross entropy or a single output unit, sparse categorical accuracy for the sparse loss, else
    /// categorical accuracy (shown as <c>acc</c>); other names are loss functions.
    /// </summary>
    internal static (string DisplayName, Func<Tensor, Tensor, Tensor> Fn) Resolve(string name, string? lossName, Shape outputShape)
    {
        if (name is "accuracy" or "acc" or "crossentropy" or "ce")
        {
            var suffix = name is "accuracy" or "acc" ? "acc" : "ce";
            var single = outputShape.IsKnownRank && outputShape[outputShape.ndims - 1] == 1;
            Func<Tensor, Tensor, Tensor> fn;
            if (suffix == "acc")
                fn = single || lossName == "binary_crossentropy" ? binary_accuracy
                    : lossName == "sparse_categorical_crossentropy" ? sparse_categorical_accuracy : categorical_accuracy;
            else
                fn = single || lossName == "binary_crossentropy" ? (t, p) => Losses.binary_crossentropy(t, p)
                    : lossName == "sparse_categorical_crossentropy" ? (t, p) => Losses.sparse_categorical_crossentropy(t, p)
                    : (t, p) => Losses.categorical_crossentropy(t, p);
            return (suffix, fn);
        }
        return name switch
        {
            "binary_accuracy" => (name, binary_accuracy),
            "categorical_accuracy" => (name, categorical_accuracy),
            "sparse_categorical_accuracy" => (name, sparse_categorical_accuracy),
            "top_k_categorical_accuracy" => (name, (t, p) => top_k_categorical_accuracy(t, p)),
            _ => (name, Losses.get(name)),
        };
    }
}
