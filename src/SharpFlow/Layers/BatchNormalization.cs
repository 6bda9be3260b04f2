using SharpFlow.Framework;
using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.State;
using static SharpFlow.Ops.Control.ControlFlowOps;

namespace SharpFlow.Layers;

/// <summary>
/// <c>tf.layers.batch_normalization</c> over the last axis: while training, the batch's mean and variance
/// normalize the inputs and the ops that move <c>moving_mean</c> and <c>moving_variance</c> towards them (by
/// <c>1 - momentum</c>) go into the <c>UPDATE_OPS</c> collection, as in TensorFlow (run them with the train op:
/// <c>tf.control_dependencies(tf.get_collection(UPDATE_OPS))</c>); otherwise the moving statistics normalize.
/// For 4-D inputs the moving variance takes the unbiased batch variance, as TensorFlow's fused kernel does.
/// <c>training</c> may be a bool tensor, so one graph serves training and evaluation. As in TensorFlow 1.x,
/// <c>fused</c> (default null: when possible) normalizes a 4-D NHWC (axis -1 or 3) or NCHW (axis 1) input with
/// FusedBatchNormV3 (<see cref="FusedBatchNormLayer"/>); <c>fused=false</c> and other inputs use ordinary ops.
/// </summary>
internal static class BatchNormalization
{
    public static Tensor Apply(Tensor inputs, int axis, double momentum, double epsilon, bool center, bool scale, TensorLike training,
        bool trainable, string? name, Reuse? reuse, bool? fused = null)
    {
        LayerScope.CheckFloat(inputs, "BatchNormalization");
        var rank = inputs.shape.IsKnownRank ? inputs.shape.ndims : throw new ValueError($"BatchNormalization needs inputs of known rank: {inputs}");
        // TensorFlow 1.x's layer: fused=None means fused, and fused falls back to the decomposed form where the fused
        // op cannot serve (not 4-D, an axis other than the channels of NHWC or NCHW; here also float64).
        var fusedFormat = fused ?? true ? FusedBatchNormLayer.DataFormat(rank, axis, inputs.dtype) : null;
        if (fusedFormat is null && axis != -1 && axis != rank - 1)
            throw new ValueError($"BatchNormalization normalizes over the last axis only (axis=-1 or {rank - 1}), got axis={axis}");
        var channels = fusedFormat == "NCHW"
            ? (inputs.shape[1] >= 0 ? inputs.shape[1] : throw new ValueError($"Input has undefined `axis` dimension. Input shape: {inputs.shape}"))
            : LayerScope.LastDimension(inputs, "BatchNormalization");
        // The fused op keeps float16 layers' statistics in float32, as Keras' param_dtype.
        var dtype = inputs.dtype == DType.float16 ? DType.float32 : inputs.dtype;
        using var scope = LayerScope.Enter(name, "batch_normalization", reuse);
        var shape = new Shape(channels);
        var gamma = scale ? LayerScope.Weight("gamma", shape, dtype, new OnesInitializer(), null, trainable) : null;
        var beta = center ? LayerScope.Weight("beta", shape, dtype, new ZerosInitializer(), null, trainable) : null;
        var movingMean = LayerScope.Weight("moving_mean", shape, dtype, new ZerosInitializer(), null, trainable: false);
        var movingVariance = LayerScope.Weight("moving_variance", shape, dtype, new OnesInitializer(), null, trainable: false);

        if (fusedFormat is not null)
            return FusedBatchNormLayer.Apply(inputs, gamma, beta, movingMean, movingVariance, epsilon, momentum, training.IsEmpty ? false : training, fusedFormat,
                u => inputs.graph.add_to_collection(GraphKeys.UPDATE_OPS, u));

        bool? fixedTraining = training.IsEmpty ? false : training.Value as bool?;
        if (fixedTraining == false)
            return Functions.Moments.Normalize(inputs, movingMean, movingVariance, beta, gamma, epsilon, "batchnorm");

        var axes = Enumerable.Range(0, rank - 1).ToArray();
        var (mean, variance) = Functions.Moments.Build(inputs, axes, keepDims: false, "moments");
        Tensor useMean = mean, useVariance = variance;
        var decay = Ops.ArrayOps.Const.Create(inputs.graph, Literal.ToNDArray(1 - momentum, dtype), "decay");
        TensorLike flag = true;
        if (fixedTraining is null)
        {
            // A bool tensor picks the batch or the moving statistics through tf.cond (TensorFlow's smart_cond), and
            // the updates run only while training.
            var t = training.Value as Tensor ?? throw new TypeError($"training must be a bool or a bool tensor, got {training.Value}");
            if (t.dtype != DType.@bool) throw new TypeError($"training must be a bool or a bool tensor, got {t}");
            flag = t;
            useMean = SmartCond(t, () => mean, () => Ops.ArrayOps.Identity.Build(movingMean), "cond");
            useVariance = SmartCond(t, () => variance, () => Ops.ArrayOps.Identity.Build(movingVariance), "cond_1");
        }
        var y = Functions.Moments.Normalize(inputs, useMean, useVariance, beta, gamma, epsilon, "batchnorm");

        Tensor target = variance;
        if (rank == 4)
        {
            // Bessel's correction n/(n-1) over the N·H·W values per channel, as the fused kernel.
            var n = Cast.Build(Prod.Build(Ops.ArrayOps.Slice.Build(Ops.Shapes.Of(inputs), new[] { 0 }, new[] { rank - 1 })), dtype);
            target = Mul.Build(variance, RealDiv.Build(n, Maximum.Build(Sub.Build(n, Literal.ToNDArray(1.0, dtype)), Literal.ToNDArray(1.0, dtype))));
        }
        var updateMean = SmartCond(flag, () => AssignSub.Build(movingMean, Mul.Build(Sub.Build(movingMean, mean), decay), name: "AssignMovingAvg"),
            () => Ops.ArrayOps.Identity.Build(movingMean), "cond_2");
        var updateVariance = SmartCond(flag, () => AssignSub.Build(movingVariance, Mul.Build(Sub.Build(movingVariance, target), decay), name: "AssignMovingAvg_1"),
            () => Ops.ArrayOps.Identity.Build(movingVariance), "cond_3");
        inputs.graph.add_to_collection(GraphKeys.UPDATE_OPS, updateMean);
        inputs.graph.add_to_collection(GraphKeys.UPDATE_OPS, updateVariance);
        return y;
    }
}
