using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The operators of small classifiers, each in a model written here, give ONNX Runtime's outputs when imported (and
/// an operator or attribute SharpFlow cannot map is an error naming it).
/// </summary>
public sealed class OnnxOperatorTests
{
    /// <summary>Writes small ONNX models: initializers from seeded random values, nodes with attributes.</summary>
    private sealed class ModelBuilder
    {
        private readonly GraphProto _graph = new() { Name = "test" };
        private readonly Random _random = new(5);

        public ModelBuilder Input(string name, params long[] dims)
        {
            _graph.Input.Add(ValueInfo(name, dims));
            return this;
        }

        public ModelBuilder Output(string name)
        {
            _graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
            return this;
        }

        public ModelBuilder Weight(string name, params int[] dims)
        {
            var n = dims.Aggregate(1, (a, b) => a * b);
            var values = Enumerable.Range(0, n).Select(_ => (float)(_random.NextDouble() - 0.5)).ToArray();
            return Constant(name, NDArray.FromFlat(values, new Shape(dims)));
        }

        public ModelBuilder Positive(string name, int n) =>
            Constant(name, NDArray.FromFlat(Enumerable.Range(0, n).Select(_ => (float)(0.5 + _random.NextDouble())).ToArray(), new Shape(n)));

        public ModelBuilder Constant(string name, NDArray value)
        {
            _graph.Initializer.Add(OnnxTensors.FromNDArray(value, name));
            return this;
        }

        public ModelBuilder Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
        {
            _graph.Node.Add(OnnxNodes.Create(op, _graph.Node.Count, inputs, outputs, attributes));
            return this;
        }

        public byte[] Build(int opset = 11)
        {
            var model = new ModelProto { IrVersion = 6, ProducerName = "SharpFlow tests", Graph = _graph };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
            return model.ToByteArray();
        }

        private static ValueInfoProto ValueInfo(string name, long[] dims)
        {
            var shape = new TensorShapeProto();
            foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
        }
    }

    private static float[] Input(long[] shape, int seed)
    {
        var r = new Random(seed);
        return [.. Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(r.NextDouble() * 2 - 1))];
    }

    /// <summary>Runs the model in ONNX Runtime and imported into SharpFlow (at batch 1 and at the model's batch), and compares.</summary>
    private static void AgreesWithOnnxRuntime(byte[] bytes, long[] inputShape, double tolerance = 1e-5)
    {
        var data = Input(inputShape, 3);
        var expected = OnnxRuntimeRunner.Run(bytes, "x", "y", data, inputShape).Values;
        using var g = TestGraph.Enter();
        var net = OnnxModel.Parse(bytes, "test.onnx").Import();
        using var sess = tf.Session();
        var actual = sess.run(net.Outputs["y"], new FeedDict { [net.Inputs["x"]] = NDArray.FromFlat(data, new Shape(inputShape.Select(d => (int)d).ToArray())) }).ToArray<float>();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(System.Math.Abs(expected[i] - actual[i]) <= tolerance * System.Math.Max(1, System.Math.Abs(expected[i])), $"element {i}: ONNX Runtime {expected[i]}, SharpFlow {actual[i]}");
    }

    [Fact]
    public void ConvolutionalClassifier()
    {
        // Conv with asymmetric pads and a bias, BatchNormalization, Relu, MaxPool with pads, AveragePool (SAME split,
        // excluding padding), Flatten in NCHW order, Gemm with transB, Dropout, Softmax.
        var model = new ModelBuilder().Input("x", 2, 3, 9, 9)
            .Weight("w", 4, 3, 3, 3).Weight("b", 4).Positive("scale", 4).Weight("shift", 4).Weight("mean", 4).Positive("var", 4)
            .Weight("fc", 10, 4 * 4 * 4).Weight("fcb", 10)
            .Node("Conv", ["x", "w", "b"], ["c"], ("kernel_shape", new[] { 3, 3 }), ("pads", new[] { 1, 1, 0, 0 }), ("strides", new[] { 1, 1 }))
            .Node("BatchNormalization", ["c", "scale", "shift", "mean", "var"], ["n"], ("epsilon", 1e-3f))
            .Node("Relu", ["n"], ["r"])
            .Node("MaxPool", ["r"], ["p"], ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 0, 0 }))
            .Node("AveragePool", ["p"], ["a"], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 1, 1 }), ("pads", new[] { 0, 0, 1, 1 }))
            .Node("Flatten", ["a"], ["f"], ("axis", 1))
            .Node("Gemm", ["f", "fc", "fcb"], ["g"], ("transB", 1), ("alpha", 0.5f))
            .Node("Dropout", ["g"], ["d"], ("ratio", 0.3f))
            .Node("Softmax", ["d"], ["y"], ("axis", 1))
            .Output("y").Build(opset: 11);
        AgreesWithOnnxRuntime(model, [2, 3, 9, 9]);
    }

    [Fact]
    public void DenseAndShapeOperators()
    {
        // MatMul, Add/Sub/Mul/Div with broadcasting, Reshape (with 0 and -1), Transpose, Concat, Split, Identity,
        // Constant, Sigmoid, Tanh, Clip, LeakyRelu, GlobalAveragePool, and a per-channel [C,1,1] operand against an image.
        var model = new ModelBuilder().Input("x", 2, 6, 4, 4)
            .Weight("bias", 6, 1, 1).Weight("w1", 16, 8)
            .Constant("shape", NDArray.FromFlat(new long[] { 0, 6, -1 }, new Shape(3)))
            .Node("Mul", ["x", "bias"], ["xb"])
            .Node("Split", ["xb"], ["s1", "s2"], ("axis", 1), ("split", new[] { 2, 4 }))
            .Node("Concat", ["s2", "s1"], ["cat"], ("axis", 1))
            .Node("GlobalAveragePool", ["cat"], ["gap"])
            .Node("Reshape", ["cat", "shape"], ["rs"])
            .Node("Transpose", ["rs"], ["t"], ("perm", new[] { 0, 2, 1 }))
            .Node("Constant", [], ["k"], ("value", NDArray.FromFlat(new float[] { 0.5f }, new Shape(1))))
            .Node("Sub", ["t", "k"], ["tk"])
            .Node("Sigmoid", ["tk"], ["sg"])
            .Node("Reshape", ["sg", "shape2"], ["flat"])
            .Node("MatMul", ["flat", "w1"], ["mm"])
            .Node("Tanh", ["mm"], ["th"])
            .Node("LeakyRelu", ["th"], ["lr"], ("alpha", 0.2f))
            .Node("Clip", ["lr"], ["cl"], ("min", -0.1f), ("max", 0.3f))
            .Node("Flatten", ["gap"], ["gf"])
            .Node("Identity", ["gf"], ["gi"])
            .Node("Div", ["gi", "k"], ["gd"])
            .Node("Concat", ["cl", "gd"], ["y"], ("axis", 1))
            .Output("y");
        model.Constant("shape2", NDArray.FromFlat(new long[] { -1, 16 }, new Shape(2)));
        // flat is 2·16·6 / 16 = 12 rows: MatMul gives [12, 8]; gd is [2, 6]: concat along axis 1 needs equal rows,
        // so reshape the dense part back to two rows first.
        var bytes = model.Build(opset: 10);
        var proto = ModelProto.Parser.ParseFrom(bytes);
        var concat = proto.Graph.Node.Last();
        concat.Input[0] = "cl2";
        var reshape = new NodeProto { OpType = "Reshape", Name = "Reshape_back" };
        reshape.Input.AddRange(["cl", "shape3"]);
        reshape.Output.Add("cl2");
        proto.Graph.Node.Insert(proto.Graph.Node.Count - 1, reshape);
        proto.Graph.Initializer.Add(OnnxTensors.FromNDArray(NDArray.FromFlat(new long[] { 2, -1 }, new Shape(2)), "shape3"));
        AgreesWithOnnxRuntime(proto.ToByteArray(), [2, 6, 4, 4]);
    }

    [Fact]
    public void AveragePoolCountingThePaddingAsPyTorchExportsIt()
    {
        // count_include_pad=1 with pads equal to TensorFlow's SAME split: border windows divide by the full window.
        var model = new ModelBuilder().Input("x", 1, 2, 5, 5)
            .Node("AveragePool", ["x"], ["y"], ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 1, 1 }), ("pads", new[] { 1, 1, 1, 1 }), ("count_include_pad", 1))
            .Output("y").Build();
        AgreesWithOnnxRuntime(model, [1, 2, 5, 5]);
        var lower = new ModelBuilder().Input("x", 1, 2, 6, 6)
            .Node("AveragePool", ["x"], ["y"], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("auto_pad", "SAME_LOWER"), ("count_include_pad", 1))
            .Output("y").Build();
        AgreesWithOnnxRuntime(lower, [1, 2, 6, 6]);
    }

    [Fact]
    public void ATrainableImportTurnsEveryWeightIntoAVariable()
    {
        var model = new ModelBuilder().Input("x", 2, 3, 6, 6)
            .Weight("w", 4, 3, 3, 3).Weight("b", 4).Positive("scale", 4).Weight("shift", 4).Weight("mean", 4).Positive("var", 4).Weight("fc", 64, 5)
            .Node("Conv", ["x", "w", "b"], ["c"], ("kernel_shape", new[] { 3, 3 }))
            .Node("BatchNormalization", ["c", "scale", "shift", "mean", "var"], ["n"])
            .Node("Flatten", ["n"], ["f"])
            .Node("Conv", ["x", "w", "b"], ["c2"], ("kernel_shape", new[] { 3, 3 }))
            .Node("Flatten", ["c2"], ["f2"])
            .Node("Add", ["f", "f2"], ["s"])
            .Node("MatMul", ["s", "fc"], ["y"])
            .Output("y").Build();
        var input = NDArray.FromFlat(Input([2, 3, 6, 6], 4), new Shape(2, 3, 6, 6));
        NDArray Frozen()
        {
            using var g = TestGraph.Enter();
            var net = OnnxModel.Parse(model, "t.onnx").Import();
            return g.Eval(net.Outputs["y"], new FeedDict { [net.Inputs["x"]] = input });
        }
        var expected = Frozen();
        using var g = TestGraph.Enter();
        var trainable = OnnxModel.Parse(model, "t.onnx").Import(new OnnxImportOptions { Trainable = true, Name = "net" });
        // w and b are shared by the two convolutions and stay one variable each.
        Assert.Equal(["net/b:0", "net/fc:0", "net/mean:0", "net/scale:0", "net/shift:0", "net/var:0", "net/w:0"], trainable.Variables.Select(v => v.name).Order());
        Assert.Equal(["net/b:0", "net/fc:0", "net/scale:0", "net/shift:0", "net/w:0"], tf.trainable_variables().Select(v => v.name).Order());
        var y = trainable.Outputs["y"];
        var grads = tf.gradients(tf.reduce_sum(y), tf.trainable_variables().Select(v => (Tensor)v.value()).ToArray());
        Assert.All(grads, Assert.NotNull);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        AssertArray.Close(expected, sess.run(y, new FeedDict { [trainable.Inputs["x"]] = input }), 1e-6);
    }

    [Fact]
    public void UnsupportedOperatorsAndAttributesAreNamed()
    {
        var roi = new ModelBuilder().Input("x", 1, 4).Node("RoiAlign", ["x"], ["y"]).Output("y").Build();
        using (TestGraph.Enter())
        {
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(roi, "roi.onnx").Import());
            Assert.Equal("roi.onnx: node 'RoiAlign_0' (RoiAlign) uses operator RoiAlign, which SharpFlow.Onnx does not support.", e.RawMessage);
        }
        var dilatedPool = new ModelBuilder().Input("x", 1, 4, 5, 5)
            .Node("MaxPool", ["x"], ["y"], ("kernel_shape", new[] { 2, 2 }), ("dilations", new[] { 2, 2 })).Output("y").Build();
        using (TestGraph.Enter())
        {
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(dilatedPool, "pool.onnx").Import());
            Assert.Equal("pool.onnx: node 'MaxPool_0' (MaxPool) uses dilations=[2,2] (dilated pooling), which SharpFlow.Onnx does not support.", e.RawMessage);
        }
        var unknownAttribute = new ModelBuilder().Input("x", 1, 1, 5, 5)
            .Node("Relu", ["x"], ["y"], ("fancy", 1)).Output("y").Build();
        using (TestGraph.Enter())
            Assert.Contains("uses attribute 'fancy'", Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(unknownAttribute, "a.onnx").Import()).Message);
        var dangling = new ModelBuilder().Input("x", 1, 4).Node("Relu", ["nowhere"], ["y"]).Output("y").Build();
        using (TestGraph.Enter())
            Assert.Contains("reads 'nowhere'", Assert.Throws<InvalidArgumentError>(() => OnnxModel.Parse(dangling, "d.onnx").Import()).Message);
    }
}
