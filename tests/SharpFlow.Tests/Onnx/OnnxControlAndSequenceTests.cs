using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// ONNX's If and Loop (subgraphs reading the outer graph), its sequence operators, random generators, signal
/// windows and uint8 quantization, imported, give ONNX Runtime's outputs.
/// </summary>
public sealed class OnnxControlAndSequenceTests
{
    private const int Float = 1, Int64 = 7, Bool = 9;

    private static ValueInfoProto Info(string name, int elemType, params long[]? dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = elemType };
        if (dims is { Length: > 0 })
        {
            tensor.Shape = new TensorShapeProto();
            foreach (var d in dims) tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    private static ValueInfoProto Scalar(string name, int elemType) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = new TensorShapeProto() } } };

    private static NodeProto N(string op, string[] inputs, string[] outputs, params (string, object)[] attributes)
    {
        var node = OnnxNodes.Create(op, 0, inputs, outputs, attributes);
        node.Name = $"{op}_{outputs[0]}";
        return node;
    }

    private static GraphProto Graph(string name, ValueInfoProto[] inputs, ValueInfoProto[] outputs, params NodeProto[] nodes)
    {
        var g = new GraphProto { Name = name };
        g.Input.AddRange(inputs);
        g.Output.AddRange(outputs);
        g.Node.AddRange(nodes);
        return g;
    }

    private static byte[] ModelOf(GraphProto graph, int opset, params (string Name, NDArray Value)[] initializers)
    {
        foreach (var (name, value) in initializers) graph.Initializer.Add(OnnxTensors.FromNDArray(value, name));
        var model = new ModelProto { IrVersion = 8, ProducerName = "SharpFlow tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }

    private static void GraphAgrees(byte[] model, (string, NDArray)[] feeds, string[] outputs, double tolerance = 1e-5)
    {
        var expected = RunOnnxRuntime(model, feeds, outputs);
        var actual = RunSharpFlow(model, feeds, outputs, dynamicBatch: false);
        for (var i = 0; i < outputs.Length; i++) Same(expected[i], actual[i], $"output {outputs[i]}", tolerance);
    }

    private static NDArray Flag(bool value) => NDArray.Scalar(value);

    [Fact]
    public void IfBuildsBothBranchesReadingTheOuterGraph()
    {
        var thenBranch = Graph("then", [], [Info("t", Float)], N("Add", ["x", "w"], ["t"]));
        var elseBranch = Graph("else", [], [Info("e", Float)], N("Mul", ["x", "x"], ["e0"]), N("Sub", ["e0", "w"], ["e"]));
        var graph = Graph("if", [Info("c", Bool), Info("x", Float, 2, 3)], [Info("y", Float)],
            N("If", ["c"], ["y"], ("then_branch", thenBranch), ("else_branch", elseBranch)));
        var model = ModelOf(graph, 13, ("w", F(2, 2, 3)));
        foreach (var c in new[] { true, false })
            GraphAgrees(model, [("c", Flag(c)), ("x", F(1, 2, 3))], ["y"]);

        // A condition known at import builds the one branch.
        var constant = Graph("if", [Info("x", Float, 2, 3)], [Info("y", Float)],
            N("If", ["c"], ["y"], ("then_branch", thenBranch.Clone()), ("else_branch", elseBranch.Clone())));
        GraphAgrees(ModelOf(constant, 13, ("w", F(2, 2, 3)), ("c", Flag(false))), [("x", F(1, 2, 3))], ["y"]);
    }

    [Fact]
    public void LoopCarriesValuesAndStacksScanOutputs()
    {
        // for i < M while cond: v = v + x·i; cond = (sum(v) < 10); scan = v·2.
        var body = Graph("body", [Scalar("i", Int64), Scalar("cond_in", Bool), Info("v", Float, 2, 3)],
            [Info("cond_out", Bool), Info("v_out", Float), Info("scan", Float)],
            N("Cast", ["i"], ["fi"], ("to", Float)),
            N("Mul", ["x", "fi"], ["xi"]),
            N("Add", ["v", "xi"], ["v_out"]),
            N("ReduceSum", ["v_out"], ["total"], ("keepdims", 0)),
            N("Less", ["total", "limit"], ["cond_out"]),
            N("Add", ["v_out", "v_out"], ["scan"]));
        var graph = Graph("loop", [Info("x", Float, 2, 3), Info("m", Int64)], [Info("y", Float), Info("s", Float)],
            N("Loop", ["m", "cond", "v0"], ["y", "s"], ("body", body)));
        var model = ModelOf(graph, 13, ("cond", Flag(true)), ("v0", F(3, 2, 3)), ("limit", NDArray.Scalar(10f)));
        foreach (var trips in new[] { 1L, 3L, 8L })
            GraphAgrees(model, [("x", Uniform(1, 0, 1, 2, 3)), ("m", NDArray.Scalar(trips))], ["y", "s"]);
    }

    [Fact]
    public void SequencesSplitInsertEraseReadAndConcatenate()
    {
        var graph = Graph("seq", [Info("x", Float, 6, 4), Info("z", Float, 2, 4)], [Info("a", Float), Info("b", Float), Info("n", Int64), Info("c", Float), Info("d", Float)],
            N("SplitToSequence", ["x", "two"], ["s"], ("axis", 0)),
            N("SequenceInsert", ["s", "z", "one"], ["s2"]),
            N("SequenceErase", ["s2"], ["s3"]),
            N("SequenceAt", ["s3", "minus1"], ["a"]),
            N("ConcatFromSequence", ["s3"], ["b"], ("axis", 1)),
            N("SequenceLength", ["s3"], ["n"]),
            N("SplitToSequence", ["x"], ["rows"], ("axis", 1), ("keepdims", 0)),
            N("ConcatFromSequence", ["rows"], ["c"], ("axis", -1), ("new_axis", 1)),
            N("SequenceConstruct", ["x", "x"], ["pair"]),
            N("SequenceEmpty", [], ["empty"], ("dtype", Float)),
            N("SequenceInsert", ["empty", "z"], ["one_item"]),
            N("SequenceAt", ["pair", "zero"], ["p0"]),
            N("SequenceAt", ["one_item", "zero"], ["q0"]),
            N("Concat", ["p0", "q0"], ["d"], ("axis", 0)));
        var model = ModelOf(graph, 13, ("two", NDArray.Scalar(2L)), ("one", NDArray.Scalar(1L)), ("minus1", NDArray.Scalar(-1L)), ("zero", NDArray.Scalar(0L)));
        GraphAgrees(model, [("x", F(1, 6, 4)), ("z", F(2, 2, 4))], ["a", "b", "n", "c", "d"]);

        // Uneven split sizes given as a list.
        var uneven = Graph("seq", [Info("x", Float, 6, 4)], [Info("a", Float)],
            N("SplitToSequence", ["x", "sizes"], ["s"], ("axis", 0)),
            N("SequenceAt", ["s", "one"], ["a"]));
        GraphAgrees(ModelOf(uneven, 13, ("sizes", L(1, 5)), ("one", NDArray.Scalar(1L))), [("x", F(1, 6, 4))], ["a"]);
    }

    [Fact]
    public void SequenceAtAPositionComputedAtRunTime()
    {
        var graph = Graph("seq", [Info("x", Float, 6, 4), Info("i", Int64)], [Info("a", Float)],
            N("SplitToSequence", ["x", "two"], ["s"]),
            N("SequenceAt", ["s", "i"], ["a"]));
        var model = ModelOf(graph, 13, ("two", NDArray.Scalar(2L)));
        foreach (var i in new[] { 0L, 2L, -1L, -3L })
            GraphAgrees(model, [("x", F(1, 6, 4)), ("i", NDArray.Scalar(i))], ["a"]);
    }

    private static ValueInfoProto Sequence(string name, int elemType) =>
        new() { Name = name, Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType } } } } };

    /// <summary>
    /// A Loop whose body appends x[i]² (as a [1, 3] row) to the sequence it carries, starting from a list or from an
    /// empty sequence; the sequences it gives are read, counted and joined along each axis, as in ONNX Runtime,
    /// for a batch known at import and one known at run time only.
    /// </summary>
    [Fact]
    public void ALoopCarriesASequenceItAppendsTo()
    {
        GraphProto Body() => Graph("body", [Scalar("i", Int64), Scalar("c", Bool), Sequence("s", Float)], [Scalar("c_out", Bool), Sequence("s_out", Float)],
            N("Gather", ["x", "i"], ["row"], ("axis", 0)),
            N("Mul", ["row", "row"], ["square"]),
            N("Unsqueeze", ["square", "zero_axis"], ["item"]),
            N("SequenceInsert", ["s", "item"], ["s_out"]),
            N("Identity", ["c"], ["c_out"]));
        var graph = Graph("loop", [Info("x", Float, 4, 3), Info("m", Int64)],
            [Info("stacked", Float), Info("joined", Float), Info("columns", Float), Info("n", Int64), Info("last", Float), Info("from_empty", Float)],
            N("SequenceConstruct", ["first"], ["list"]),
            N("Loop", ["m", "", "list"], ["grown"], ("body", Body())),
            N("ConcatFromSequence", ["grown"], ["stacked"], ("axis", 0), ("new_axis", 1)),
            N("ConcatFromSequence", ["grown"], ["joined"], ("axis", 1)),
            N("ConcatFromSequence", ["grown"], ["columns"], ("axis", -1), ("new_axis", 1)),
            N("SequenceLength", ["grown"], ["n"]),
            N("SequenceAt", ["grown", "minus1"], ["last"]),
            N("SequenceEmpty", [], ["empty"], ("dtype", Float)),
            N("Loop", ["m", "", "empty"], ["filled"], ("body", Body())),
            N("ConcatFromSequence", ["filled"], ["from_empty"], ("axis", 0)));
        var model = ModelOf(graph, 13, ("first", F(7, 1, 3)), ("zero_axis", L(0)), ("minus1", NDArray.Scalar(-1L)));
        string[] outputs = ["stacked", "joined", "columns", "n", "last", "from_empty"];
        foreach (var trips in new[] { 1L, 4L })
        {
            (string, NDArray)[] feeds = [("x", F(2, 4, 3)), ("m", NDArray.Scalar(trips))];
            var expected = RunOnnxRuntime(model, feeds, outputs);
            foreach (var dynamicBatch in new[] { false, true })
            {
                var actual = RunSharpFlow(model, feeds, outputs, dynamicBatch);
                for (var k = 0; k < outputs.Length; k++) Same(expected[k], actual[k], $"{outputs[k]} after {trips} trips, dynamic batch {dynamicBatch}", 1e-6);
            }
        }
    }

    [Fact]
    public void AnInsertIntoALoopCarriedSequenceOtherThanAtItsEndFailsNamingTheNode()
    {
        var body = Graph("body", [Scalar("i", Int64), Scalar("c", Bool), Sequence("s", Float)], [Scalar("c_out", Bool), Sequence("s_out", Float)],
            N("Gather", ["x", "i"], ["row"], ("axis", 0)),
            N("SequenceInsert", ["s", "row", "zero"], ["s_out"]),
            N("Identity", ["c"], ["c_out"]));
        var graph = Graph("loop", [Info("x", Float, 4, 3), Info("m", Int64)], [Info("y", Float)],
            N("SequenceEmpty", [], ["empty"], ("dtype", Float)),
            N("Loop", ["m", "", "empty"], ["grown"], ("body", body)),
            N("ConcatFromSequence", ["grown"], ["y"], ("axis", 0), ("new_axis", 1)));
        var model = ModelOf(graph, 13, ("zero", NDArray.Scalar(0L)));
        // One trip inserts at 0 = the end, as ONNX Runtime does.
        GraphAgrees(model, [("x", F(2, 4, 3)), ("m", NDArray.Scalar(1L))], ["y"]);
        // Prepending (ONNX Runtime reverses the rows) is refused when it happens.
        var e = Assert.Throws<InvalidArgumentError>(() => RunSharpFlow(model, [("x", F(2, 4, 3)), ("m", NDArray.Scalar(3L))], ["y"], dynamicBatch: false));
        Assert.Contains("node 'SequenceInsert_s_out' (SequenceInsert)", e.Message);
        Assert.Contains("at a position other than its end", e.Message);
    }

    [Fact]
    public void SequenceFormsOfRunTimeLengthSharpFlowCannotMapAreNamed()
    {
        void Refused(GraphProto graph, string expected, bool dynamicBatch = false)
        {
            using var g = TestGraph.Enter();
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(ModelOf(graph, 13), "s.onnx").Import(new OnnxImportOptions { DynamicBatch = dynamicBatch }));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        // A body that returns a new sequence instead of appending to the one the Loop carries.
        var replacing = Graph("body", [Scalar("i", Int64), Scalar("c", Bool), Sequence("s", Float)], [Scalar("c_out", Bool), Sequence("s_out", Float)],
            N("SequenceEmpty", [], ["fresh"], ("dtype", Float)),
            N("SequenceInsert", ["fresh", "x"], ["s_out"]),
            N("Identity", ["c"], ["c_out"]));
        Refused(Graph("loop", [Info("x", Float, 2, 3), Info("m", Int64)], [Info("y", Float)],
                N("SequenceEmpty", [], ["empty"], ("dtype", Float)),
                N("Loop", ["m", "", "empty"], ["grown"], ("body", replacing)),
                N("ConcatFromSequence", ["grown"], ["y"], ("axis", 0))),
            "node 'Loop_grown' (Loop) uses a loop-carried sequence ('empty') that its body's output 's_out' replaces instead of appending to it");
        // Split sizes along an axis other than the first, of a size known at run time only.
        Refused(Graph("split", [Info("x", Float, 3, 4)], [Info("y", Float)],
                N("Transpose", ["x"], ["xt"], ("perm", new long[] { 1, 0 })),
                N("SplitToSequence", ["xt", "x_sizes"], ["parts"], ("axis", 1)),
                N("ConcatFromSequence", ["parts"], ["y"], ("axis", 0))),
            "node 'SplitToSequence_parts' (SplitToSequence) uses axis=1 (a split input along an axis other than the first whose size is unknown at import)", dynamicBatch: true);
        // A sequence out of an If's branch.
        var branch = Graph("then", [], [Sequence("t", Float)], N("SequenceConstruct", ["x"], ["t"]));
        Refused(Graph("if", [Info("c", Bool), Info("x", Float, 2)], [Info("y", Float)],
                N("If", ["c"], ["s"], ("then_branch", branch), ("else_branch", branch.Clone())),
                N("ConcatFromSequence", ["s"], ["y"], ("axis", 0))),
            "node 'If_s' (If) uses a sequence as the output 't' of its subgraph 'then'");
    }

    [Fact]
    public void RandomGeneratorsHaveOnnxRuntimesShapesDtypesAndRanges()
    {
        // Bernoulli of probabilities 0 and 1 is deterministic: 1 with probability p, as ONNX's operator text says
        // (ONNX Runtime 1.31's CPU kernel gives the opposite there, 1 for p = 0, so only its shape and dtype are compared).
        foreach (var (p, dtype) in new[] { (NDArray.FromFlat(new[] { 0f, 1f, 1f, 0f, 1f, 0f }, new Shape(2, 3)), (int?)null), (NDArray.FromFlat(new[] { 1.0, 0.0, 1.0 }, new Shape(3)), 7) })
        {
            (string, object)[] attributes = dtype is { } t ? [("dtype", t)] : [];
            var model = Model("Bernoulli", 15, attributes, [p], 1);
            var ours = RunSharpFlow(model, [("in0", p)], ["out0"])[0];
            var theirs = RunOnnxRuntime(model, [("in0", p)], ["out0"])[0];
            Assert.Equal(theirs.dtype, ours.dtype);
            Assert.Equal(theirs.shape.Dims, ours.shape.Dims);
            Assert.Equal(p.Cast(DType.float64).ToArray<double>(), ours.Cast(DType.float64).ToArray<double>());
        }

        // Real draws: shape, dtype and range as ONNX Runtime's.
        void Drawn(string op, int opset, (string, object)[] attributes, OnnxArg[] inputs, double lo, double hi)
        {
            var model = Model(op, opset, attributes, inputs, 1);
            var feeds = inputs.Select((a, i) => ($"in{i}", a.Value!)).ToList();
            var expected = RunOnnxRuntime(model, feeds, ["out0"])[0];
            var actual = RunSharpFlow(model, feeds, ["out0"])[0];
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape.Dims, actual.shape.Dims);
            var values = actual.Cast(DType.float64).ToArray<double>();
            Assert.All(values, v => Assert.InRange(v, lo, hi));
            if (op == "Bernoulli") Assert.Equal([0.0, 1.0], values.Distinct().Order());
            else Assert.True(values.Distinct().Count() > values.Length / 2, $"{op}: the draws repeat");
        }
        Drawn("RandomUniform", 13, [("shape", new[] { 40, 5 }), ("low", -3f), ("high", -1f), ("seed", 4f)], [], -3, -1);
        Drawn("RandomUniformLike", 13, [("dtype", 11)], [F(1, 30, 4)], 0, 1);
        Drawn("RandomNormal", 13, [("shape", new[] { 50, 4 }), ("mean", 10f), ("scale", 0.5f)], [], 5, 15);
        Drawn("RandomNormalLike", 13, [], [F(1, 10, 10)], -8, 8);
        Drawn("RandomNormalLike", 13, [("mean", -2f), ("scale", 0.1f), ("dtype", 11)], [F(1, 30, 2)], -3, -1);
        Drawn("Bernoulli", 15, [], [Uniform(1, 0.2, 0.8, 200)], 0, 1);
    }

    [Fact]
    public void SignalWindows()
    {
        foreach (var op in new[] { "HannWindow", "HammingWindow", "BlackmanWindow" })
            foreach (var periodic in new[] { 0, 1 })
            {
                Agrees(op, 17, [("periodic", periodic)], [Const(NDArray.Scalar(10L))], tolerance: 1e-6);
                Agrees(op, 17, [("periodic", periodic), ("output_datatype", 11)], [NDArray.Scalar(7)], tolerance: 1e-6);
            }
    }

    [Fact]
    public void QuantizeAndDequantizeUint8PerTensorAndPerAxis()
    {
        var x = Uniform(3, -3, 3, 2, 3, 4);
        Agrees("QuantizeLinear", 13, [], [x, Const(NDArray.Scalar(0.02f)), Const(NDArray.Scalar((byte)128))]);
        Agrees("QuantizeLinear", 10, [], [x, NDArray.Scalar(0.05f)]);
        Agrees("QuantizeLinear", 13, [("axis", 1)], [x, Const(NDArray.FromFlat(new[] { 0.01f, 0.02f, 0.04f }, new Shape(3))), Const(NDArray.FromFlat(new byte[] { 0, 100, 255 }, new Shape(3)))]);
        var q = NDArray.FromFlat(Enumerable.Range(0, 24).Select(v => (byte)(v * 11)).ToArray(), new Shape(2, 3, 4));
        Agrees("DequantizeLinear", 13, [], [q, Const(NDArray.Scalar(0.1f)), Const(NDArray.Scalar((byte)7))]);
        Agrees("DequantizeLinear", 10, [], [q, NDArray.Scalar(0.5f)]);
        Agrees("DequantizeLinear", 13, [("axis", -1)], [q, Const(NDArray.FromFlat(new[] { 0.1f, 0.2f, 0.3f, 0.4f }, new Shape(4))), Const(NDArray.FromFlat(new byte[] { 1, 2, 3, 4 }, new Shape(4)))]);
    }

    [Fact]
    public void UnsupportedFormsAreNamed()
    {
        using var g = TestGraph.Enter();
        var sequence = Graph("seq", [Info("x", Float, 6, 4), Info("i", Int64)], [Info("a", Float)],
            N("SplitToSequence", ["x", "sizes"], ["s"]),
            N("SequenceAt", ["s", "i"], ["a"]));
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(ModelOf(sequence, 13, ("sizes", L(1, 5))), "s.onnx").Import(new OnnxImportOptions { DynamicBatch = false }));
        Assert.Contains("node 'SequenceAt_a' (SequenceAt) uses a position computed at run time into a sequence of tensors of shapes (1, 4), (5, 4)", e.Message);

        var branch = Graph("then", [], [Info("t", Float)], N("Gelu", ["x"], ["t"]));
        var withIf = Graph("if", [Info("c", Bool), Info("x", Float, 2)], [Info("y", Float)],
            N("If", ["c"], ["y"], ("then_branch", branch), ("else_branch", branch.Clone())));
        var inner = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(ModelOf(withIf, 13), "if.onnx").Import());
        Assert.Contains("node 'Gelu_t' (Gelu) uses operator Gelu at opset 13", inner.Message);
    }
}
