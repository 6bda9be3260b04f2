using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Importer refusals that had no test: each is an <see cref="UnimplementedError"/> naming the file, the node (by
/// its first output when unnamed), the operator and the attribute or input it cannot honour.
/// </summary>
public sealed class OnnxImporterRefusalTests
{
    private static string Refusal(byte[] model, bool dynamicBatch = false)
    {
        using var g = TestGraph.Enter();
        return Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(model, "m.onnx").Import(new OnnxImportOptions { DynamicBatch = dynamicBatch })).RawMessage;
    }

    private static string Says(string node, string op, string what) => $"m.onnx: node '{node}' ({op}) uses {what}, which SharpFlow.Onnx does not support.";

    [Fact]
    public void ConstantsAndReshapesMissingTheirValue()
    {
        Assert.Equal(Says("Constant_0", "Constant", "a Constant without a value"), Refusal(Model("Constant", 13, [], [], 1)));
        Assert.Equal(Says("Reshape_0", "Reshape", "a Reshape without shape"), Refusal(Model("Reshape", 1, [], [F(1, 2, 3)], 1)));
    }

    [Fact]
    public void ADropoutTrainingModeComputedInTheGraph()
    {
        var model = Model("Dropout", 13, [], [F(1, 2, 3), Const(NDArray.Scalar(0.5f)), NDArray.Scalar(false)], 1);
        Assert.Equal(Says("Dropout_0", "Dropout", "a computed training_mode"), Refusal(model));
    }

    [Fact]
    public void BatchNormalizationsRunningStatisticsOutsideTraining()
    {
        var c = Const(NDArray.FromFlat(new[] { 1f, 2f }, new Shape(2)));
        var model = Model("BatchNormalization", 14, [], [F(1, 1, 2, 3, 3), c, c, c, c], 3);
        Assert.Equal(Says("BatchNormalization_0", "BatchNormalization", "BatchNormalization's running statistics outputs (training mode)"), Refusal(model));
    }

    [Fact]
    public void ResizeKeepingTheAspectRatioOrOfAnAxisUnknownAtImport()
    {
        var policy = Model("Resize", 18, [("mode", "nearest"), ("keep_aspect_ratio_policy", "not_larger")], [F(1, 1, 1, 2, 2), None, None, Const(L(4, 4))], 1);
        Assert.Equal(Says("Resize_0", "Resize", "keep_aspect_ratio_policy=not_larger"), Refusal(policy));
        // Constant sizes for the batch, whose size is known only at run time.
        var batch = Model("Resize", 13, [("mode", "nearest")], [F(1, 1, 1, 2, 2), None, None, Const(L(2, 1, 4, 4))], 1);
        Assert.Equal(Says("Resize_0", "Resize", "a resized axis whose size is unknown at import"), Refusal(batch, dynamicBatch: true));
    }

    [Fact]
    public void AnOperatorOfAnotherDomain()
    {
        var proto = ModelProto.Parser.ParseFrom(Model("Relu", 13, [], [F(1, 2, 3)], 1));
        proto.Graph.Node[0].Domain = "com.microsoft";
        Assert.Equal(Says("Relu_0", "Relu", "operator domain 'com.microsoft'"), Refusal(proto.ToByteArray()));
    }
}
