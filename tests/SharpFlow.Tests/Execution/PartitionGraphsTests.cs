using Google.Protobuf;
using SharpFlow.Execution;

namespace SharpFlow.Tests.Execution;

/// <summary>
/// <c>RunOptions.output_partition_graphs</c> and <c>RunMetadata.partition_graphs</c> (TensorFlow's way to see what a
/// step runs): the pruned graph as the graph optimizer rewrote it, fused ops with the nodes they replace, the
/// rewrite log beside it, and the field in the serialized RunMetadata. Public API only.
/// </summary>
public sealed class PartitionGraphsTests
{
    private const string Cpu = "/job:localhost/replica:0/task:0/device:CPU:0";

    private static tf.ConfigProto Optimizer(bool on) =>
        new() { graph_options = new GraphOptions { rewrite_options = new RewriterConfig { disable_meta_optimizer = !on } } };

    // x -> Conv2D -> BiasAdd -> Relu, and an op the fetch does not need.
    private static (Tensor X, Tensor Y, FeedDict Feed) ConvBiasRelu()
    {
        var x = tf.placeholder(tf.float32, new Shape(1, 4, 4, 2), name: "x");
        var f = tf.constant(NDArray.FromFlat(Enumerable.Range(0, 3 * 3 * 2 * 3).Select(i => (float)System.Math.Sin(i)).ToArray(), new Shape(3, 3, 2, 3)), name: "f");
        var b = tf.constant(new[] { 0.1f, -0.2f, 0.3f }, name: "b");
        var y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME", name: "conv"), b, name: "bias"), name: "relu");
        _ = tf.square(x, name: "unused");
        var feed = new FeedDict { [x] = NDArray.FromFlat(Enumerable.Range(0, 32).Select(i => i * 0.1f).ToArray(), new Shape(1, 4, 4, 2)) };
        return (x, y, feed);
    }

    [Fact]
    public void ThePartitionGraphIsThePrunedGraphWithTheFusedOps()
    {
        using var g = TestGraph.Enter();
        var (_, y, feed) = ConvBiasRelu();
        using var sess = tf.Session(Optimizer(true));
        var metadata = new tf.RunMetadata();
        var value = sess.run(y, feed, new tf.RunOptions(output_partition_graphs: true), metadata);

        var graph = Assert.Single(metadata.partition_graphs);
        var names = graph.Node.Select(n => n.Name).ToList();
        Assert.DoesNotContain("unused", names); // pruned
        Assert.DoesNotContain("x", names); // fed: its input name stays, the placeholder does not run
        Assert.DoesNotContain("conv", names); // fused away
        Assert.DoesNotContain("bias", names);
        var fused = Assert.Single(graph.Node, n => n.Op == "_FusedConv2D");
        Assert.Equal("relu", fused.Name); // the fused op takes the last op's name, so fetches still find it
        Assert.Equal(["x", "f", "b"], fused.Input);
        Assert.Equal(["BiasAdd", "Relu"], fused.Attr["fused_ops"].List.S.Select(s => s.ToStringUtf8()));
        Assert.Equal(["conv", "bias", "relu"], fused.ExperimentalDebugInfo.OriginalNodeNames);
        Assert.All(graph.Node, n => Assert.Equal(Cpu, n.Device));
        Assert.Contains(metadata.rewrite_log!, line => line.StartsWith("remapping: _FusedConv2D 'relu'", StringComparison.Ordinal));

        // The run's value is the plain graph's.
        using var plain = tf.Session(Optimizer(false));
        Assert.True(plain.run(y, feed).ValueEquals(value));
    }

    [Fact]
    public void WithTheOptimizerOffThePartitionGraphIsThePrunedGraphAsBuilt()
    {
        using var g = TestGraph.Enter();
        var (_, y, feed) = ConvBiasRelu();
        using var sess = tf.Session(Optimizer(false));
        var metadata = new tf.RunMetadata();
        sess.run(y, feed, new tf.RunOptions(output_partition_graphs: true), metadata);
        var graph = Assert.Single(metadata.partition_graphs);
        Assert.Equal(["f", "b", "conv", "bias", "relu"], graph.Node.Select(n => n.Name));
        Assert.Equal(["Const", "Const", "Conv2D", "BiasAdd", "Relu"], graph.Node.Select(n => n.Op));
        Assert.Equal(["x", "f"], graph.Node[2].Input);
        Assert.All(graph.Node, n => Assert.Null(n.ExperimentalDebugInfo));
        Assert.Null(metadata.rewrite_log);
    }

    [Fact]
    public void OnlyARunThatAsksFillsThemAndEachRunReplacesThem()
    {
        using var g = TestGraph.Enter();
        var (x, y, feed) = ConvBiasRelu();
        var other = tf.reduce_sum(y, name: "total");
        using var sess = tf.Session(Optimizer(true));
        var metadata = new tf.RunMetadata();
        sess.run(y, feed, new tf.RunOptions(trace_level: tf.RunOptions.FULL_TRACE), metadata);
        Assert.Empty(metadata.partition_graphs);
        Assert.Null(metadata.rewrite_log);

        var options = new tf.RunOptions(output_partition_graphs: true);
        sess.run(y, feed, options, metadata);
        sess.run(other, feed, options, metadata);
        var graph = Assert.Single(metadata.partition_graphs);
        Assert.Contains(graph.Node, n => n.Name == "total");
        // A control input is written as ^name, after the data inputs.
        Tensor after;
        using (tf.control_dependencies([y])) after = tf.identity(x, name: "after");
        sess.run(after, feed, options, metadata);
        Assert.Contains("^relu", Assert.Single(metadata.partition_graphs).Node.Single(n => n.Name == "after").Input);
    }

    [Fact]
    public void TheSerializedRunMetadataCarriesThePartitionGraphsAsField3()
    {
        using var g = TestGraph.Enter();
        var (_, y, feed) = ConvBiasRelu();
        using var sess = tf.Session(Optimizer(true));
        var metadata = new tf.RunMetadata();
        sess.run(y, feed, new tf.RunOptions(output_partition_graphs: true), metadata);
        var input = new CodedInputStream(metadata.SerializeToString());
        var graphs = new List<Tensorflow.GraphDef>();
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            Assert.Equal(WireFormat.MakeTag(3, WireFormat.WireType.LengthDelimited), tag);
            graphs.Add(Tensorflow.GraphDef.Parser.ParseFrom(input.ReadBytes()));
        }
        Assert.Equal(metadata.partition_graphs, graphs);
    }
}
