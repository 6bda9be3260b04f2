using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Import of what SharpFlow's own exports produce beyond one node: a Loop's scan output keeps its rank (and after no
/// iteration has ONNX Runtime's empty shape); Resize's sizes computed from the input's Shape (a dynamic batch) and
/// the tf_half_pixel_for_nn coordinates; each against ONNX Runtime, and the refusals name the node and the input.
/// </summary>
public sealed class OnnxLoopAndResizeImportTests
{
    private static TensorShapeProto Dims(params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string p ? new TensorShapeProto.Types.Dimension { DimParam = p } : new TensorShapeProto.Types.Dimension { DimValue = (int)d });
        return shape;
    }

    private static ValueInfoProto Info(string name, int elemType, TensorShapeProto? shape) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } } };

    private static byte[] ModelOf(GraphProto graph, int opset)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "SharpFlow tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }

    /// <summary>
    /// y = Loop(trips) whose body emits <c>x * i</c> (x of shape [n, 3], n known only at run time), the scan output
    /// declared [?, 3]; and its Reshape to [-1, 3], which needs the stacked output's rank.
    /// </summary>
    private static byte[] ScanLoop()
    {
        var body = new GraphProto { Name = "body" };
        body.Input.Add(Info("i", 7, Dims()));
        body.Input.Add(Info("c", 9, Dims()));
        body.Node.Add(OnnxNodes.Create("Identity", 0, ["c"], ["c_out"], []));
        body.Node.Add(OnnxNodes.Create("Cast", 1, ["i"], ["i_f"], [("to", 1L)]));
        body.Node.Add(OnnxNodes.Create("Mul", 2, ["x", "i_f"], ["slice"], []));
        body.Output.Add(Info("c_out", 9, Dims()));
        body.Output.Add(Info("slice", 1, Dims("n", 3)));
        var graph = new GraphProto { Name = "loop" };
        graph.Input.Add(Info("x", 1, Dims("n", 3)));
        graph.Input.Add(Info("trips", 7, Dims()));
        graph.Initializer.Add(OnnxTensors.FromNDArray(L(-1, 3), "rows"));
        graph.Node.Add(OnnxNodes.Create("Loop", 0, ["trips", ""], ["y"], [("body", body)]));
        graph.Node.Add(OnnxNodes.Create("Reshape", 1, ["y", "rows"], ["flat"], []));
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        graph.Output.Add(new ValueInfoProto { Name = "flat" });
        return ModelOf(graph, 13);
    }

    [Fact]
    public void ALoopsScanOutputKeepsItsRankAndIsEmptyAfterNoIteration()
    {
        var model = ScanLoop();
        using (var g = TestGraph.Enter())
        {
            var net = OnnxModel.Parse(model, "loop.onnx").Import();
            Assert.Equal(3, net.Outputs["y"].shape.ndims);
            Assert.Equal(3, net.Outputs["y"].shape[2]);
            Assert.Equal(2, net.Outputs["flat"].shape.ndims);
        }
        foreach (var trips in new long[] { 3, 1, 0 })
        {
            (string, NDArray)[] feeds = [("x", F(1, 2, 3)), ("trips", NDArray.Scalar(trips))];
            var ort = RunOnnxRuntime(model, feeds, ["y", "flat"]);
            var ours = RunSharpFlow(model, feeds, ["y", "flat"]);
            Same(ort[0], ours[0], $"Loop of {trips} iterations", 0);
            Same(ort[1], ours[1], $"Reshape after a Loop of {trips} iterations", 0);
        }
        // No iteration: ONNX Runtime's [0] and the declared dimensions, the unknown ones 0.
        Assert.Equal(new[] { 0, 0, 3 }, RunSharpFlow(model, [("x", F(1, 2, 3)), ("trips", NDArray.Scalar(0L))], ["y"])[0].shape.Dims);
    }

    /// <summary>Resize of x ([batch, 3, 4, 5], the batch known only at run time) to sizes = Concat(Slice(Shape(x), 0, 2), hw).</summary>
    private static byte[] ResizeToComputedSizes(string mode, string transform, string? nearestMode, string sizesFrom = "x")
    {
        var graph = new GraphProto { Name = "resize" };
        graph.Input.Add(Info("x", 1, Dims("batch", 3, 4, 5)));
        if (sizesFrom != "x") graph.Input.Add(Info(sizesFrom, 1, Dims("other", 3)));
        graph.Initializer.Add(OnnxTensors.FromNDArray(L(0), "start"));
        graph.Initializer.Add(OnnxTensors.FromNDArray(L(2), "end"));
        graph.Initializer.Add(OnnxTensors.FromNDArray(L(7, 3), "hw"));
        graph.Node.Add(OnnxNodes.Create("Shape", 0, [sizesFrom], ["shape"], []));
        graph.Node.Add(OnnxNodes.Create("Slice", 1, ["shape", "start", "end"], ["lead"], []));
        graph.Node.Add(OnnxNodes.Create("Concat", 2, ["lead", "hw"], ["sizes"], [("axis", 0L)]));
        (string, object)[] attributes = nearestMode is null
            ? [("mode", mode), ("coordinate_transformation_mode", transform)]
            : [("mode", mode), ("coordinate_transformation_mode", transform), ("nearest_mode", nearestMode)];
        graph.Node.Add(OnnxNodes.Create("Resize", 3, ["x", "", "", "sizes"], ["y"], attributes));
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        return ModelOf(graph, 13);
    }

    [Fact]
    public void ResizeReadsSizesComputedFromTheInputsShape()
    {
        foreach (var (mode, transform, nearest) in new[] { ("linear", "half_pixel", null), ("linear", "align_corners", null), ("nearest", "asymmetric", "floor"), ("nearest", "tf_half_pixel_for_nn", "floor"), ("cubic", "half_pixel", null) })
        {
            var model = ResizeToComputedSizes(mode, transform, nearest);
            (string, NDArray)[] feeds = [("x", F(2, 2, 3, 4, 5))];
            var ort = RunOnnxRuntime(model, feeds, ["y"]);
            Assert.Equal(new[] { 2, 3, 7, 3 }, ort[0].shape.Dims);
            Same(ort[0], RunSharpFlow(model, feeds, ["y"])[0], $"Resize {mode} {transform} to computed sizes", 1e-5);
        }
    }

    [Fact]
    public void ResizeOfTfHalfPixelForNearestNeighbourAgrees()
    {
        var x = F(3, 1, 2, 5, 4);
        foreach (var sizes in new[] { L(1, 2, 9, 7), L(1, 2, 3, 2), L(1, 2, 5, 9) })
            Agrees("Resize", 13, [("mode", "nearest"), ("coordinate_transformation_mode", "tf_half_pixel_for_nn"), ("nearest_mode", "floor")], [x, None, None, Const(sizes)], dynamicBatch: false);
        Agrees("Resize", 13, [("mode", "nearest"), ("coordinate_transformation_mode", "tf_half_pixel_for_nn")], [x, None, Const(NDArray.FromFlat(new[] { 1f, 1f, 1.5f, 0.5f }, new Shape(4)))], dynamicBatch: false);
    }

    [Fact]
    public void SizesKnownOnlyAtRunTimeAreRefusedNamingTheNodeAndTheInput()
    {
        // Sizes taken from another input's shape: its batch is not the resized input's own.
        var model = ResizeToComputedSizes("linear", "half_pixel", null, sizesFrom: "other");
        using (var g = TestGraph.Enter())
        {
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(model, "resize.onnx").Import());
            Assert.Equal("resize.onnx: node 'Resize_3' (Resize) uses a computed input 'sizes' whose entry 0 is known only at run time, which SharpFlow.Onnx does not support.", e.RawMessage);
        }
        // Sizes of the wrong length: the model is inconsistent.
        var graph = new GraphProto { Name = "resize" };
        graph.Input.Add(Info("x", 1, Dims("batch", 3, 4, 5)));
        graph.Initializer.Add(OnnxTensors.FromNDArray(L(7, 3), "hw"));
        graph.Node.Add(OnnxNodes.Create("Shape", 0, ["x"], ["shape"], []));
        graph.Node.Add(OnnxNodes.Create("Concat", 1, ["shape", "hw"], ["sizes"], [("axis", 0L)]));
        graph.Node.Add(OnnxNodes.Create("Resize", 2, ["x", "", "", "sizes"], ["y"], [("mode", "linear")]));
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        using (var g = TestGraph.Enter())
        {
            var e = Assert.Throws<InvalidArgumentError>(() => OnnxModel.Parse(ModelOf(graph, 13), "six.onnx").Import());
            Assert.Equal("six.onnx: node 'Resize_2' (Resize): 6 sizes for an input of rank 4.", e.RawMessage);
        }
        // Sizes fed as a graph input.
        var fed = Model("Resize", 13, [("mode", "linear")], [F(4, 1, 1, 2, 2), None, None, L(1, 1, 3, 3)], 1);
        using (var g = TestGraph.Enter())
        {
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(fed, "fed.onnx").Import());
            Assert.Equal("fed.onnx: node 'Resize_0' (Resize) uses a computed input 'sizes' that is not made of constants and the input's shape, which SharpFlow.Onnx does not support.", e.RawMessage);
        }
    }
}
