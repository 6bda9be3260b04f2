using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn;

/// <summary>
/// The GraphDef of dynamic_rnn (Graph.as_graph_def) is TensorFlow 1.15's: a while loop of Enter, Merge, Switch,
/// Exit, NextIteration and LoopCond nodes in the frame of <c>rnn/while</c>, over TensorArrayV3s read,
/// written, scattered and gathered; it imports into a fresh graph (tf.import_graph_def) that computes the same
/// outputs, final state and gradient.
/// </summary>
public class DynamicRnnGraphDefTests
{
    private const int Batch = 3, Time = 4, Depth = 2, Units = 5;

    private static NDArray Inputs()
    {
        var r = new Random(17);
        var x = new float[Batch, Time, Depth];
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < Time; t++)
                for (var d = 0; d < Depth; d++) x[b, t, d] = (float)(r.NextDouble() * 2 - 1);
        return NDArray.FromArray(x);
    }

    private static readonly int[] Lengths = [4, 2, 3];

    [Fact]
    public void TheGraphDefHasTensorFlowsLoopAndTensorArrayOps()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(Batch, Time, Depth), name: "x");
        var (outputs, _) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(Units), x, sequence_length: tf.constant(Lengths), dtype: tf.float32);
        _ = tf.gradients(tf.reduce_sum(outputs), x);
        var def = g.Graph.as_graph_def();
        var types = def.Node.Select(n => n.Op).ToHashSet();
        foreach (var op in new[] { "Enter", "Merge", "Switch", "Exit", "NextIteration", "LoopCond",
            "TensorArrayV3", "TensorArrayWriteV3", "TensorArrayReadV3", "TensorArrayGatherV3", "TensorArrayScatterV3", "TensorArraySizeV3",
            "TensorArrayGradV3", "StackV2", "StackPushV2", "StackPopV2" })
            Assert.Contains(op, types);

        // Every Enter names its frame: the forward loop's and the gradient loop's.
        var enters = def.Node.Where(n => n.Op == "Enter").ToList();
        Assert.All(enters, n => Assert.True(n.Attr.ContainsKey("frame_name") && n.Attr.ContainsKey("is_constant") && n.Attr.ContainsKey("parallel_iterations"), n.Name));
        // (TensorFlow 1.15 names them rnn/while/while_context and gradients/rnn/while/while_context; a frame's name
        // only has to be the same on all its Enters and distinct from other frames.)
        var frames = enters.Select(n => n.Attr["frame_name"].S.ToStringUtf8()).ToHashSet();
        Assert.Equal(2, frames.Count);
        var forward = Assert.Single(frames, f => f.StartsWith("rnn/while", StringComparison.Ordinal));
        Assert.Single(frames, f => f.StartsWith("gradients/rnn/while", StringComparison.Ordinal));
        Assert.Equal(32, enters.First(n => n.Attr["frame_name"].S.ToStringUtf8() == forward).Attr["parallel_iterations"].I);

        // The loop's nodes by TensorFlow's names, and the arrays' names as dynamic_rnn gives them.
        var names = def.Node.Select(n => n.Name).ToHashSet();
        foreach (var name in new[] { "rnn/while/Enter", "rnn/while/Merge", "rnn/while/Switch", "rnn/while/Exit", "rnn/while/NextIteration", "rnn/while/LoopCond" })
            Assert.Contains(name, names);
        var arrays = def.Node.Where(n => n.Op == "TensorArrayV3").Select(n => n.Attr["tensor_array_name"].S.ToStringUtf8()).ToHashSet();
        Assert.Contains("rnn/dynamic_rnn/output_0", arrays);
        Assert.Contains("rnn/dynamic_rnn/input_0", arrays);
    }

    [Fact]
    public void ItImportsIntoAFreshGraphThatComputesTheSame()
    {
        Tensorflow.GraphDef def;
        NDArray[] expected;
        string[] fetchNames;
        using (var g = TestGraph.Enter())
        {
            tf.set_random_seed(3);
            var x = tf.placeholder(tf.float32, new Shape(-1, Time, Depth), name: "x");
            var lengths = tf.placeholder(tf.int32, new Shape(-1), name: "lengths");
            var cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(Units), tf.nn.rnn_cell.GRUCell(Units)]);
            var (outputs, state) = tf.nn.dynamic_rnn(cell, x, sequence_length: lengths, dtype: tf.float32);
            var last = (Tensor)((object[])state)[1];
            var grad = tf.gradients(tf.reduce_sum(outputs) + tf.reduce_sum(last), x)[0]!;
            var init = tf.global_variables_initializer();
            fetchNames = [outputs.name, last.name, grad.name];
            using var sess = tf.Session();
            sess.run(init);
            expected = [.. new[] { outputs, last, grad }.Select(t => sess.run(t, new FeedDict { [x] = Inputs(), [lengths] = NDArray.FromArray(Lengths) }))];
            def = g.Graph.as_graph_def();
            Assert.Equal("init", init.name);
        }
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(def, name: "");
            var x = g.Graph.get_tensor_by_name("x:0");
            var lengths = g.Graph.get_tensor_by_name("lengths:0");
            using var sess = tf.Session();
            sess.run(g.Graph.get_operation_by_name("init"));
            for (var i = 0; i < fetchNames.Length; i++)
            {
                var got = sess.run(g.Graph.get_tensor_by_name(fetchNames[i]), new FeedDict { [x] = Inputs(), [lengths] = NDArray.FromArray(Lengths) });
                AssertArray.Close(expected[i], got, 1e-6, fetchNames[i]);
            }
            // Zeros past each sequence's length survive the trip.
            var o = (float[,,])sess.run(g.Graph.get_tensor_by_name(fetchNames[0]), new FeedDict { [x] = Inputs(), [lengths] = NDArray.FromArray(Lengths) }).ToMultiDimArray();
            Assert.Equal(0f, o[1, 3, 0]);
        }
    }
}
