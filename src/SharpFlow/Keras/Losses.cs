using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras;

/// <summary>
/// Keras's losses (<c>tf.keras.losses</c>): each takes <c>(y_true, y_pred)</c> and returns one value per sample
/// (the mean or sum over the last axis), with Keras's clipping of probabilities to [ε, 1 − ε] (ε = 1e-7).
/// </summary>
public static class Losses
{
    private static Tensor Eps(Tensor like) => Const.Build(Backend.epsilon(), like.dtype);

    /// <summary>Mean squared error over the last axis.</summary>
    public static Tensor mean_squared_error(Tensor y_true, Tensor y_pred) => Mean.Build(Square.Build(y_pred - y_true), -1);

    /// <summary>Mean absolute error over the last axis.</summary>
    public static Tensor mean_absolute_error(Tensor y_true, Tensor y_pred) => Mean.Build(Abs.Build(y_pred - y_true), -1);

    /// <summary>100 · mean |(t − p) / max(|t|, ε)|.</summary>
    public static Tensor mean_absolute_percentage_error(Tensor y_true, Tensor y_pred)
    {
        var diff = Abs.Build((y_true - y_pred) / SharpFlow.Ops.MathOps.Maximum.Build(Abs.Build(y_true), Eps(y_true)));
        return Mean.Build(diff, -1) * Const.Build(100.0, y_pred.dtype);
    }

    /// <summary>Mean of (log(max(p, ε) + 1) − log(max(t, ε) + 1))².</summary>
    public static Tensor mean_squared_logarithmic_error(Tensor y_true, Tensor y_pred)
    {
        var one = Const.Build(1.0, y_pred.dtype);
        var first = Log.Build(SharpFlow.Ops.MathOps.Maximum.Build(y_pred, Eps(y_pred)) + one);
        var second = Log.Build(SharpFlow.Ops.MathOps.Maximum.Build(y_true, Eps(y_true)) + one);
        return Mean.Build(Square.Build(first - second), -1);
    }

    /// <summary>Mean of max(1 − t·p, 0).</summary>
    public static Tensor hinge(Tensor y_true, Tensor y_pred) =>
        Mean.Build(SharpFlow.Ops.MathOps.Maximum.Build(Const.Build(1.0, y_pred.dtype) - y_true * y_pred, Const.Build(0.0, y_pred.dtype)), -1);

    /// <summary>Mean of max(1 − t·p, 0)².</summary>
    public static Tensor squared_hinge(Tensor y_true, Tensor y_pred) =>
        Mean.Build(Square.Build(SharpFlow.Ops.MathOps.Maximum.Build(Const.Build(1.0, y_pred.dtype) - y_true * y_pred, Const.Build(0.0, y_pred.dtype))), -1);

    /// <summary>max(0, max over wrong classes − true class score + 1).</summary>
    public static Tensor categorical_hinge(Tensor y_true, Tensor y_pred)
    {
        var one = Const.Build(1.0, y_pred.dtype);
        var pos = Sum.Build(y_true * y_pred, -1);
        var neg = Max.Build((one - y_true) * y_pred, -1);
        return SharpFlow.Ops.MathOps.Maximum.Build(Const.Build(0.0, y_pred.dtype), neg - pos + one);
    }

    /// <summary>Mean of log(cosh(p − t)), computed as x + softplus(−2x) − log 2.</summary>
    public static Tensor logcosh(Tensor y_true, Tensor y_pred)
    {
        var x = y_pred - y_true;
        var two = Const.Build(2.0, x.dtype);
        return Mean.Build(x + Softplus.Build(-two * x) - Const.Build(Math.Log(2.0), x.dtype), -1);
    }

    /// <summary>Keras's backend categorical cross entropy: p scaled to sum 1, clipped to [ε, 1 − ε], −Σ t·log p.</summary>
    public static Tensor categorical_crossentropy(Tensor y_true, Tensor y_pred, bool from_logits = false)
    {
        if (from_logits) return CrossEntropy.SoftmaxV2(y_true, y_pred, null);
        var output = y_pred / Sum.Build(y_pred, -1, true);
        var eps = Eps(output);
        output = Clipping.ByValue(output, eps, Const.Build(1.0, output.dtype) - eps, null);
        return -Sum.Build(y_true * Log.Build(output), -1);
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
            logits = Log.Build(Clipping.ByValue(y_pred, eps, Const.Build(1.0, y_pred.dtype) - eps, null));
        }
        var classes = logits.shape[logits.shape.ndims - 1];
        var flatLogits = SharpFlow.Ops.ArrayOps.Reshape.Build(logits, new[] { -1, classes });
        var labels = Cast.Build(SharpFlow.Ops.ArrayOps.Reshape.Build(y_true, new[] { -1 }), DType.int64);
        var res = CrossEntropy.Sparse(labels, flatLogits, null);
        if (logits.shape.ndims == 2) return res;
        return SharpFlow.Ops.ArrayOps.Reshape.Build(res, Shape_.Build(logits)[..^1]);
    }

    /// <summary>Mean over the last axis of Keras's backend binary cross entropy (clipped p turned into logits).</summary>
    public static Tensor binary_crossentropy(Tensor y_true, Tensor y_pred, bool from_logits = false)
    {
        var logits = y_pred;
        if (!from_logits)
        {
            var eps = Eps(y_pred);
            var one = Const.Build(1.0, y_pred.dtype);
            var p = Clipping.ByValue(y_pred, eps, one - eps, null);
            logits = Log.Build(p / (one - p));
        }
        return Mean.Build(CrossEntropy.Sigmoid(y_true, logits, null), -1);
    }

    /// <summary>Σ t·log(t / p) with both clipped to [ε, 1].</summary>
    public static Tensor kullback_leibler_divergence(Tensor y_true, Tensor y_pred)
    {
        var one = Const.Build(1.0, y_pred.dtype);
        var t = Clipping.ByValue(y_true, Eps(y_true), one, null);
        var p = Clipping.ByValue(y_pred, Eps(y_pred), one, null);
        return Sum.Build(t * Log.Build(t / p), -1);
    }

    /// <summary>Mean of p − t·log(p + ε).</summary>
    public static Tensor poisson(Tensor y_true, Tensor y_pred) =>
        Mean.Build(y_pred - y_true * Log.Build(y_pred + Eps(y_pred)), -1);

    /// <summary>−Σ of the L2-normalized t·p.</summary>
    public static Tensor cosine_proximity(Tensor y_true, Tensor y_pred) =>
        -Sum.Build(Activations.L2Normalize(y_true, -1, 1e-12, null) * Activations.L2Normalize(y_pred, -1, 1e-12, null), -1);

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
