using static SharpFlow.Binding;

namespace SharpFlow.Keras;

/// <summary>
/// Keras's losses (<c>tf.keras.losses</c>): each takes <c>(y_true, y_pred)</c> and returns one value per sample
/// (the mean or sum over the last axis), with Keras's clipping of probabilities to [ε, 1 − ε] (ε = 1e-7).
/// </summary>
public static class Losses
{
    private static Tensor Eps(Tensor like) => tf.constant(Backend.epsilon(), dtype: like.dtype);

    /// <summary>Mean squared error over the last axis.</summary>
    public static Tensor mean_squared_error(Tensor y_true, Tensor y_pred) => tf.reduce_mean(tf.square(y_pred - y_true), axis: -1);

    /// <summary>Mean absolute error over the last axis.</summary>
    public static Tensor mean_absolute_error(Tensor y_true, Tensor y_pred) => tf.reduce_mean(tf.abs(y_pred - y_true), axis: -1);

    /// <summary>100 · mean |(t − p) / max(|t|, ε)|.</summary>
    public static Tensor mean_absolute_percentage_error(Tensor y_true, Tensor y_pred)
    {
        var diff = tf.abs((y_true - y_pred) / tf.maximum(tf.abs(y_true), Eps(y_true)));
        return tf.reduce_mean(diff, axis: -1) * tf.constant(100.0, dtype: y_pred.dtype);
    }

    /// <summary>Mean of (log(max(p, ε) + 1) − log(max(t, ε) + 1))².</summary>
    public static Tensor mean_squared_logarithmic_error(Tensor y_true, Tensor y_pred)
    {
        var one = tf.constant(1.0, dtype: y_pred.dtype);
        var first = tf.log(tf.maximum(y_pred, Eps(y_pred)) + one);
        var second = tf.log(tf.maximum(y_true, Eps(y_true)) + one);
        return tf.reduce_mean(tf.square(first - second), axis: -1);
    }

    /// <summary>Mean of max(1 − t·p, 0).</summary>
    public static Tensor hinge(Tensor y_true, Tensor y_pred) =>
        tf.reduce_mean(tf.maximum(tf.constant(1.0, dtype: y_pred.dtype) - y_true * y_pred, tf.constant(0.0, dtype: y_pred.dtype)), axis: -1);

    /// <summary>Mean of max(1 − t·p, 0)².</summary>
    public static Tensor squared_hinge(Tensor y_true, Tensor y_pred) =>
        tf.reduce_mean(tf.square(tf.maximum(tf.constant(1.0, dtype: y_pred.dtype) - y_true * y_pred, tf.constant(0.0, dtype: y_pred.dtype))), axis: -1);

    /// <summary>max(0, max over wrong classes − true class score + 1).</summary>
    public static Tensor categorical_hinge(Tensor y_true, Tensor y_pred)
    {
        var one = tf.constant(1.0, dtype: y_pred.dtype);
        var pos = tf.reduce_sum(y_true * y_pred, axis: -1);
        var neg = tf.reduce_max((one - y_true) * y_pred, axis: -1);
        return tf.maximum(tf.constant(0.0, dtype: y_pred.dtype), neg - pos + one);
    }

    /// <summary>Mean of log(cosh(p − t)), computed as x + softplus(−2x) − log 2.</summary>
    public static Tensor logcosh(Tensor y_true, Tensor y_pred)
    {
        var x = y_pred - y_true;
        var two = tf.constant(2.0, dtype: x.dtype);
        return tf.reduce_mean(x + tf.nn.softplus(-two * x) - tf.constant(Math.Log(2.0), dtype: x.dtype), axis: -1);
    }

    /// <summary>Keras's backend categorical cross entropy: p scaled to sum 1, clipped to [ε, 1 − ε], −Σ t·log p.</summary>
    public static Tensor categorical_crossentropy(Tensor y_true, Tensor y_pred, bool from_logits = false)
    {
        if (from_logits) return tf.nn.softmax_cross_entropy_with_logits_v2(labels: y_true, logits: y_pred);
        var output = y_pred / tf.reduce_sum(y_pred, axis: -1, keepdims: true);
        var eps = Eps(output);
        output = tf.clip_by_value(output, eps, tf.constant(1.0, dtype: output.dtype) - eps);
        return -tf.reduce_sum(y_true * tf.log(output), axis: -1);
    }

    /// <summary>
    /// Keras's backend sparse categorical cross entropy: integer labels (stored as floats, shape [n, 1] or [n]),
    /// log of the clipped probabilities as logits of <c>sparse_softmax_cross_entropy_with_logits</c>.
    /// </summary>
    public static Tensor sparse_categorical_crossentropy(Tensor y_true, Tensor y_pred, bool from_logits = false)
    {
        var logits = y_pred;
        if (!from_logits)
        {
            var eps = Eps(y_pred);
            logits = tf.log(tf.clip_by_value(y_pred, eps, tf.constant(1.0, dtype: y_pred.dtype) - eps));
        }
        var classes = logits.shape[logits.shape.ndims - 1];
        var flatLogits = tf.reshape(logits, new[] { -1, classes });
        var labels = tf.cast(tf.reshape(y_true, new[] { -1 }), tf.int64);
        var res = tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: flatLogits);
        if (logits.shape.ndims == 2) return res;
        return tf.reshape(res, tf.shape(logits)[..^1]);
    }

    /// <summary>Mean over the last axis of Keras's backend binary cross entropy (clipped p turned into logits).</summary>
    public static Tensor binary_crossentropy(Tensor y_true, Tensor y_pred, bool from_logits = false)
    {
        var logits = y_pred;
        if (!from_logits)
        {
            var eps = Eps(y_pred);
            var one = tf.constant(1.0, dtype: y_pred.dtype);
            var p = tf.clip_by_value(y_pred, eps, one - eps);
            logits = tf.log(p / (one - p));
        }
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels: y_true, logits: logits), axis: -1);
    }

    /// <summary>Σ t·log(t / p) with both clipped to [ε, 1].</summary>
    public static Tensor kullback_leibler_divergence(Tensor y_true, Tensor y_pred)
    {
        var one = tf.constant(1.0, dtype: y_pred.dtype);
        var t = tf.clip_by_value(y_true, Eps(y_true), one);
        var p = tf.clip_by_value(y_pred, Eps(y_pred), one);
        return tf.reduce_sum(t * tf.log(t / p), axis: -1);
    }

    /// <summary>Mean of p − t·log(p + ε).</summary>
    public static Tensor poisson(Tensor y_true, Tensor y_pred) =>
        tf.reduce_mean(y_pred - y_true * tf.log(y_pred + Eps(y_pred)), axis: -1);

    /// <summary>−Σ of the L2-normalized t·p.</summary>
    public static Tensor cosine_proximity(Tensor y_true, Tensor y_pred) =>
        -tf.reduce_sum(tf.nn.l2_normalize(y_true, axis: -1) * tf.nn.l2_normalize(y_pred, axis: -1), axis: -1);

    /// <summary>Keras's <c>losses.get(name)</c>, with its aliases (mse, mae, mape, msle, kld, cosine).</summary>
    public static Func<Tensor, Tensor, Tensor> get(string name) => name switch
    {
        "mean_squared_error" or "mse" or "MSE" => mean_squared_error,
        "mean_absolute_error" or "mae" or "MAE" => mean_absolute_error,
        "mean_absolute_percentage_error" or "mape" or "MAPE" => mean_absolute_percentage_error,
        "mean_squared_logarithmic_error" or "msle" or "MSLE" => mean_squared_logarithmic_error,
        "hinge" => hinge,
        "squared_hinge" => squared_hinge,
        "categorical_hinge" => categorical_hinge,
        "logcosh" => logcosh,
        "categorical_crossentropy" => (t, p) => categorical_crossentropy(t, p),
        "sparse_categorical_crossentropy" => (t, p) => sparse_categorical_crossentropy(t, p),
        "binary_crossentropy" => (t, p) => binary_crossentropy(t, p),
        "kullback_leibler_divergence" or "kld" or "KLD" => kullback_leibler_divergence,
        "poisson" => poisson,
        "cosine_proximity" or "cosine" => cosine_proximity,
        _ => throw new ValueError($"Unknown loss function:{name}"),
    };
}
