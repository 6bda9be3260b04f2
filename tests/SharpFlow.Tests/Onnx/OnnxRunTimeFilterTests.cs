using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Conv and ConvTranspose whose W (and B) is known only at run time — a graph input, or computed from one — against
/// ONNX Runtime: the OIHW layout change is then a Transpose in the imported graph instead of a permuted constant.
/// </summary>
public sealed class OnnxRunTimeFilterTests
{
    [Fact]
    public void ConvWithWAndBAsGraphInputs()
    {
        Agrees("Conv", 13, [], [F(1, 2, 3, 5, 5), F(2, 4, 3, 3, 3)], tolerance: 1e-4);
        Agrees("Conv", 13, [("pads", new[] { 1, 0, 2, 1 }), ("strides", new[] { 2, 1 })], [F(1, 2, 3, 5, 5), F(2, 4, 3, 3, 3), F(3, 4)], tolerance: 1e-4);
        Agrees("Conv", 13, [("auto_pad", "SAME_UPPER"), ("strides", new[] { 2 })], [F(4, 2, 3, 9), F(5, 2, 3, 3), F(6, 2)], tolerance: 1e-4);
        Agrees("Conv", 13, [("dilations", new[] { 2 }), ("pads", new[] { 2, 1 })], [F(4, 2, 3, 9), F(5, 2, 3, 3), F(6, 2)], tolerance: 1e-4);
        Agrees("Conv", 13, [("strides", new[] { 1, 2, 1 })], [F(7, 1, 2, 4, 5, 4), F(8, 3, 2, 2, 2, 2)], tolerance: 1e-4);
    }

    [Fact]
    public void GroupedAndDepthwiseConvWithARunTimeW()
    {
        // Two groups of two input channels each; depthwise (one input channel per group, two outputs each).
        Agrees("Conv", 13, [("group", 2)], [F(9, 1, 4, 5, 5), F(10, 6, 2, 3, 3), F(11, 6)], tolerance: 1e-4);
        Agrees("Conv", 13, [("group", 3), ("strides", new[] { 2, 2 })], [F(12, 2, 3, 6, 6), F(13, 6, 1, 3, 3)], tolerance: 1e-4);
        Agrees("Conv", 13, [("group", 2), ("dilations", new[] { 2 }), ("strides", new[] { 2 })], [F(14, 1, 4, 11), F(15, 4, 2, 3)], tolerance: 1e-4);
    }

    [Fact]
    public void ConvTransposeWithARunTimeW()
    {
        Agrees("ConvTranspose", 13, [("strides", new[] { 2, 2 })], [F(15, 1, 2, 4, 4), F(16, 2, 3, 3, 3)], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }), ("output_padding", new[] { 1, 1 })], [F(15, 1, 2, 4, 4), F(16, 2, 3, 3, 3), F(17, 3)], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("strides", new[] { 3 }), ("dilations", new[] { 2 }), ("output_padding", new[] { 2 })], [F(18, 2, 2, 5), F(19, 2, 2, 3)], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("group", 2), ("strides", new[] { 2, 1 })], [F(20, 1, 4, 3, 3), F(21, 4, 1, 2, 2), F(22, 2)], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("strides", new[] { 2, 2 }), ("output_shape", new[] { 9, 9 })], [F(15, 1, 2, 4, 4), F(16, 2, 3, 3, 3)], tolerance: 1e-4);
        Agrees("ConvTranspose", 13, [("strides", new[] { 1, 2, 2 })], [F(23, 1, 2, 2, 3, 3), F(24, 2, 2, 2, 2, 2)], tolerance: 1e-4);
    }

    [Theory]
    [InlineData("Conv", 1)]
    [InlineData("Conv", 2)]
    [InlineData("ConvTranspose", 1)]
    [InlineData("ConvTranspose", 2)]
    public void AWComputedFromAnotherInput(string op, int group)
    {
        // W = in1 + in2, then the convolution of in0 by it: W exists only at run time.
        // Conv's W is [out, in/group, k…], ConvTranspose's [in, out/group, k…]; the image has 4 channels.
        int[] wShape = op == "Conv" && group == 1 ? [3, 4, 3, 3] : [4, 2, 3, 3];
        var model = ModelProto.Parser.ParseFrom(Model(op, 13, [("group", group), ("strides", new[] { 2, 2 })], [F(25, 2, 4, 5, 5), F(26, wShape)], 1));
        var graph = model.Graph;
        var second = graph.Input.Single(i => i.Name == "in1").Clone();
        second.Name = "in2";
        graph.Input.Add(second);
        graph.Node[0].Input[1] = "w";
        graph.Node.Insert(0, OnnxNodes.Create("Add", 0, ["in1", "in2"], ["w"], []));
        var bytes = model.ToByteArray();
        (string, NDArray)[] feeds = [("in0", F(25, 2, 4, 5, 5)), ("in1", F(26, wShape)), ("in2", F(27, wShape))];
        var expected = RunOnnxRuntime(bytes, feeds, ["out0"]);
        var actual = RunSharpFlow(bytes, feeds, ["out0"]);
        Same(expected[0], actual[0], $"{op} group={group} by a computed W", 1e-4);
    }

    [Theory]
    [InlineData("Conv")]
    [InlineData("ConvTranspose")]
    public void ARunTimeWOfUnknownSpatialSizeIsRefusedNamingW(string op)
    {
        var model = ModelProto.Parser.ParseFrom(Model(op, 13, [], [F(1, 1, 2, 5, 5), F(2, 2, 2, 3, 3)], 1));
        var dims = model.Graph.Input.Single(i => i.Name == "in1").Type.TensorType.Shape.Dim;
        dims[2] = new TensorShapeProto.Types.Dimension { DimParam = "kh" };
        using var g = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(model.ToByteArray(), "m.onnx").Import(new OnnxImportOptions()));
        Assert.Equal($"m.onnx: node '{op}_0' ({op}) uses W=a run-time filter (its spatial size is unknown at import), which SharpFlow.Onnx does not support.", e.RawMessage);
    }
}
