using SharpFlow.Framework;
using SharpFlow.Ops.Initializers;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Layers;

/// <summary>
/// <c>tf.layers.dense</c>: <c>activation(inputs · kernel + bias)</c> with <c>kernel</c> [in, units]
/// (glorot_uniform by default) and <c>bias</c> [units] (zeros). Inputs of rank above 2 are multiplied along
/// their last axis.
/// </summary>
internal static class Dense
{
    public static Tensor Apply(Tensor inputs, int units, Func<Tensor, Tensor>? activation, bool useBias,
        Initializer? kernelInitializer, Initializer? biasInitializer, Functions.Regularizer? kernelRegularizer,
        Functions.Regularizer? biasRegularizer, bool trainable, string? name, Reuse? reuse)
    {
        if (units <= 0) throw new ValueError($"units must be positive, got {units}");
        LayerScope.CheckFloat(inputs, "Dense");
        var inDim = LayerScope.LastDimension(inputs, "Dense");
        using var scope = LayerScope.Enter(name, "dense", reuse);
        var kernel = LayerScope.Weight("kernel", new Shape(inDim, units), inputs.dtype, kernelInitializer, kernelRegularizer, trainable);
        var rank = inputs.shape.ndims;
        Tensor y;
        if (rank == 2) y = MatMul.Build(inputs, kernel);
        else
        {
            // [..., in] -> [-1, in] · kernel -> [..., units]
            var flat = Reshape.Build(inputs, new[] { -1, inDim });
            var outShape = inputs.shape.Dims;
            outShape[^1] = units;
            y = Reshape.Build(MatMul.Build(flat, kernel), outShape.Any(d => d < 0)
                ? ConcatV2.Build([Slice.Build(Shapes.Of(inputs), new[] { 0 }, new[] { rank - 1 }), Shapes.Const(inputs.graph, [units], "units")], 0)
                : Shapes.Const(inputs.graph, outShape, "shape"));
            y.SetShape(new Shape(outShape));
        }
        if (useBias)
        {
            var bias = LayerScope.Weight("bias", new Shape(units), inputs.dtype, biasInitializer ?? new ZerosInitializer(), biasRegularizer, trainable);
            y = BiasAdd.Build(y, bias);
        }
        return activation is null ? y : activation(y);
    }
}
