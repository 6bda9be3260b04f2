using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>The extra outputs of MaxPool (Indices) and BatchNormalization (training mode), imported, give ONNX Runtime's.</summary>
public sealed class OnnxExtraOutputsTests
{
    [Fact]
    public void MaxPoolIndicesInBothStorageOrders()
    {
        foreach (var order in new[] { 0, 1 })
        {
            Agrees("MaxPool", 12, [("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("storage_order", order)], [F(1, 2, 3, 6, 6)], outputs: 2);
            Agrees("MaxPool", 12, [("kernel_shape", new[] { 3, 3 }), ("storage_order", order)], [F(2, 2, 2, 5, 7)], outputs: 2);
            Agrees("MaxPool", 12, [("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("auto_pad", "SAME_UPPER"), ("storage_order", order)], [F(3, 1, 3, 5, 5)], outputs: 2);
            Agrees("MaxPool", 12, [("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 0, 0, 1, 1 }), ("storage_order", order)], [F(4, 2, 2, 5, 5)], outputs: 2);
        }
    }

    [Fact]
    public void BatchNormalizationTrainingModeOutputsTheRunningStatistics()
    {
        NDArray Positive(int seed, int n) => Uniform(seed, 0.5, 1.5, n);
        foreach (var shape in new[] { new[] { 4, 3, 5, 5 }, new[] { 6, 3 }, new[] { 2, 3, 7 } })
        {
            var c = shape[1];
            Agrees("BatchNormalization", 15, [("training_mode", 1), ("momentum", 0.8f), ("epsilon", 1e-3f)],
                [F(1, shape), Const(Positive(2, c)), Const(F(3, c)), Const(F(4, c)), Const(Positive(5, c))], outputs: 3, tolerance: 1e-5);
            Agrees("BatchNormalization", 14, [("training_mode", 1)],
                [F(6, shape), Positive(2, c), F(3, c), F(4, c), Positive(5, c)], outputs: 3, tolerance: 1e-5, dynamicBatch: false);
        }
    }
}
