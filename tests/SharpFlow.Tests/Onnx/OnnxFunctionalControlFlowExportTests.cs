using SharpFlow.GraphIO;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.GraphIO;
using SharpFlow.Tests.Support;
using static SharpFlow.Tests.Onnx.OnnxCheck;
using Tf = Tensorflow;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// TensorFlow 2's functional control flow exported to ONNX: graphs in cond_v2's, while_v2's and tf.function's
/// NodeDef/FunctionDef form (If, StatelessIf, While, StatelessWhile, PartitionedCall, StatefulPartitionedCall, as in
/// GraphIO's FunctionalControlFlowTests) and a while_v2 loop TensorFlow wrote, imported (lowered to v1 control flow),
/// exported as ONNX If, Loop and the inlined body, run in ONNX Runtime and compared with SharpFlow's run, at opsets 13
/// and 17.
/// </summary>
public sealed class OnnxFunctionalControlFlowExportTests
{
    private const string WhileGraph = """
        node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { } } } }
        node { name: "n" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "shape" value { shape { } } } }
        node { name: "while/maximum_iterations" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: -1 } } } }
        node { name: "while/loop_counter" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 0 } } } }
        node {
          name: "while" op: "OP" input: "while/loop_counter" input: "while/maximum_iterations" input: "x" input: "n"
          attr { key: "T" value { list { type: DT_INT32 type: DT_INT32 type: DT_FLOAT type: DT_INT32 } } }
          attr { key: "_lower_using_switch_merge" value { b: true } }
          attr { key: "body" value { func { name: "while_body_20" } } }
          attr { key: "cond" value { func { name: "while_cond_19" } } }
          attr { key: "output_shapes" value { list { shape { } shape { } shape { } shape { } } } }
          attr { key: "parallel_iterations" value { i: 10 } }
        }
        node { name: "while/Identity_2" op: "Identity" input: "while:2" attr { key: "T" value { type: DT_FLOAT } } }
        library {
          function {
            signature {
              name: "while_cond_19"
              input_arg { name: "while_loop_counter" type: DT_INT32 } input_arg { name: "while_maximum_iterations" type: DT_INT32 }
              input_arg { name: "placeholder" type: DT_FLOAT } input_arg { name: "limit" type: DT_INT32 } output_arg { name: "identity" type: DT_BOOL }
            }
            node_def { name: "Less" op: "Less" input: "while_loop_counter" input: "limit" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "Identity" op: "Identity" input: "Less:z:0" attr { key: "T" value { type: DT_BOOL } } }
            ret { key: "identity" value: "Identity:output:0" }
          }
          function {
            signature {
              name: "while_body_20"
              input_arg { name: "while_loop_counter" type: DT_INT32 } input_arg { name: "while_maximum_iterations" type: DT_INT32 }
              input_arg { name: "placeholder" type: DT_FLOAT } input_arg { name: "limit" type: DT_INT32 }
              output_arg { name: "identity" type: DT_INT32 } output_arg { name: "identity_1" type: DT_INT32 } output_arg { name: "identity_2" type: DT_FLOAT }
              output_arg { name: "identity_3" type: DT_INT32 }
            }
            node_def { name: "add/y" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 1 } } } }
            node_def { name: "add" op: "AddV2" input: "while_loop_counter" input: "add/y:output:0" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "mul/y" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 1.5 } } } }
            node_def { name: "mul" op: "Mul" input: "placeholder" input: "mul/y:output:0" attr { key: "T" value { type: DT_FLOAT } } }
            node_def { name: "Identity" op: "Identity" input: "add:z:0" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "Identity_1" op: "Identity" input: "while_maximum_iterations" attr { key: "T" value { type: DT_INT32 } } }
            node_def { name: "Identity_2" op: "Identity" input: "mul:z:0" attr { key: "T" value { type: DT_FLOAT } } }
            node_def { name: "Identity_3" op: "Identity" input: "limit" attr { key: "T" value { type: DT_INT32 } } }
            ret { key: "identity" value: "Identity:output:0" }
            ret { key: "identity_1" value: "Identity_1:output:0" }
            ret { key: "identity_2" value: "Identity_2:output:0" }
            ret { key: "identity_3" value: "Identity_3:output:0" }
          }
        }
        versions { producer: 134 min_consumer: 12 }
        """;

    private static Tf.GraphDef Parse(string text, string op) => TextFormat.Parse<Tf.GraphDef>(text.Replace("\"OP\"", $"\"{op}\"", StringComparison.Ordinal));

    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    /// <summary>Exports the imported graph at opsets 13 and 17, runs each feed in ONNX Runtime against SharpFlow; returns the opset-13 model's operators.</summary>
    private static List<string> ExportsAndRuns(Session sess, Dictionary<string, Tensor> inputs, Tensor output, IEnumerable<(string Name, NDArray Value)[]> feeds)
    {
        List<string>? operators = null;
        foreach (var opset in new[] { 13, 17 })
        {
            var model = OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["result"] = output }, opset);
            operators ??= [.. AllNodes(model.Proto.Graph).Select(n => n.OpType)];
            Assert.DoesNotContain(AllNodes(model.Proto.Graph), n => n.OpType is "Switch" or "Merge" or "Enter" or "Exit" or "NextIteration" or "LoopCond" or "NoOp");
            var bytes = model.ToByteArray();
            foreach (var feed in feeds)
            {
                var dict = new FeedDict();
                foreach (var (name, value) in feed) dict[inputs[name]] = value;
                var ours = sess.run(output, dict);
                Same(ours, RunOnnxRuntime(bytes, feed, ["result"])[0], $"{output.name} at opset {opset} for {string.Join(", ", feed.Select(f => $"{f.Name}={f.Value}"))}", 1e-6);
            }
        }
        return operators!;
    }

    [Theory]
    [InlineData("If")]
    [InlineData("StatelessIf")]
    public void AnIfExportsAsAnOnnxIfTakingEitherBranch(string op)
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(Parse(FunctionalControlFlowTests.IfGraph, op), name: "");
        var x = g.Graph.get_tensor_by_name("x:0");
        using var sess = tf.Session();
        var operators = ExportsAndRuns(sess, new() { ["x"] = x }, g.Graph.get_tensor_by_name("cond/Identity:0"),
            [[("x", NDArray.Scalar(1.5f))], [("x", NDArray.Scalar(4f))], [("x", NDArray.Scalar(2f))]]);
        Assert.Equal(1, operators.Count(o => o == "If"));
        Assert.Equal(2, operators.Count(o => o == "Mul")); // one per branch
    }

    [Fact]
    public void AnIfOnANumberExportsTensorFlowsTruthinessAsNotEqualZero()
    {
        // TensorFlow's If takes a number as true when it is not 0; the import lowers that to NotEqual(n, 0), which
        // exports as Not of Equal feeding the If. A cond of more than one element fails in SharpFlow's Switch as in
        // ONNX Runtime's If (each needs one element), so the export neither converts nor refuses it.
        var graphDef = Parse(FunctionalControlFlowTests.IfGraph, "If");
        var cond = graphDef.Node.Single(n => n.Name == "cond");
        cond.Input[0] = "n";
        cond.Attr["Tcond"].Type = Tf.DataType.DtInt32;
        graphDef.Node.Add(TextFormat.Parse<Tf.NodeDef>("""name: "n" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "shape" value { shape { } } }"""));
        using var g = TestGraph.Enter();
        tf.import_graph_def(graphDef, name: "");
        var (x, n) = (g.Graph.get_tensor_by_name("x:0"), g.Graph.get_tensor_by_name("n:0"));
        using var sess = tf.Session();
        var operators = ExportsAndRuns(sess, new() { ["x"] = x, ["n"] = n }, g.Graph.get_tensor_by_name("cond/Identity:0"),
            [[("x", NDArray.Scalar(5f)), ("n", NDArray.Scalar(-2))], [("x", NDArray.Scalar(5f)), ("n", NDArray.Scalar(0))], [("x", NDArray.Scalar(5f)), ("n", NDArray.Scalar(7))]]);
        Assert.Contains("If", operators);
        Assert.Contains("Equal", operators);
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["n"] = n }, new Dictionary<string, Tensor> { ["y"] = g.Graph.get_tensor_by_name("cond/Identity:0") }).ToByteArray();
        Assert.Equal(25f, RunOnnxRuntime(model, [("x", NDArray.Scalar(5f)), ("n", NDArray.Scalar(-2))], ["y"])[0].AsSpan<float>()[0]);
        Assert.Equal(15f, RunOnnxRuntime(model, [("x", NDArray.Scalar(5f)), ("n", NDArray.Scalar(0))], ["y"])[0].AsSpan<float>()[0]);
    }

    [Theory]
    [InlineData("While")]
    [InlineData("StatelessWhile")]
    public void AWhileExportsAsAnOnnxLoopCheckingItsCondBeforeEachIteration(string op)
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(Parse(WhileGraph, op), name: "");
        var (x, n) = (g.Graph.get_tensor_by_name("x:0"), g.Graph.get_tensor_by_name("n:0"));
        using var sess = tf.Session();
        // n = 0: the cond is false before the first iteration, so the body never runs.
        var operators = ExportsAndRuns(sess, new() { ["x"] = x, ["n"] = n }, g.Graph.get_tensor_by_name("while/Identity_2:0"),
            [[("x", NDArray.Scalar(2f)), ("n", NDArray.Scalar(3))], [("x", NDArray.Scalar(2f)), ("n", NDArray.Scalar(0))], [("x", NDArray.Scalar(-1f)), ("n", NDArray.Scalar(7))]]);
        Assert.Equal(1, operators.Count(o => o == "Loop"));
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["n"] = n }, new Dictionary<string, Tensor> { ["y"] = g.Graph.get_tensor_by_name("while/Identity_2:0") }).ToByteArray();
        Assert.Equal(6.75f, RunOnnxRuntime(model, [("x", NDArray.Scalar(2f)), ("n", NDArray.Scalar(3))], ["y"])[0].AsSpan<float>()[0]);
        Assert.Equal(2f, RunOnnxRuntime(model, [("x", NDArray.Scalar(2f)), ("n", NDArray.Scalar(0))], ["y"])[0].AsSpan<float>()[0]);
    }

    [Fact]
    public void AWhileLoopTensorFlow2WroteExportsAsALoop()
    {
        var graphDef = ProtoFiles.Read<Tf.GraphDef>(TestData.File("tf-functions", "graph-functional-while-loop.pbtxt"), as_text: true);
        using var g = TestGraph.Enter();
        var input = tf.placeholder(tf.int32, Shape.Scalar);
        var outputs = tf.import_graph_def(graphDef, input_map: new Dictionary<string, Tensor> { ["input"] = input },
            return_elements: ["while:0", "while:1", "while:2"], name: "")!.Cast<Tensor>().ToArray();
        using var sess = tf.Session();
        var feeds = new[] { 3, 12, 0, 5 }.Select(v => new[] { ("input", NDArray.Scalar(v)) }).ToArray();
        foreach (var output in outputs)
            Assert.Contains("Loop", ExportsAndRuns(sess, new() { ["input"] = input }, output, feeds));
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["input"] = input }, outputs.Select((o, i) => (o, i)).ToDictionary(p => $"y{p.i}", p => p.o)).ToByteArray();
        Assert.Equal([7, -1, 10], RunOnnxRuntime(model, [("input", NDArray.Scalar(3))], ["y0", "y1", "y2"]).Select(v => v.AsSpan<int>()[0]));
    }

    [Theory]
    [InlineData("StatefulPartitionedCall")]
    [InlineData("PartitionedCall")]
    public void ACallExportsAsItsInlinedBody(string op)
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(Parse(FunctionalControlFlowTests.CallGraph, op), name: "");
        var (x, y) = (g.Graph.get_tensor_by_name("x:0"), g.Graph.get_tensor_by_name("y:0"));
        using var sess = tf.Session();
        var operators = ExportsAndRuns(sess, new() { ["x"] = x, ["y"] = y }, g.Graph.get_tensor_by_name("Identity:0"),
            [[("x", NDArray.FromArray(new[] { 1f, 2f })), ("y", NDArray.FromArray(new[] { 3f, -1f }))]]);
        Assert.Contains("Mul", operators);
        Assert.Contains("Add", operators);
        Assert.DoesNotContain(op, operators);
    }

    [Fact]
    public void TheFunctionalRowsSayTheyAreLoweredOnImport()
    {
        foreach (var type in FunctionalOps.Types)
        {
            Assert.Contains(type, OnnxExporter.SupportedOpTypes);
            Assert.Contains("on import", OnnxExporter.NotesOf(type));
        }
    }
}
