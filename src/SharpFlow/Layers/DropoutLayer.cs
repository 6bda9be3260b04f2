using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Array;
using SharpFlow.Ops.Math;

namespace SharpFlow.Layers;

/// <summary>
/// <c>tf.layers.dropout(inputs, rate, training)</c>: drops a fraction <c>rate</c> of the inputs while training and
/// passes them through otherwise. <c>training</c> is a bool or a bool tensor (a placeholder, so one graph serves
/// training and evaluation): then the keep probability is <c>training ? 1 - rate : 1</c>, and a keep probability
/// of 1 leaves every element exactly as it was.
/// </summary>
internal static class DropoutLayer
{
    public static Tensor Apply(Tensor inputs, double rate, TensorLike training, Shape? noiseShape, int? seed, string? name)
    {
        if (!(rate >= 0 && rate < 1)) throw new ValueError($"rate must be in [0, 1), got {rate}");
        using var b = OpBuilder.Begin(name, "dropout", inputs);
        TensorLike keep;
        if (training.IsEmpty || training.Value is bool)
        {
            if (!(training.Value is true) || rate == 0) return Identity.Build(inputs, "Identity");
            keep = 1 - rate;
        }
        else
        {
            var flag = b.Convert(training, "training");
            if (flag.dtype != DType.@bool) throw new TypeError($"training must be a bool or a bool tensor, got {flag}");
            keep = Select.Build(flag, Const.Create(b.Graph, Literal.ToNDArray(1 - rate, inputs.dtype), "keep_prob_training"),
                Const.Create(b.Graph, Literal.ToNDArray(1.0, inputs.dtype), "keep_prob_inference"), "keep_prob");
        }
        return Functions.Dropout.Build(inputs, keep, noiseShape is null ? (Ops.Random.ShapeInput?)null : (Ops.Random.ShapeInput)noiseShape, seed, "dropout");
    }
}
