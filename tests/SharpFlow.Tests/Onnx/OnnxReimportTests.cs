using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// SharpFlow's exports read back by its own importer (issue 23): the stacks of a while loop's gradient (a sequence
/// of run-time length that the backprop Loop erases from), GatherTree's Slice of an input of unknown rank, a
/// TensorArray split by run-time lengths (SplitToSequence along an axis of unknown size) and MaxPool3DGrad's 3-D
/// MaxPool Indices. Each importer form is checked against ONNX Runtime on small direct models, and each export is
/// run re-imported, equal to SharpFlow's own run and to ONNX Runtime's.
/// </summary>
public sealed class OnnxReimportTests
{
    private const int Float = 1, Int64 = 7;

    private static ValueInfoProto Info(string name, int elemType, params long[]? dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = elemType };
        if (dims is { Length: > 0 })
        {
            tensor.Shape = new TensorShapeProto();
            // -1: a dimension known at run time only (ONNX Runtime then takes any size).
            foreach (var d in dims) tensor.Shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "n" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    private static ValueInfoProto Scalar(string name, int elemType) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = new TensorShapeProto() } } };

    private static ValueInfoProto Sequence(string name, int elemType) =>
        new() { Name = name, Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType } } } } };

    private static NodeProto N(string op, string[] inputs, string[] outputs, params (string, object)[] attributes)
    {
        var node = OnnxNodes.Create(op, 0, inputs, outputs, attributes);
        node.Name = $"{op}_{outputs[0]}";
        return node;
    }

    private static byte[] ModelOf(ValueInfoProto[] inputs, string[] outputs, NodeProto[] nodes, params (string Name, NDArray Value)[] initializers)
    {
        var graph = new GraphProto { Name = "reimport" };
        graph.Input.AddRange(inputs);
        foreach (var o in outputs) graph.Output.Add(new ValueInfoProto { Name = o });
        graph.Node.AddRange(nodes);
        foreach (var (name, value) in initializers) graph.Initializer.Add(OnnxTensors.FromNDArray(value, name));
        var model = new ModelProto { IrVersion = 8, ProducerName = "SharpFlow tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    /// <summary>Every output of ONNX Runtime and of the model imported into SharpFlow (first axis of each input unknown) agree.</summary>
    private static void GraphAgrees(byte[] model, (string, NDArray)[] feeds, string[] outputs, string what)
    {
        var expected = RunOnnxRuntime(model, feeds, outputs);
        var actual = RunSharpFlow(model, feeds, outputs, dynamicBatch: true);
        for (var i = 0; i < outputs.Length; i++) Same(expected[i], actual[i], $"{what}: output {outputs[i]}", 1e-6);
    }

    private static NDArray Floats(int[] shape, params float[] values) => NDArray.FromFlat(values, new Shape(shape));

    private static NDArray Rows(int n) => NDArray.FromFlat(Enumerable.Range(0, n * 2).Select(v => (float)v).ToArray(), new Shape(n, 2));

    // ----- the stacks of a while loop's gradient -----

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TheGradientOfACumulativeProductLoopImportsBack(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var n = tf.placeholder(tf.int32, Shape.Scalar, name: "n");
        var (_, y) = tf.while_loop((i, _) => tf.less(i, n), (i, v) => (i + 1, v * x + tf.sin(v)), (tf.constant(0), x));
        var loss = tf.reduce_sum(y * y);
        var grad = tf.gradients(loss, x)[0]!;
        Assert.Contains(g.Graph.get_operations(), o => o.type == "StackPopV2");
        using var sess = tf.Session();
        foreach (var (values, trips) in new[] { (new[] { 0.5f, -0.3f, 0.9f }, 4), (new[] { 0.1f, 0.2f, -0.7f }, 1), (new[] { 0.3f, 0.2f, 0.1f }, 0) })
            ExportAgrees(sess, new() { ["x"] = x, ["n"] = n }, [loss, grad], [("x", Floats([3], values)), ("n", NDArray.Scalar(trips))], opset, 1e-5);
    }

    [Fact]
    public void ErasingTheLastElementsOfASequenceOfRunTimeLengthAgreesWithOnnxRuntime()
    {
        // rows of x (their count known at run time), the last erased three ways, then read, counted and joined.
        var model = ModelOf([Info("x", Float, -1, 2)], ["length", "last", "first", "stacked", "joined", "columns"],
        [
            N("SplitToSequence", ["x"], ["rows"], ("axis", 0L), ("keepdims", 0L)),
            N("SequenceErase", ["rows"], ["a"]),
            N("SequenceErase", ["a", "minus_one"], ["b"]),
            N("SequenceLength", ["b"], ["b_length"]),
            N("Sub", ["b_length", "one"], ["b_last"]),
            N("SequenceErase", ["b", "b_last"], ["c"]),
            N("SequenceLength", ["c"], ["length"]),
            N("SequenceAt", ["c", "minus_one"], ["last"]),
            N("SequenceAt", ["c", "zero"], ["first"]),
            N("ConcatFromSequence", ["c"], ["stacked"], ("axis", 0L), ("new_axis", 1L)),
            N("ConcatFromSequence", ["c"], ["joined"], ("axis", 0L)),
            N("ConcatFromSequence", ["c"], ["columns"], ("axis", 1L), ("new_axis", 1L)),
        ], ("minus_one", NDArray.Scalar(-1L)), ("one", NDArray.Scalar(1L)), ("zero", NDArray.Scalar(0L)));
        foreach (var n in new[] { 6, 4 })
            GraphAgrees(model, [("x", Rows(n))], ["length", "last", "first", "stacked", "joined", "columns"], $"{n} rows");
    }

    [Fact]
    public void ALoopPopsTheSequenceItCarriesAsOnnxRuntimeDoes()
    {
        // Each iteration reads the last row (a scan output) and erases it; the rest is the Loop's output.
        var body = new GraphProto { Name = "pop" };
        body.Input.AddRange([Scalar("i", Int64), Scalar("c", 9), Sequence("s", Float)]);
        body.Output.AddRange([Scalar("c_out", 9), Sequence("s_out", Float), Info("popped", Float)]);
        body.Node.AddRange([
            N("SequenceAt", ["s", "minus_one"], ["popped"]),
            N("SequenceErase", ["s"], ["s_out"]),
            N("Identity", ["c"], ["c_out"]),
        ]);
        var model = ModelOf([Info("x", Float, -1, 2), Info("m", Int64)], ["rest", "count", "pops"],
        [
            N("SplitToSequence", ["x"], ["rows"], ("axis", 0L), ("keepdims", 0L)),
            N("Loop", ["m", "", "rows"], ["left", "pops"], ("body", body)),
            N("SequenceLength", ["left"], ["count"]),
            N("ConcatFromSequence", ["left"], ["rest"], ("axis", 0L), ("new_axis", 1L)),
        ], ("minus_one", NDArray.Scalar(-1L)));
        foreach (var (n, m) in new[] { (5, 2L), (4, 3L), (3, 1L) })
            GraphAgrees(model, [("x", Rows(n)), ("m", NDArray.Scalar(m))], ["rest", "count", "pops"], $"{n} rows, {m} pops");
        // Popping more than it holds fails in both.
        Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(model, [("x", Rows(2)), ("m", NDArray.Scalar(3L))], ["rest"]));
        var e = Assert.ThrowsAny<Exception>(() => RunSharpFlow(model, [("x", Rows(2)), ("m", NDArray.Scalar(3L))], ["rest"]));
        // The third iteration's read and erase both check the empty sequence: either names its node.
        Assert.Matches("check\\.onnx: node '(SequenceAt_popped' \\(SequenceAt\\) reads the sequence of run-time length 's' out of its range|SequenceErase_s_out' \\(SequenceErase\\) erases from the sequence of run-time length 's' when it is empty)", e.Message);
    }

    [Fact]
    public void ErasesAndInsertsOfRunTimeSequencesSharpFlowCannotDoFailTheRunNamingTheNode()
    {
        void Fails(NodeProto[] nodes, int rows, string expected, bool onnxRuntimeFails)
        {
            var model = ModelOf([Info("x", Float, -1, 2)], ["y"], [N("SplitToSequence", ["x"], ["rows"], ("axis", 0L), ("keepdims", 0L)), .. nodes],
                ("zero", NDArray.Scalar(0L)), ("five", NDArray.Scalar(5L)));
            if (onnxRuntimeFails) Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(model, [("x", Rows(rows))], ["y"]));
            else RunOnnxRuntime(model, [("x", Rows(rows))], ["y"]);
            var e = Assert.ThrowsAny<Exception>(() => RunSharpFlow(model, [("x", Rows(rows))], ["y"]));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        // ONNX erases the first element; SharpFlow drops only the last of a TensorArray.
        Fails([N("SequenceErase", ["rows", "zero"], ["fewer"]), N("ConcatFromSequence", ["fewer"], ["y"], ("axis", 0L))], 3,
            "check.onnx: node 'SequenceErase_fewer' (SequenceErase) erases from the sequence of run-time length 'rows' at a position other than its last, which SharpFlow.Onnx does not support (it drops the last element); position and length:", false);
        Fails([N("SequenceErase", ["rows"], ["none"]), N("SequenceErase", ["none"], ["fewer"]), N("ConcatFromSequence", ["fewer"], ["y"], ("axis", 0L))], 1,
            "check.onnx: node 'SequenceErase_fewer' (SequenceErase) erases from the sequence of run-time length 'none' when it is empty", true);
        // Inserting where an element was erased would write a TensorArray index twice.
        Fails([N("SequenceAt", ["rows", "zero"], ["row"]), N("SequenceErase", ["rows"], ["fewer"]), N("SequenceInsert", ["fewer", "row"], ["more"]), N("SequenceLength", ["more"], ["y"])], 3,
            "check.onnx: node 'SequenceInsert_more' (SequenceInsert) inserts into the sequence of run-time length 'fewer' after an element was erased from it, which SharpFlow.Onnx does not support", false);
        // A read past the length left fails, as in ONNX Runtime (the TensorArray still holds the element).
        Fails([N("SequenceErase", ["rows"], ["fewer"]), N("SequenceAt", ["fewer", "five"], ["y"])], 3,
            "check.onnx: node 'SequenceAt_y' (SequenceAt) reads the sequence of run-time length 'fewer' out of its range", true);
    }

    // ----- SplitToSequence along an axis of run-time size -----

    [Fact]
    public void SplitToSequenceByRunTimeSizesAgreesWithOnnxRuntime()
    {
        var outputs = new[] { "joined", "second", "count", "first" };
        NodeProto[] Reads(string split) =>
        [
            N("SplitToSequence", ["x", split], ["parts"], ("axis", 0L)),
            N("ConcatFromSequence", ["parts"], ["joined"], ("axis", 0L)),
            N("SequenceAt", ["parts", "one"], ["second"]),
            N("SequenceLength", ["parts"], ["count"]),
            N("SequenceAt", ["parts", "zero"], ["first"]),
        ];
        // Fed lengths (int64 and int32).
        var fed = ModelOf([Info("x", Float, -1, 3), Info("sizes", Int64, -1)], outputs, Reads("sizes"), ("one", NDArray.Scalar(1L)), ("zero", NDArray.Scalar(0L)));
        GraphAgrees(fed, [("x", F(1, 6, 3)), ("sizes", L(1, 3, 2))], outputs, "lengths 1, 3, 2");
        GraphAgrees(fed, [("x", F(2, 4, 3)), ("sizes", L(0, 4, 0))], outputs, "lengths 0, 4, 0");
        var fed32 = ModelOf([Info("x", Float, -1, 3), Info("sizes", 6, -1)], outputs, Reads("sizes"), ("one", NDArray.Scalar(1L)), ("zero", NDArray.Scalar(0L)));
        GraphAgrees(fed32, [("x", F(3, 5, 3)), ("sizes", NDArray.FromArray(new[] { 2, 3 }))], outputs, "int32 lengths 2, 3");
        // A chunk size: the last chunk is the remainder.
        var chunked = ModelOf([Info("x", Float, -1, 3)], outputs, Reads("two"), ("two", NDArray.Scalar(2L)), ("one", NDArray.Scalar(1L)), ("zero", NDArray.Scalar(0L)));
        foreach (var n in new[] { 6, 5, 3 }) GraphAgrees(chunked, [("x", F(4, n, 3))], outputs, $"chunks of 2 of {n}");
        // Lengths that do not add up to the axis fail in both.
        Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(fed, [("x", F(1, 6, 3)), ("sizes", L(1, 3, 1))], outputs));
        var e = Assert.ThrowsAny<Exception>(() => RunSharpFlow(fed, [("x", F(1, 6, 3)), ("sizes", L(1, 3, 1))], outputs));
        Assert.Contains("sum of lengths", e.Message, StringComparison.Ordinal);
    }

    // ----- Slice of an input of unknown rank -----

    [Fact]
    public void SliceOfAnInputOfUnknownRankAgreesWithOnnxRuntime()
    {
        var x = F(5, 4, 5, 6);
        (long[] Starts, long[] Ends, long[] Axes, long[] Steps)[] cases =
        [
            ([1], [3], [0], [1]),
            ([-1], [long.MinValue], [0], [-1]),
            ([-1], [-1000], [0], [-1]),
            ([0, 4], [long.MaxValue, 1], [1, 2], [2, -2]),
            ([2], [100], [2], [1]),
            ([-2], [long.MaxValue], [-1], [1]),
            ([3, -1], [0, -4], [-3, -1], [-1, -1]),
            ([10], [20], [0], [1]),
            ([-10], [3], [1], [1]),
        ];
        foreach (var (starts, ends, axes, steps) in cases)
        {
            var model = ModelOf([new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = Float } } }], ["y"],
                [N("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
                ("starts", NDArray.FromArray(starts)), ("ends", NDArray.FromArray(ends)), ("axes", NDArray.FromArray(axes)), ("steps", NDArray.FromArray(steps)));
            var expected = RunOnnxRuntime(model, [("x", x)], ["y"]);
            using var g = TestGraph.Enter();
            var net = OnnxModel.Parse(model, "check.onnx").Import();
            Assert.False(net.Inputs["x"].shape.IsKnownRank);
            using var sess = tf.Session();
            var actual = sess.run(net.Outputs["y"], new FeedDict { [net.Inputs["x"]] = x });
            Same(expected[0], actual, $"Slice starts [{string.Join(",", starts)}] ends [{string.Join(",", ends)}] axes [{string.Join(",", axes)}] steps [{string.Join(",", steps)}]", 0);
        }

        // Axes counted from both ends need the rank.
        var mixed = ModelOf([new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = Float } } }], ["y"],
            [N("Slice", ["x", "starts", "ends", "axes"], ["y"])],
            ("starts", L(0, 0)), ("ends", L(1, 1)), ("axes", L(0, -1)));
        using var g2 = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(mixed, "mixed.onnx").Import());
        Assert.Equal("mixed.onnx: node 'Slice_y' (Slice) uses axes=[0,-1] (axes counted from both ends of an input of unknown rank), which SharpFlow.Onnx does not support.", e.RawMessage);
    }

    [Fact]
    public void ShapeOfAnInputOfUnknownRankAgreesWithOnnxRuntime()
    {
        var model = ModelOf([new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = Float } } }], ["y"],
            [N("Shape", ["x"], ["y"])]);
        foreach (var x in new[] { F(1, 4, 5, 6), F(2, 3), NDArray.Scalar(1f) })
            Same(RunOnnxRuntime(model, [("x", x)], ["y"])[0], RunSharpFlow(model, [("x", x)], ["y"])[0], $"Shape of [{string.Join(",", x.shape.Dims)}]", 0);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void GatherTreeImportsBack(int opset)
    {
        using var g = TestGraph.Enter();
        var steps = tf.placeholder(tf.int32, new Shape(-1, -1, -1), name: "steps");
        var parents = tf.placeholder(tf.int32, new Shape(-1, -1, -1), name: "parents");
        var lengths = tf.placeholder(tf.int32, new Shape(-1), name: "lengths");
        var beams = tf.contrib.seq2seq.gather_tree(steps, parents, lengths, 10, name: "beams");
        using var sess = tf.Session();
        // TensorFlow's gather_tree test ([batch, time, beam] there, [time, batch, beam] here).
        var feed = new[]
        {
            ("steps", NDArray.FromArray(new[, ,] { { { 1, 2, 3 } }, { { 4, 5, 6 } }, { { 7, 8, 9 } }, { { -1, -1, -1 } } })),
            ("parents", NDArray.FromArray(new[, ,] { { { 0, 0, 0 } }, { { 0, 1, 1 } }, { { 2, 1, 2 } }, { { -1, -1, -1 } } })),
            ("lengths", NDArray.FromArray(new[] { 3 })),
        };
        var ours = ExportAgrees(sess, new() { ["steps"] = steps, ["parents"] = parents, ["lengths"] = lengths }, [beams], feed, opset);
        Assert.Equal(new[] { 2, 2, 2, 6, 5, 6, 7, 8, 9, 10, 10, 10 }, ours[0].ToArray<int>());
    }

    // ----- MaxPool's Indices of any window rank -----

    [Fact]
    public void MaxPoolIndicesOfOneTwoAndThreeDimensionalWindowsAgreeWithOnnxRuntime()
    {
        var volume = F(7, 2, 3, 5, 6, 4);
        (string Name, object Value)[][] volumetric =
        [
            [("kernel_shape", new long[] { 2, 2, 2 })],
            [("kernel_shape", new long[] { 2, 3, 2 }), ("strides", new long[] { 1, 2, 2 })],
            [("kernel_shape", new long[] { 3, 2, 2 }), ("strides", new long[] { 2, 1, 2 }), ("pads", new long[] { 1, 0, 1, 1, 1, 0 })],
            [("kernel_shape", new long[] { 2, 2, 3 }), ("strides", new long[] { 2, 2, 2 }), ("ceil_mode", 1L)],
            [("kernel_shape", new long[] { 2, 3, 2 }), ("strides", new long[] { 1, 2, 1 }), ("auto_pad", "SAME_UPPER")],
            [("kernel_shape", new long[] { 2, 2, 2 }), ("strides", new long[] { 1, 2, 1 }), ("storage_order", 1L)],
        ];
        foreach (var attributes in volumetric) Agrees("MaxPool", 13, attributes, [volume], outputs: 2, tolerance: 0);
        var line = F(8, 2, 3, 9);
        Agrees("MaxPool", 13, [("kernel_shape", new long[] { 3 }), ("strides", new long[] { 2 })], [line], outputs: 2, tolerance: 0);
        Agrees("MaxPool", 13, [("kernel_shape", new long[] { 2 }), ("pads", new long[] { 1, 1 })], [line], outputs: 2, tolerance: 0);
        // 2-D with pads TensorFlow's padding cannot say.
        var image = F(9, 2, 3, 5, 6);
        Agrees("MaxPool", 13, [("kernel_shape", new long[] { 2, 3 }), ("pads", new long[] { 1, 0, 0, 2 })], [image], outputs: 2, tolerance: 0);
        Agrees("MaxPool", 13, [("kernel_shape", new long[] { 3, 2 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 }), ("storage_order", 1L)], [image], outputs: 2, tolerance: 0);
        // Ties go to the first maximum in the window's row-major order.
        var ties = NDArray.FromFlat(Uniform(3, 0, 2, 1, 2, 4, 4, 3).ToArray<float>().Select(MathF.Floor).ToArray(), new Shape(1, 2, 4, 4, 3));
        Agrees("MaxPool", 13, [("kernel_shape", new long[] { 2, 2, 2 })], [ties], outputs: 2, tolerance: 0);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TheGradientOfVolumetricMaxPoolingImportsBack(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 5, 3, 2), name: "x");
        var outputs = new List<Tensor>();
        var inputs = new Dictionary<string, Tensor> { ["x"] = x };
        var feed = new List<(string, NDArray)> { ("x", NDArray.FromFlat(Uniform(3, 0, 3, 2, 4, 5, 3, 2).ToArray<float>().Select(MathF.Floor).ToArray(), new Shape(2, 4, 5, 3, 2))) };
        (int[] Ksize, int[] Strides, string Padding)[] windows = [([1, 2, 3, 2, 1], [1, 1, 2, 1, 1], "SAME"), ([1, 3, 2, 2, 1], [1, 2, 2, 1, 1], "VALID")];
        foreach (var (ksize, strides, padding) in windows)
        {
            var pooled = tf.nn.max_pool3d(x, ksize, strides, padding);
            var dy = tf.placeholder(tf.float32, pooled.shape, name: $"dy_{outputs.Count}");
            var dx = tf.gradients(pooled, x, grad_ys: dy)[0]!;
            Assert.Equal("MaxPool3DGrad", dx.op.type);
            outputs.Add(dx);
            inputs[dy.op.name] = dy;
            feed.Add((dy.op.name, F(20 + outputs.Count, [2, .. pooled.shape.Dims.Skip(1)])));
        }
        using var sess = tf.Session();
        ExportAgrees(sess, inputs, [.. outputs], [.. feed], opset);
    }
}
