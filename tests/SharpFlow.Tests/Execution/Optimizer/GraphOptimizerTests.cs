using SharpFlow.Models;
using SharpFlow.Execution;
using SharpFlow.Execution.Optimizer;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution.Optimizer;

/// <summary>
/// The graph optimizer: each pass on small graphs (what it removed, merged, folded or fused, read from the
/// optimized graph's description), the nodes it must keep, and results with the optimizer on and off: bitwise equal
/// for every pass here (they keep the order of float operations), except <c>x + 0</c> which may turn -0 into +0.
/// </summary>
public class GraphOptimizerTests
{
    internal static tf.ConfigProto Config(bool on, Action<RewriterConfig>? tweak = null)
    {
        var rewrites = new RewriterConfig { disable_meta_optimizer = !on };
        tweak?.Invoke(rewrites);
        return new tf.ConfigProto { graph_options = new GraphOptions { rewrite_options = rewrites } };
    }

    private static NDArray Values(Shape shape, double scale = 0.1, double offset = 0)
    {
        var n = shape.AsSpan().ToArray().Aggregate(1, (p, d) => p * d);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(i => (float)(System.Math.Sin(i * 1.3 + offset) * scale * (1 + i % 7))).ToArray(), shape);
    }

    /// <summary>The fetches run with the optimizer on and off; the on session's optimized graph.</summary>
    private static (NDArray[] On, NDArray[] Off, OptimizedGraph Graph) RunBoth(Tensor[] fetches, FeedDict? feeds = null, Action<RewriterConfig>? tweak = null)
    {
        using var on = tf.Session(Config(true, tweak));
        using var off = tf.Session(Config(false));
        var a = on.run(fetches, feeds);
        var b = off.run(fetches, feeds);
        var graph = on.OptimizedGraphOf(fetches, feeds: feeds?.Select(kv => kv.Key).ToList())!;
        Assert.Null(off.OptimizedGraphOf(fetches, feeds: feeds?.Select(kv => kv.Key).ToList()));
        return (a, b, graph);
    }

    private static void Bitwise(NDArray[] on, NDArray[] off)
    {
        Assert.Equal(off.Length, on.Length);
        for (var i = 0; i < on.Length; i++)
        {
            Assert.Equal(off[i].shape, on[i].shape);
            Assert.Equal(off[i].dtype, on[i].dtype);
            Assert.True(off[i].ValueEquals(on[i]), $"fetch {i} differs with the optimizer on");
        }
    }

    [Fact]
    public void IdentityAndStopGradientAreRemovedButAFetchedIdentityStays()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4), name: "x");
        var a = tf.identity(x, name: "a");
        var b = tf.stop_gradient(a, name: "b");
        var c = tf.multiply(b, 2f, name: "c");
        var d = tf.identity(c, name: "d");
        var before = g.Graph.get_operations().Count;
        var (on, off, graph) = RunBoth([d], new FeedDict { [x] = Values(new Shape(4)) });
        Bitwise(on, off);
        Assert.Equal(2, graph.Count(DependencyOptimizer.Name));
        var names = graph.Nodes.Select(n => n.Op.name).ToList();
        Assert.DoesNotContain("a", names);
        Assert.DoesNotContain("b", names);
        Assert.Contains("d", names);
        Assert.Contains("c = Mul(x, c/y)", graph.Describe());
        // The user's graph is as it was.
        Assert.Equal(before, g.Graph.get_operations().Count);
        Assert.Equal("a", c.op.inputs[0].op.inputs[0].op.name);
    }

    [Fact]
    public void TheIdentityOfAVariableIsASnapshotAndStays()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.constant(new[] { 1f, 2f }), name: "v");
        var y = tf.identity(v, name: "snapshot") * 3f; // reads v/read, the Identity of the variable's reference
        using var sess = tf.Session(Config(true));
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new[] { 3f, 6f }, sess.run(y).ToArray<float>());
        var names = sess.OptimizedGraphOf([y])!.Nodes.Select(n => n.Op.name).ToList();
        Assert.Contains("v/read", names);
        Assert.DoesNotContain("snapshot", names);
    }

    [Fact]
    public void ANoOpBetweenControlEdgesIsRemovedAndTheTargetStillWaitsForItsWork()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.constant(0f), name: "v");
        var w = tf.Variable(tf.constant(0f), name: "w");
        var inner = tf.group(new ITensorOrOperation[] { tf.assign_add(v, tf.constant(1f)) }, name: "inner");
        var outer = tf.group(new ITensorOrOperation[] { inner, tf.assign_add(w, tf.constant(2f)) }, name: "outer");
        using var sess = tf.Session(Config(true));
        sess.run(tf.global_variables_initializer());
        sess.run(outer);
        sess.run(outer);
        Assert.Equal(2f, sess.run(v.value()).ToArray<float>()[0]);
        Assert.Equal(4f, sess.run(w.value()).ToArray<float>()[0]);
        var graph = sess.OptimizedGraphOf([], [outer])!;
        Assert.Contains("dependency: removed NoOp 'inner'", graph.Log);
        Assert.Contains("outer", graph.Nodes.Select(n => n.Op.name));
    }

    [Fact]
    public void CommonSubexpressionsRunOnce()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3, 4), name: "x");
        var left = tf.add(tf.multiply(x, 2f), 1f);
        var right = tf.add(tf.multiply(x, 2f), 1f);
        var y = tf.multiply(left, right, name: "y");
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(3, 4)) }, r => r.constant_folding = RewriterConfig.Toggle.OFF);
        Bitwise(on, off);
        Assert.Equal(2, graph.Types.Count(t => t == "Mul")); // one x*2, and y
        Assert.Single(graph.Types, t => t == "Add");
        Assert.True(graph.Count(CommonSubexpressionElimination.Name) >= 3, graph.Describe());
    }

    [Fact]
    public void RandomOpsAreNeverMerged()
    {
        using var g = TestGraph.Enter();
        var a = tf.random_uniform(new Shape(8));
        var b = tf.random_uniform(new Shape(8));
        var d = tf.subtract(a, b, name: "d");
        using var sess = tf.Session(Config(true));
        Assert.Contains(sess.run(d).ToArray<float>(), v => v != 0);
        Assert.Equal(2, sess.OptimizedGraphOf([d])!.Types.Count(t => t == "RandomUniform"));
    }

    [Fact]
    public void ConstantSubgraphsAreFoldedAndAFetchedOneIsKept()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 2), name: "x");
        var c = tf.constant(new[,] { { 1f, 2f }, { 3f, 4f } });
        var product = tf.matmul(c, c, name: "product");
        var folded = tf.add(product, 0.5f, name: "folded");
        var y = tf.add(x, folded, name: "y");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 2)) };
        var (on, off, graph) = RunBoth([y], feeds);
        Bitwise(on, off);
        Assert.DoesNotContain("MatMul", graph.Types);
        Assert.Contains("ConstantFolding/folded", graph.Nodes.Select(n => n.Op.name));
        Assert.Equal(1, graph.Count(ConstantFolding.Name));

        // Fetched, the folded node runs (as TensorFlow keeps fetch nodes); its inputs are still folded.
        var (on2, off2, graph2) = RunBoth([y, folded], feeds);
        Bitwise(on2, off2);
        Assert.Contains("folded", graph2.Nodes.Select(n => n.Op.name));
        Assert.DoesNotContain("MatMul", graph2.Types);
    }

    [Fact]
    public void FoldingStopsAtTheSizeCapAndAtStatefulOps()
    {
        using var g = TestGraph.Enter();
        var big = tf.fill(tf.constant(new[] { 2048, 1281 }), tf.constant(1f), name: "big"); // 10.0 MiB + a row
        var bigSum = tf.reduce_sum(big * 2f, name: "big_sum");
        var random = tf.random_uniform(new Shape(3), name: "random");
        var noisy = tf.add(random, tf.constant(1f), name: "noisy");
        using var sess = tf.Session(Config(true));
        var result = sess.run([bigSum, noisy]);
        Assert.Equal(2f * 2048 * 1281, result[0].ToArray<float>()[0]);
        var graph = sess.OptimizedGraphOf([bigSum, noisy])!;
        Assert.Contains("big", graph.Nodes.Select(n => n.Op.name));
        Assert.Contains("RandomUniform", graph.Types);
        Assert.DoesNotContain(graph.Log, l => l.Contains("'big", StringComparison.Ordinal) || l.Contains("noisy", StringComparison.Ordinal));
    }

    [Fact]
    public void TheShapeOfAKnownShapeIsFolded()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3), name: "x");
        var y = tf.reshape(x, tf.reverse(tf.shape(x), new[] { 0 }), name: "y");
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(2, 3)) });
        Bitwise(on, off);
        Assert.DoesNotContain("Shape", graph.Types);
        Assert.Equal(new Shape(3, 2), on[0].shape);
    }

    [Fact]
    public void AFoldedKernelThatFailsLeavesTheErrorToTheRun()
    {
        using var g = TestGraph.Enter();
        var bad = tf.reshape(tf.constant(new[] { 1f, 2f, 3f }), tf.placeholder_with_default(tf.constant(new[] { 2, 2 }), new Shape(2)), name: "bad");
        var y = tf.identity(bad * 2f);
        using var on = tf.Session(Config(true));
        using var off = tf.Session(Config(false));
        var e1 = Assert.Throws<InvalidArgumentError>(() => on.run(y));
        var e2 = Assert.Throws<InvalidArgumentError>(() => off.run(y));
        Assert.Equal(e2.Message, e1.Message);
    }

    [Fact]
    public void ArithmeticIdentitiesAreSimplified()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3), name: "x");
        var times1 = tf.multiply(x, tf.constant(1f), name: "times1");
        var plus0 = tf.add(tf.constant(new[] { 0f, 0f, 0f }), times1, name: "plus0");
        var back = tf.transpose(tf.transpose(plus0, new[] { 1, 0 }, name: "t1"), new[] { 1, 0 }, name: "t2");
        var flat = tf.reshape(tf.reshape(back, new[] { 6 }, name: "r1"), new[] { 3, 2 }, name: "r2");
        var y = tf.multiply(flat, 3f, name: "y");
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(2, 3)) }, r => r.constant_folding = RewriterConfig.Toggle.OFF);
        Bitwise(on, off);
        var names = graph.Nodes.Select(n => n.Op.name).ToList();
        foreach (var gone in new[] { "times1", "plus0", "t1", "t2", "r1" }) Assert.DoesNotContain(gone, names);
        Assert.Contains("r2 = Reshape(x, ", graph.Describe());
    }

    [Fact]
    public void XPlusZeroIsXAsANumber()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var y = tf.identity(tf.add(x, tf.constant(new[] { 0f, 0f, 0f })));
        var (on, off, _) = RunBoth([y], new FeedDict { [x] = NDArray.FromFlat(new[] { -0f, 1f, -2f }, new Shape(3)) });
        // The tolerance: equal as numbers; -0 stays -0 (TensorFlow's rewrite does the same).
        Assert.Equal(off[0].ToArray<float>(), on[0].ToArray<float>());
        Assert.True(float.IsNegative(on[0].ToArray<float>()[0]));
    }

    public static TheoryData<string, string> Activations() => new()
    {
        { "", "float32" }, { "Relu", "float32" }, { "Relu6", "float32" }, { "Elu", "float32" }, { "Tanh", "float32" }, { "Sigmoid", "float32" },
        { "Relu", "float64" }, { "Tanh", "float64" },
    };

    private static Tensor Activate(string activation, Tensor x) => activation switch
    {
        "" => x,
        "Relu" => tf.nn.relu(x),
        "Relu6" => tf.nn.relu6(x),
        "Elu" => tf.nn.elu(x),
        "Tanh" => tf.tanh(x),
        _ => tf.sigmoid(x),
    };

    [Theory, MemberData(nameof(Activations))]
    public void MatMulBiasAddAndActivationBecomeOneFusedMatMul(string activation, string dtype)
    {
        using var g = TestGraph.Enter();
        var type = dtype == "float32" ? tf.float32 : tf.float64;
        var x = tf.placeholder(type, new Shape(-1, 70), name: "x");
        var w = tf.cast(tf.constant(Values(new Shape(70, 300), 0.2, 1)), type);
        var b = tf.cast(tf.constant(Values(new Shape(300), 1, 2)), type);
        var y = Activate(activation, tf.nn.bias_add(tf.matmul(x, w), b));
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(257, 70), 1, 3).Cast(type) },
            r => r.constant_folding = RewriterConfig.Toggle.OFF);
        Bitwise(on, off);
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedMatMul");
        Assert.Equal(activation == "" ? ["BiasAdd"] : new[] { "BiasAdd", activation }, (string[])fused.Op.attrs["fused_ops"]);
        Assert.Equal(1, fused.Op.attrs["num_args"]);
        Assert.Equal(y.op.name, fused.Op.name);
        Assert.DoesNotContain("MatMul", graph.Types);
        Assert.DoesNotContain("BiasAdd", graph.Types);
    }

    [Theory, MemberData(nameof(Activations))]
    public void Conv2DBiasAddAndActivationBecomeOneFusedConv2D(string activation, string dtype)
    {
        using var g = TestGraph.Enter();
        var type = dtype == "float32" ? tf.float32 : tf.float64;
        var x = tf.placeholder(type, new Shape(-1, 12, 12, 3), name: "x");
        var f = tf.cast(tf.constant(Values(new Shape(3, 3, 3, 8), 0.3, 1)), type);
        var b = tf.cast(tf.constant(Values(new Shape(8), 1, 2)), type);
        var conv = Activate(activation, tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 2, 2, 1], "SAME"), b));
        var y = tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID");
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(5, 12, 12, 3), 1, 3).Cast(type) },
            r => r.constant_folding = RewriterConfig.Toggle.OFF);
        Bitwise(on, off);
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Equal("SAME", fused.Op.attrs["padding"]);
        Assert.DoesNotContain("Conv2D", graph.Types);
    }

    [Fact]
    public void NothingIsFusedWhereAnIntermediateIsNeededElsewhere()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 5), name: "x");
        var w = tf.Variable(Values(new Shape(5, 3)), name: "w");
        var b = tf.Variable(Values(new Shape(3)), name: "b");
        var pre = tf.nn.bias_add(tf.matmul(x, w), b, name: "pre");
        // The loss reads the pre-activation too: only MatMul + BiasAdd fuse; Relu's gradient reads Relu's output: all fuse.
        var six = tf.nn.relu6(pre, name: "six") + tf.reduce_sum(pre);
        var b2 = tf.Variable(Values(new Shape(3), 1, 1), name: "b2");
        var w2 = tf.Variable(Values(new Shape(5, 3), 0.1, 1), name: "w2");
        var pre2 = tf.nn.bias_add(tf.matmul(x, w2), b2, name: "pre2");
        var relu = tf.nn.relu(pre2, name: "relu");
        var loss = tf.reduce_sum(six) + tf.reduce_sum(relu);
        var grads = tf.gradients(loss, new Tensor[] { w, b, w2, b2 });
        var fetches = new[] { loss, grads[0]!, grads[1]!, grads[2]!, grads[3]! };
        using var on = tf.Session(Config(true));
        using var off = tf.Session(Config(false));
        on.run(tf.global_variables_initializer());
        off.run(tf.global_variables_initializer());
        var feeds = new FeedDict { [x] = Values(new Shape(4, 5), 1) };
        Bitwise(on.run(fetches, feeds), off.run(fetches, feeds));
        var graph = on.OptimizedGraphOf(fetches, feeds: [x])!;
        var fused = graph.Nodes.Where(n => n.Op.type == "_FusedMatMul").ToDictionary(n => n.Op.name, n => string.Join(",", (string[])n.Op.attrs["fused_ops"]));
        Assert.True(fused.ContainsKey("pre"), graph.Describe());
        Assert.Equal("BiasAdd", fused["pre"]);
        Assert.Equal("BiasAdd,Relu", fused["relu"]);

        // A fetched intermediate stops the fusion there.
        Bitwise(on.run([relu, pre2], feeds), off.run([relu, pre2], feeds));
        Assert.DoesNotContain(on.OptimizedGraphOf([relu, pre2], feeds: [x])!.Nodes, n => n.Op.type == "_FusedMatMul" && n.Op.name == "relu");
    }

    [Fact]
    public void EachRewriteCanBeSwitchedOff()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 4), name: "x");
        var y = tf.nn.relu(tf.nn.bias_add(tf.matmul(tf.identity(x), tf.constant(Values(new Shape(4, 4)))), tf.constant(Values(new Shape(4)))));
        var feeds = new FeedDict { [x] = Values(new Shape(2, 4)) };
        var (_, _, all) = RunBoth([y], feeds);
        Assert.Contains("_FusedMatMul", all.Types);
        var (_, _, noFusion) = RunBoth([y], feeds, r => r.remapping = RewriterConfig.Toggle.OFF);
        Assert.DoesNotContain("_FusedMatMul", noFusion.Types);
        Assert.Contains("Identity", noFusion.Types.Concat(RunBoth([y], feeds, r => r.dependency_optimization = RewriterConfig.Toggle.OFF).Graph.Types));
        Assert.False(GraphOptimizer.IsEnabled(new RewriterConfig
        {
            constant_folding = RewriterConfig.Toggle.OFF, dependency_optimization = RewriterConfig.Toggle.OFF, arithmetic_optimization = RewriterConfig.Toggle.OFF,
            common_subgraph_elimination = RewriterConfig.Toggle.OFF, remapping = RewriterConfig.Toggle.OFF,
            batchnorm_folding = RewriterConfig.Toggle.OFF, pad_folding = RewriterConfig.Toggle.OFF,
        }));
        Assert.True(GraphOptimizer.IsEnabled(new RewriterConfig()));
    }

    [Fact]
    public void TheEnvironmentVariableTurnsTheOptimizerOff()
    {
        var environment = new Dictionary<string, string> { ["SHARPFLOW_PROFILE"] = "1", ["SHARPFLOW_GRAPH_OPTIMIZER"] = "0" };
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(["bench", "lenet5", "--steps", "2", "--warmup", "1", "--batch", "8"], environment));
        Assert.True(code == 0, output);
        Assert.DoesNotContain("_Fused", output);
        Assert.Contains("Conv2D ", output);
    }

    [Fact]
    public void TheProfileShowsTheFusedOps()
    {
        var environment = new Dictionary<string, string> { ["SHARPFLOW_PROFILE"] = "1" };
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(["bench", "lenet5", "--steps", "2", "--warmup", "1", "--batch", "8"], environment));
        Assert.True(code == 0, output);
        Assert.Contains("_FusedConv2D", output);
        Assert.Contains("_FusedMatMul", output);
    }
}
