using static SharpFlow.Binding;

namespace SharpFlow.Rnn.Seq2Seq;

/// <summary>
/// <c>tf.contrib.seq2seq.sequence_loss</c> as TensorFlow 1.15's seq2seq/python/ops/loss.py: the cross entropy of
/// each [batch, time] position (sparse softmax by default) times its weight, then summed and divided by the sum
/// of the weights (<c>div_no_nan</c>) across time, batch, or both; or summed and divided by the count of non-zero
/// weights with <c>sum_over_*</c>.
/// </summary>
internal static class SequenceLoss
{
    public static Tensor Build(Tensor logits, Tensor targets, Tensor weights, bool averageAcrossTimesteps, bool averageAcrossBatch,
        bool sumOverTimesteps, bool sumOverBatch, Func<Tensor, Tensor, Tensor>? softmaxLossFunction, string? name)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(weights);
        if (logits.shape.ndims != 3) throw new ValueError("Logits must be a [batch_size x sequence_length x logits] tensor");
        if (targets.shape.ndims != 2) throw new ValueError("Targets must be a [batch_size x sequence_length] tensor");
        if (weights.shape.ndims != 2) throw new ValueError("Weights must be a [batch_size x sequence_length] tensor");
        if (averageAcrossTimesteps && sumOverTimesteps)
            throw new ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.");
        if (averageAcrossBatch && sumOverBatch)
            throw new ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.");
        using var _ = tf.name_scope(name ?? "sequence_loss");
        var numClasses = tf.shape(logits)[2];
        var logitsFlat = tf.reshape(logits, tf.stack(new TensorLike[] { -1, numClasses }));
        var targetsFlat = tf.reshape(targets, new[] { -1 });
        var crossent = softmaxLossFunction is null
            ? tf.nn.sparse_softmax_cross_entropy_with_logits(labels: targetsFlat, logits: logitsFlat)
            : softmaxLossFunction(targetsFlat, logitsFlat);
        crossent *= tf.reshape(weights, new[] { -1 });
        if (averageAcrossTimesteps && averageAcrossBatch)
            return DivNoNan(tf.reduce_sum(crossent), tf.reduce_sum(weights));
        if (sumOverTimesteps && sumOverBatch)
            return DivNoNan(tf.reduce_sum(crossent), tf.cast(tf.count_nonzero(weights), crossent.dtype));
        crossent = tf.reshape(crossent, tf.shape(logits)[..2]);
        if (averageAcrossTimesteps || averageAcrossBatch)
        {
            var axis = averageAcrossBatch ? new[] { 0 } : new[] { 1 };
            return DivNoNan(tf.reduce_sum(crossent, axis), tf.reduce_sum(weights, axis));
        }
        if (sumOverTimesteps || sumOverBatch)
        {
            var axis = sumOverBatch ? new[] { 0 } : new[] { 1 };
            return DivNoNan(tf.reduce_sum(crossent, axis), tf.cast(tf.count_nonzero(weights, axis), crossent.dtype));
        }
        return crossent;
    }

    /// <summary>TensorFlow's <c>div_no_nan</c>: x / y, and 0 where y is 0 (with a gradient that is 0 there too).</summary>
    public static Tensor DivNoNan(Tensor x, Tensor y)
    {
        var zero = tf.equal(y, tf.zeros_like(y));
        var safe = tf.where(zero, tf.ones_like(y), y);
        var q = x / safe;
        return tf.where(zero, tf.zeros_like(q), q);
    }
}
