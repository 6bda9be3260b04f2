using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

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
        using var _ = Graph.get_default().name_scope(name ?? "sequence_loss");
        var numClasses = Shape_.Build(logits)[2];
        var logitsFlat = Reshape.Build(logits, Pack.Build(new TensorLike[] { -1, numClasses }));
        var targetsFlat = Reshape.Build(targets, new[] { -1 });
        var crossent = softmaxLossFunction is null
            ? CrossEntropy.Sparse(targetsFlat, logitsFlat, null)
            : softmaxLossFunction(targetsFlat, logitsFlat);
        crossent *= Reshape.Build(weights, new[] { -1 });
        if (averageAcrossTimesteps && averageAcrossBatch)
            return DivNoNan(Sum.Build(crossent), Sum.Build(weights));
        if (sumOverTimesteps && sumOverBatch)
            return DivNoNan(Sum.Build(crossent), Cast.Build(MathFunctions.CountNonzero(weights, null, false, null, null), crossent.dtype));
        crossent = Reshape.Build(crossent, Shape_.Build(logits)[..2]);
        if (averageAcrossTimesteps || averageAcrossBatch)
        {
            var axis = averageAcrossBatch ? new[] { 0 } : new[] { 1 };
            return DivNoNan(Sum.Build(crossent, axis), Sum.Build(weights, axis));
        }
        if (sumOverTimesteps || sumOverBatch)
        {
            var axis = sumOverBatch ? new[] { 0 } : new[] { 1 };
            return DivNoNan(Sum.Build(crossent, axis), Cast.Build(MathFunctions.CountNonzero(weights, axis, false, null, null), crossent.dtype));
        }
        return crossent;
    }

    /// <summary>TensorFlow's <c>div_no_nan</c>: x / y, and 0 where y is 0 (with a gradient that is 0 there too).</summary>
    public static Tensor DivNoNan(Tensor x, Tensor y)
    {
        var zero = Equal.Build(y, ZerosLike.Def.Apply(y, null, true, null));
        var safe = Select.Build(zero, OnesLike.Def.Apply(y, null, true, null), y);
        var q = x / safe;
        return Select.Build(zero, ZerosLike.Def.Apply(q, null, true, null), q);
    }
}
