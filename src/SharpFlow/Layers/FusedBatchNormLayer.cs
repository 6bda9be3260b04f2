using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.NN;
using SharpFlow.Train;
using static SharpFlow.Ops.Control.ControlFlowOps;

namespace SharpFlow.Layers;

/// <summary>
/// The fused path of the batch normalization layers (Keras' <c>BatchNormalizationBase._fused_batch_norm</c>, used by
/// <c>tf.layers</c>, <c>tf.keras</c> and slim): one FusedBatchNormV3 with the batch's statistics while training, one
/// with the moving statistics otherwise, chosen by <c>smart_cond</c> (a <c>tf.cond</c> for a bool tensor); the
/// moving mean and variance move towards the fused op's batch mean and unbiased variance by <c>1 - momentum</c>
/// (<c>AssignMovingAvg</c>, <c>AssignMovingAvg_1</c>), where momentum is itself <c>smart_cond(training, momentum, 1)</c>
/// for a bool tensor, so the updates leave the variables unchanged in inference.
/// </summary>
internal static class FusedBatchNormLayer
{
    /// <summary>
    /// The data format the fused op takes for a normalization <paramref name="axis"/> of a rank-<paramref name="rank"/>
    /// input (Keras' <c>_fused_can_be_used</c>: 4-D, axis 3 or 1), or null when the layer cannot be fused.
    /// </summary>
    public static string? DataFormat(int rank, int axis, DType dtype)
    {
        if (rank != 4 || (dtype != DType.float32 && dtype != DType.float16)) return null;
        return axis is -1 or 3 ? "NHWC" : axis is 1 or -3 ? "NCHW" : null;
    }

    /// <summary>
    /// Normalizes <paramref name="inputs"/>; <paramref name="training"/> is a bool or a bool tensor. Each update op
    /// goes to <paramref name="addUpdate"/> (none when training is the constant false).
    /// </summary>
    public static Tensor Apply(Tensor inputs, Tensor? gamma, Tensor? beta, Variable movingMean, Variable movingVariance, double epsilon, double momentum,
        TensorLike training, string dataFormat, Action<Tensor> addUpdate)
    {
        var graph = inputs.graph;
        var channels = movingMean.shape[0];
        var paramType = movingMean.dtype;
        // Keras' _gamma_const and _beta_const: K.constant(1.0 / 0.0, shape=param_shape).
        gamma ??= Const.Create(graph, Literal.ToNDArray(Enumerable.Repeat(1.0, channels).ToArray(), paramType), "Const");
        beta ??= Const.Create(graph, NDArray.Zeros(paramType, new Shape(channels)), "Const");
        (Tensor, Tensor, Tensor) Train() => FusedBatchNormV3.Function(inputs, gamma, beta, null, null, epsilon, dataFormat, true, null);
        (Tensor, Tensor, Tensor) Infer() => FusedBatchNormV3.Function(inputs, gamma, beta, movingMean, movingVariance, epsilon, dataFormat, false, null);

        var fixedTraining = ConstantBool(training);
        Tensor y, mean, variance;
        if (fixedTraining is { } known) (y, mean, variance) = known ? Train() : Infer();
        else
        {
            var r = Cond(training, () => Flatten(Train()), () => Flatten(Infer()), "cond");
            (y, mean, variance) = (r[0], r[1], r[2]);
        }
        if (fixedTraining == false) return y;

        TensorLike momentumValue = fixedTraining is null
            ? SmartCond(training, () => Const.Create(graph, Literal.ToNDArray(momentum, DType.float32), "Const"),
                () => Const.Create(graph, Literal.ToNDArray(1.0, DType.float32), "Const"), "cond_1")
            : Const.Create(graph, Literal.ToNDArray(momentum, DType.float32), "Const");
        addUpdate(MovingAverages.AssignMovingAverage(movingMean, mean, momentumValue, zeroDebias: false, name: null));
        addUpdate(MovingAverages.AssignMovingAverage(movingVariance, variance, momentumValue, zeroDebias: false, name: null));
        return y;
    }

    private static IReadOnlyList<ITensorOrOperation> Flatten((Tensor A, Tensor B, Tensor C) r) => [r.A, r.B, r.C];

    // A Python bool, or a constant bool tensor (smart_cond's constant_value); null for a tensor known at run time.
    private static bool? ConstantBool(TensorLike training)
    {
        switch (training.Value)
        {
            case bool b: return b;
            case Tensor t when t.op.Def.ConstantValue(t.op, t.value_index) is { } value && value.dtype == DType.@bool && value.size == 1:
                return value.ToArray<bool>()[0];
            case Tensor t when t.dtype == DType.@bool: return null;
            default: throw new TypeError($"training must be a bool or a bool tensor, got {training.Value}");
        }
    }
}
