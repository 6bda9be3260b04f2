using SharpFlow.GraphIO;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>tf.import_graph_def with importer.py's semantics, on SharpFlow's graphs and on TensorFlow's frozen.pb.</summary>
public class ImportGraphDefTests
{
    private static Tf.GraphDef Frozen() => ProtoFiles.Read<Tf.GraphDef>(TfFiles.Path("regression", "graphdef", "frozen.pb"));

    [Fact]
    public void TensorFlowsFrozenGraphComputesWTimesXPlusBFromTheCheckpoint()
    {
        var reader = tf.train.NewCheckpointReader(TfFiles.CheckpointPrefix);
        var w = reader.get_tensor("W").ToArray<float>()[0];
        var b = reader.get_tensor("b").ToArray<float>()[0];
        Assert.Equal((w, b), TfFiles.FrozenValues());

        using var g = TestGraph.Enter();
        var returned = tf.import_graph_def(Frozen(), return_elements: ["X:0", "pred:0"]);
        var (x, pred) = ((Tensor)returned![0], (Tensor)returned[1]);
        Assert.Equal("import/X:0", x.name);
        Assert.Equal("import/pred:0", pred.name);
        using var sess = tf.Session();
        var xs = new[] { -1.5f, 0f, 2f, 10f };
        foreach (var v in xs)
        {
            var result = sess.run(pred, new FeedDict { [x] = new[] { v } }).ToArray<float>();
            Assert.Equal(w * v + b, result.Single());
        }
    }

    [Fact]
    public void InputMapReplacesThePlaceholderAndNamesAreUniquified()
    {
        using var g = TestGraph.Enter();
        var mine = tf.constant(new[] { 3f }, name: "mine");
        var first = tf.import_graph_def(Frozen(), input_map: new Dictionary<string, Tensor> { ["X:0"] = mine }, return_elements: ["pred:0"]);
        var second = tf.import_graph_def(Frozen(), input_map: new Dictionary<string, Tensor> { ["X"] = mine }, return_elements: ["pred:0", "W"]);
        Assert.Equal("import_1/pred:0", second![0].name);
        Assert.IsType<Operation>(second[1]);
        Assert.Equal("import_1/W", second[1].name);
        var (w, b) = TfFiles.FrozenValues();
        Assert.Equal(w * 3f + b, g.Eval((Tensor)first![0]).ToArray<float>().Single());
        // The mapped placeholder is still imported, but nothing reads it.
        Assert.Empty(g.Graph.get_operation_by_name("import/X").outputs[0].consumers());
    }

    [Fact]
    public void AnEmptyNameImportsAtTheRootRenamingTakenNames()
    {
        using var g = TestGraph.Enter();
        tf.constant(1f, name: "W");
        tf.import_graph_def(Frozen(), name: "");
        Assert.Equal("Const", g.Graph.get_operation_by_name("W_1").type);
        Assert.Equal("W_1", g.Graph.get_operation_by_name("W/read").inputs[0].op.name);
        Assert.Equal("Placeholder", g.Graph.get_operation_by_name("X").type);
    }

    [Fact]
    public void ARoundTripKeepsOpsAttrsControlInputsAndValues()
    {
        Tf.GraphDef def;
        NDArray expected;
        using (var g = TestGraph.Enter())
        {
            var x = tf.constant(new[,] { { 1f, -2f }, { 3f, 4f } }, name: "x");
            var y = tf.nn.relu(tf.matmul(x, x, transpose_b: true), name: "y");
            var parts = tf.split(y, 2, axis: 0, name: "parts");
            var mean = tf.reduce_mean(y, keepdims: true);
            using (tf.control_dependencies([y.op])) tf.add(parts[1], mean, name: "z");
            expected = g.Eval(g.Graph.get_tensor_by_name("z:0"));
            def = g.Graph.as_graph_def();
        }
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(def, name: "copy");
            var z = g.Graph.get_tensor_by_name("copy/z:0");
            Assert.Equal(new[] { "copy/y" }, z.op.control_inputs.Select(o => o.name));
            Assert.Equal("copy/parts:1", z.op.inputs[0].name);
            Assert.Equal(expected.ToArray<float>(), g.Eval(z).ToArray<float>());
            Assert.True((bool)g.Graph.get_operation_by_name("copy/MatMul").get_attr("transpose_b"));
            // Exported again, the copy is the original under the new scope.
            var again = g.Graph.as_graph_def();
            Assert.Equal(def.Node.Select(n => "copy/" + n.Name), again.Node.Select(n => n.Name));
            Assert.Equal(def.Node.Select(n => n.Attr.Count), again.Node.Select(n => n.Attr.Count));
        }
    }

    [Fact]
    public void NodesNeedNotBeInOrder()
    {
        var def = TextFormat.Parse<Tf.GraphDef>("""
            node { name: "sum" op: "Add" input: "a" input: "b" attr { key: "T" value { type: DT_INT32 } } }
            node { name: "b" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 40 } } } }
            node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 2 } } } }
            """);
        using var g = TestGraph.Enter();
        var sum = (Tensor)tf.import_graph_def(def, return_elements: ["sum:0"])![0];
        Assert.Equal(42, g.Eval(sum).ToArray<int>().Single());
    }

    [Fact]
    public void MissingOpTypesAreReportedTogetherBeforeAnythingIsAdded()
    {
        var def = TextFormat.Parse<Tf.GraphDef>("""
            node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
            node { name: "f1" op: "FancyOp" input: "a" }
            node { name: "f2" op: "OtherOp" input: "f1" }
            node { name: "f3" op: "FancyOp" input: "f2" }
            """);
        using var g = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => tf.import_graph_def(def));
        Assert.Contains("'f1' (FancyOp)", e.Message);
        Assert.Contains("'f2' (OtherOp)", e.Message);
        Assert.Contains("'f3' (FancyOp)", e.Message);
        Assert.Contains("Missing op types: FancyOp, OtherOp", e.Message);
        Assert.Empty(g.Graph.get_operations());
    }

    [Fact]
    public void BadReferencesAreValueErrorsNamingTheNode()
    {
        using var g = TestGraph.Enter();
        var dangling = TextFormat.Parse<Tf.GraphDef>("node { name: \"n\" op: \"Identity\" input: \"nowhere\" attr { key: \"T\" value { type: DT_FLOAT } } }");
        Assert.Contains("Node 'n': Unknown input node 'nowhere'", Assert.Throws<ValueError>(() => tf.import_graph_def(dangling)).Message);
        Assert.Contains("Requested return_element 'nope:0' not found in graph_def.",
            Assert.Throws<ValueError>(() => tf.import_graph_def(Frozen(), return_elements: ["nope:0"])).Message);
        Assert.Contains("Attempted to map inputs that were not found in graph_def: [Y:0]",
            Assert.Throws<ValueError>(() => tf.import_graph_def(Frozen(), input_map: new Dictionary<string, Tensor> { ["Y:0"] = tf.constant(1f) })).Message);
        var badShape = TextFormat.Parse<Tf.GraphDef>("""
            node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } dim { size: 3 } } } } } }
            node { name: "m" op: "MatMul" input: "a" input: "a" attr { key: "T" value { type: DT_FLOAT } } }
            """);
        var e = Assert.Throws<ValueError>(() => tf.import_graph_def(badShape));
        Assert.Contains("Node 'm' (MatMul)", e.Message);
    }

    [Fact]
    public void WriteGraphWritesTextAndBinaryThatReadBack()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, shape: new[] { 2 }, name: "x");
        tf.multiply(x, tf.constant(new[] { 2f, 3f }), name: "y");
        var dir = Path.Combine(Path.GetTempPath(), "sharpflow-write-graph-" + Guid.NewGuid().ToString("N"), "sub");
        try
        {
            var text = tf.train.write_graph(g.Graph, dir, "graph.pbtxt");
            var binary = tf.train.write_graph(g.Graph, dir, "graph.pb", as_text: false);
            Assert.Equal(Path.Combine(dir, "graph.pbtxt"), text);
            Assert.StartsWith("node {\n  name: \"x\"\n  op: \"Placeholder\"\n", File.ReadAllText(text));
            Assert.Equal(g.Graph.as_graph_def(), ProtoFiles.Read<Tf.GraphDef>(text));
            Assert.Equal(g.Graph.as_graph_def(), ProtoFiles.Read<Tf.GraphDef>(binary));
            var parsed = tf.GraphDef();
            parsed.ParseFromString(File.ReadAllBytes(binary));
            Assert.Equal(g.Graph.as_graph_def(), parsed);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, true);
        }
    }
}
