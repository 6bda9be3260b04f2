using SharpFlow.GraphIO;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>tf.graph_util: freezing, sub-graph extraction and removing training nodes, as graph_util_impl.py does.</summary>
public class GraphUtilTests
{
    [Fact]
    public void AFrozenGraphComputesWhatTheSessionComputed()
    {
        Tf.GraphDef frozen;
        NDArray expected;
        var xs = new[,] { { 1f, 2f }, { -3f, 0.5f } };
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, shape: new[] { -1, 2 }, name: "x");
            var w = tf.Variable(tf.random_normal((2, 3), seed: 1), name: "w");
            var b = tf.Variable(new[] { 0.5f, -1f, 2f }, name: "b");
            var pred = tf.add(tf.matmul(x, w), b, name: "pred");
            tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(pred));
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            expected = sess.run(pred, new FeedDict { [x] = xs });
            frozen = tf.graph_util.convert_variables_to_constants(sess, g.Graph.as_graph_def(), ["pred"]);
        }
        Assert.DoesNotContain(frozen.Node, n => n.Op is "VariableV2" or "Assign" or "ApplyGradientDescent");
        Assert.Equal(["x", "w", "w/read", "b", "b/read", "MatMul", "pred"], frozen.Node.Select(n => n.Name));
        var wNode = frozen.Node.Single(n => n.Name == "w");
        Assert.Equal("Const", wNode.Op);
        Assert.Equal(Tf.DataType.DtFloat, wNode.Attr["dtype"].Type);
        Assert.Equal(24, wNode.Attr["value"].Tensor.TensorContent.Length);
        using (var g = TestGraph.Enter())
        {
            var r = tf.import_graph_def(frozen, return_elements: ["x:0", "pred:0"], name: "")!;
            Assert.Equal(expected.ToArray<float>(), g.Eval((Tensor)r[1], new FeedDict { [(Tensor)r[0]] = xs }).ToArray<float>());
        }
    }

    [Fact]
    public void TheWhitelistAndBlacklistChooseTheVariables()
    {
        using var g = TestGraph.Enter();
        var a = tf.Variable(1f, name: "a");
        var b = tf.Variable(2f, name: "b");
        tf.add(a, b, name: "sum");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var onlyA = tf.graph_util.convert_variables_to_constants(sess, g.Graph.as_graph_def(), ["sum"], variable_names_whitelist: ["a"]);
        Assert.Equal(("Const", "VariableV2"), (onlyA.Node.Single(n => n.Name == "a").Op, onlyA.Node.Single(n => n.Name == "b").Op));
        var notA = tf.graph_util.convert_variables_to_constants(sess, g.Graph.as_graph_def(), ["sum"], variable_names_blacklist: ["a"]);
        Assert.Equal(("VariableV2", "Const"), (notA.Node.Single(n => n.Name == "a").Op, notA.Node.Single(n => n.Name == "b").Op));
    }

    [Fact]
    public void ExtractSubGraphKeepsWhatTheDestinationsNeedInOrder()
    {
        var def = TextFormat.Parse<Tf.GraphDef>("""
            node { name: "a" op: "NoOp" }
            node { name: "b" op: "NoOp" }
            node { name: "c" op: "Identity" input: "a:1" input: "^d" }
            node { name: "d" op: "NoOp" }
            node { name: "e" op: "NoOp" input: "c" }
            """);
        Assert.Equal(["a", "c", "d"], tf.graph_util.extract_sub_graph(def, ["c"]).Node.Select(n => n.Name));
        Assert.Equal(["a", "c", "d", "e"], tf.graph_util.extract_sub_graph(def, ["e"]).Node.Select(n => n.Name));
        Assert.Contains("'zz' is not in graph", Assert.Throws<ValueError>(() => tf.graph_util.extract_sub_graph(def, ["zz"])).Message);
    }

    [Fact]
    public void RemoveTrainingNodesDropsCheckNumericsAndSplicesIdentities()
    {
        var def = TextFormat.Parse<Tf.GraphDef>("""
            node { name: "x" op: "Placeholder" }
            node { name: "check" op: "CheckNumerics" input: "x" }
            node { name: "id1" op: "Identity" input: "x" }
            node { name: "id2" op: "Identity" input: "id1" }
            node { name: "kept" op: "Identity" input: "x" }
            node { name: "guarded" op: "Identity" input: "x" input: "^check" }
            node { name: "y" op: "Add" input: "id2" input: "kept" input: "guarded" }
            node { name: "z" op: "NoOp" input: "^kept" }
            """);
        var result = tf.graph_util.remove_training_nodes(def);
        // "guarded" loses its control input with "check", so it is spliced too (TensorFlow looks for control inputs
        // after the removal); "kept" is a control input of "z" and stays.
        Assert.Equal(["x", "kept", "y", "z"], result.Node.Select(n => n.Name));
        Assert.Equal(["x", "kept", "x"], result.Node.Single(n => n.Name == "y").Input);
        var protectedResult = tf.graph_util.remove_training_nodes(def, protected_nodes: ["id1", "check"]);
        Assert.Equal(["id1", "kept", "guarded"], protectedResult.Node.Single(n => n.Name == "y").Input);
        Assert.Equal(["x", "^check"], protectedResult.Node.Single(n => n.Name == "guarded").Input);
    }
}
