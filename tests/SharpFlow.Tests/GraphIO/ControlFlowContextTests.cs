using Google.Protobuf;
using SharpFlow.GraphIO;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// The cond_context and while_context collections of a MetaGraphDef: written as TensorFlow's CondContextDef and
/// WhileContextDef, read back so that gradients through an imported while loop and cond are built as in TensorFlow.
/// </summary>
public sealed class ControlFlowContextTests
{
    // x -> a loop of three steps v <- v * x (x^4), then a cond on the result: y = v*2 when v > 1, else v*v.
    private static (Tensor X, Tensor Y) BuildModel()
    {
        var x = tf.placeholder(tf.float32, shape: Shape.Scalar, name: "x");
        var (_, v) = tf.while_loop((i, _) => tf.less(i, 3), (i, v) => (tf.add(i, 1), tf.multiply(v, x)), (tf.constant(0, name: "i"), x));
        var y = tf.cond(tf.greater(v, 1f), () => tf.multiply(v, 2f), () => tf.multiply(v, v));
        tf.get_default_graph().add_to_collection("y", y);
        return (x, y);
    }

    private static float[] Run(Tensor x, Tensor[] fetches, float value)
    {
        using var sess = tf.Session();
        return [.. fetches.Select(f => sess.run(f, new FeedDict { [x] = value }).ToArray<float>().Single())];
    }

    [Theory]
    [InlineData(1.5f)]  // the true branch: y = 2 x^4, dy/dx = 8 x^3
    [InlineData(0.5f)]  // the false branch: y = x^8, dy/dx = 8 x^7
    public void GradientsThroughAnImportedWhileLoopAndCondEqualTheOriginalGraphs(float value)
    {
        Tf.MetaGraphDef meta;
        float[] original;
        using (var g = TestGraph.Enter())
        {
            var (x, y) = BuildModel();
            var dx = tf.gradients(y, [x])[0]!;
            original = Run(x, [y, dx], value);
            meta = tf.train.export_meta_graph(collection_list: ["y", tf.GraphKeys.COND_CONTEXT, tf.GraphKeys.WHILE_CONTEXT]);
        }
        var expected = value > 1 ? new[] { 2 * MathF.Pow(value, 4), 8 * MathF.Pow(value, 3) } : [MathF.Pow(value, 8), 8 * MathF.Pow(value, 7)];
        Assert.Equal(expected[0], original[0], 1e-4);
        Assert.Equal(expected[1], original[1], 1e-4);

        foreach (var scope in new string?[] { null, "imported" })
        {
            using var g = TestGraph.Enter();
            tf.train.import_meta_graph(meta, import_scope: scope);
            var prefix = scope is null ? "" : scope + "/";
            var x = g.Graph.get_tensor_by_name(prefix + "x:0");
            var y = (Tensor)g.Graph.get_collection("y").Single();
            Assert.Equal(2, g.Graph.get_collection(tf.GraphKeys.COND_CONTEXT).Count);
            Assert.Single(g.Graph.get_collection(tf.GraphKeys.WHILE_CONTEXT));
            var dx = tf.gradients(y, [x])[0];
            Assert.NotNull(dx);
            var imported = Run(x, [y, dx!], value);
            Assert.Equal(original[0], imported[0], 1e-5);
            Assert.Equal(original[1], imported[1], 1e-5);
        }
    }

    [Fact]
    public void TwoImportsOfOneLoopUnderScopesAreTwoFrames()
    {
        Tf.MetaGraphDef meta;
        using (TestGraph.Enter())
        {
            BuildModel();
            meta = tf.train.export_meta_graph();
        }
        using var g = TestGraph.Enter();
        tf.train.import_meta_graph(meta, import_scope: "a");
        tf.train.import_meta_graph(meta, import_scope: "b");
        Assert.Equal("a/while", g.Graph.get_operation_by_name("a/while/Enter").get_attr("frame_name"));
        Assert.Equal("b/while", g.Graph.get_operation_by_name("b/while/Enter").get_attr("frame_name"));
        var ya = g.Graph.get_tensor_by_name("a/cond/Merge:0");
        var yb = g.Graph.get_tensor_by_name("b/cond/Merge:0");
        var sum = tf.add(ya, yb);
        var dxa = tf.gradients(sum, [g.Graph.get_tensor_by_name("a/x:0")])[0]!;
        using var sess = tf.Session();
        var feed = new FeedDict { [g.Graph.get_tensor_by_name("a/x:0")] = 1.5f, [g.Graph.get_tensor_by_name("b/x:0")] = 0.5f };
        var r = sess.run([sum, dxa], feed);
        Assert.Equal(2 * MathF.Pow(1.5f, 4) + MathF.Pow(0.5f, 8), r[0].ToArray<float>().Single(), 1e-4);
        Assert.Equal(8 * MathF.Pow(1.5f, 3), r[1].ToArray<float>().Single(), 1e-4);
    }

    [SkippableFact]
    public void TheWhileContextDefIsTensorFlowsFieldByField()
    {
        Protoc.SkipUnlessAvailable();
        using var g = TestGraph.Enter();
        var i = tf.constant(0, name: "i");
        tf.while_loop(v => tf.less(v, 10), v => tf.add(v, 1), i);
        var meta = tf.train.export_meta_graph();
        var item = Assert.Single(meta.CollectionDef[tf.GraphKeys.WHILE_CONTEXT].BytesList.Value);
        var text = Protoc.Decode("tensorflow.WhileContextDef", item.ToByteArray(), "tensorflow/core/protobuf/control_flow.proto");
        // What TensorFlow 1.15 writes for this loop (tf.add and tf.less name their ops Add and Less) (WhileContext.to_proto): fields in number order, values sorted.
        Assert.Equal("""
            context_name: "while"
            parallel_iterations: 10
            back_prop: true
            pivot_name: "while/LoopCond:0"
            pivot_for_pred_name: "while/Merge:0"
            pivot_for_body_name: "while/Identity:0"
            loop_exit_names: "while/Exit:0"
            values_def {
              values: "while/Add/y:0"
              values: "while/Add:0"
              values: "while/Enter:0"
              values: "while/Exit:0"
              values: "while/Identity:0"
              values: "while/Less/y:0"
              values: "while/Less:0"
              values: "while/LoopCond:0"
              values: "while/Merge:0"
              values: "while/Merge:1"
              values: "while/NextIteration:0"
              values: "while/Switch:0"
              values: "while/Switch:1"
            }
            loop_enter_names: "while/Enter:0"

            """.Replace("\r\n", "\n"), text);
        Assert.False(meta.CollectionDef.ContainsKey(tf.GraphKeys.COND_CONTEXT));
    }

    [SkippableFact]
    public void TheCondContextDefsAreTensorFlowsFieldByField()
    {
        Protoc.SkipUnlessAvailable();
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        tf.cond(tf.greater(x, 0f), () => tf.multiply(x, 2f), () => tf.multiply(x, 3f));
        var items = tf.train.export_meta_graph().CollectionDef[tf.GraphKeys.COND_CONTEXT].BytesList.Value;
        Assert.Equal(2, items.Count);
        string Decode(int k) => Protoc.Decode("tensorflow.CondContextDef", items[k].ToByteArray(), "tensorflow/core/protobuf/control_flow.proto");
        // What TensorFlow 1.15 writes (CondContext.to_proto): the true branch first, its pivot switch_t; the
        // external values map each outside tensor to its Switch output (protoc prints map entries sorted by key).
        Assert.Equal("""
            context_name: "cond/cond_text"
            pred_name: "cond/pred_id:0"
            pivot_name: "cond/switch_t:0"
            branch: 1
            values_def {
              values: "cond/Mul/Switch:0"
              values: "cond/Mul/Switch:1"
              values: "cond/Mul/y:0"
              values: "cond/Mul:0"
              values: "cond/pred_id:0"
              values: "cond/switch_t:0"
              values: "x:0"
              external_values {
                key: "cond/pred_id:0"
                value: "cond/pred_id:0"
              }
              external_values {
                key: "x:0"
                value: "cond/Mul/Switch:1"
              }
            }

            """.Replace("\r\n", "\n"), Decode(0));
        Assert.Equal("""
            context_name: "cond/cond_text_1"
            pred_name: "cond/pred_id:0"
            pivot_name: "cond/switch_f:0"
            values_def {
              values: "cond/Mul_1/Switch:0"
              values: "cond/Mul_1/Switch:1"
              values: "cond/Mul_1/y:0"
              values: "cond/Mul_1:0"
              values: "cond/pred_id:0"
              values: "cond/switch_f:0"
              values: "x:0"
              external_values {
                key: "cond/pred_id:0"
                value: "cond/pred_id:0"
              }
              external_values {
                key: "x:0"
                value: "cond/Mul_1/Switch:0"
              }
            }

            """.Replace("\r\n", "\n"), Decode(1));
    }

    [SkippableFact]
    public void NestedLoopsAndMaximumIterationsAreWrittenAndRead()
    {
        Protoc.SkipUnlessAvailable();
        Tf.MetaGraphDef meta;
        float expected;
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, shape: Shape.Scalar, name: "x");
            // outer: 2 steps; inner: v <- v * x, at most 2 times (maximum_iterations) -> x^5
            var (_, v) = tf.while_loop((i, _) => tf.less(i, 2), (i, v) =>
                (tf.add(i, 1), tf.while_loop(w => tf.less(w, 100f), w => tf.multiply(w, x), v, maximum_iterations: 2, name: "inner")),
                (tf.constant(0), x));
            g.Graph.add_to_collection("v", v);
            var dx = tf.gradients(v, [x])[0]!;
            using var sess = tf.Session();
            expected = sess.run(dx, new FeedDict { [x] = 1.25f }).ToArray<float>().Single();
            Assert.Equal(5 * MathF.Pow(1.25f, 4), expected, 1e-4);
            meta = tf.train.export_meta_graph(collection_list: ["v", tf.GraphKeys.WHILE_CONTEXT]);
        }
        var outer = Tf.WhileContextDef.Parser.ParseFrom(Assert.Single(meta.CollectionDef[tf.GraphKeys.WHILE_CONTEXT].BytesList.Value));
        Assert.Equal("while", outer.ContextName);
        // The gradients' loops (built before the export) nest in the loops they belong to, as in TensorFlow.
        var inner = outer.NestedContexts.Select(n => n.WhileCtxt).First(n => n.ContextName == "while/inner");
        Assert.Equal("while/inner/maximum_iterations:0", inner.MaximumIterationsName);
        var text = Protoc.Decode("tensorflow.WhileContextDef", outer.ToByteArray(), "tensorflow/core/protobuf/control_flow.proto");
        Assert.Contains("nested_contexts {\n  while_ctxt {\n    context_name: \"while/inner\"", text);

        using (var g = TestGraph.Enter())
        {
            tf.train.import_meta_graph(meta);
            var x = g.Graph.get_tensor_by_name("x:0");
            var dx = tf.gradients((Tensor)g.Graph.get_collection("v").Single(), [x])[0]!;
            using var sess = tf.Session();
            Assert.Equal(expected, sess.run(dx, new FeedDict { [x] = 1.25f }).ToArray<float>().Single(), 1e-5);
        }
    }

    [Fact]
    public void AContextNamingATensorNotInTheGraphIsAValueErrorNamingIt()
    {
        Tf.MetaGraphDef meta;
        using (TestGraph.Enter())
        {
            BuildModel();
            meta = tf.train.export_meta_graph();
        }
        var loop = Tf.WhileContextDef.Parser.ParseFrom(meta.CollectionDef[tf.GraphKeys.WHILE_CONTEXT].BytesList.Value[0]);
        loop.PivotName = "while/Nowhere:0";
        meta.CollectionDef[tf.GraphKeys.WHILE_CONTEXT].BytesList.Value[0] = loop.ToByteString();
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.train.import_meta_graph(meta));
        Assert.Contains("while/Nowhere:0", e.Message);
        Assert.Contains("while context 'while'", e.Message);

        meta.CollectionDef[tf.GraphKeys.COND_CONTEXT].BytesList.Value[0] = ByteString.CopyFrom(0xff, 0xff);
        using var g2 = TestGraph.Enter();
        var bad = Assert.Throws<DataLossError>(() => tf.train.import_meta_graph(meta));
        Assert.Contains("cond_context", bad.Message);
    }
}
