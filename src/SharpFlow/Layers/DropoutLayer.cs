using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Layers;

/// <summary>
/// <c>tf.layers.dropout(inputs, rate, training)</c>: drops a fraction <c>rate</c> of the inputs while training and
/// passes them through otherwise. <c>training</c> is a bool or a bool tensor (a placeholder, so one graph serves
/// training and evaluation): then a <c>tf.cond</c> runs the dropout only while training.
/// </summary>
internal static class DropoutLayer
{
    public static Tensor Apply(Tensor inputs, double rate, TensorLike training, Shape? noiseShape, int? seed, string? name)
    {
        if (!(rate >= 0 && rate < 1)) throw new ValueError($"rate must be in [0, 1), got {rate}");
        using var b = OpBuilder.Begin(name, "dropout", inputs);
        if (training.IsEmpty) training = false;
        if (rate == 0) return Identity.Build(inputs, "Identity");
        // As TensorFlow's smart_cond: a bool picks one graph now; a bool tensor builds a cond, so evaluation runs
        // no random op and leaves the inputs exactly as they were.
        return Ops.Control.ControlFlowOps.SmartCond(training,
            () => Functions.Dropout.Build(inputs, 1 - rate, noiseShape is null ? (Ops.RandomOps.ShapeInput?)null : (Ops.RandomOps.ShapeInput)noiseShape, seed, "dropout"),
            () => Identity.Build(inputs, "Identity"), "cond");
    }
}
