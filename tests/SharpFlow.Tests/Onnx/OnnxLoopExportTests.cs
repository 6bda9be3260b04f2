using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// tf.while_loop exported as ONNX Loop (the loop variables carried, the condition evaluated on the initial values
/// outside and on the next values at the end of the body, maximum_iterations as M, invariants read from the outer
/// scope), nested in loops and conds, run in ONNX Runtime against SharpFlow's own run, then imported back by
/// SharpFlow's importer and run again; map_fn, scan (forward and reversed), foldl, foldr and dynamic_rnn through
/// TensorArrays as ONNX sequences, which the importer carries through its while loops as TensorArrays again.
/// </summary>
public sealed class OnnxLoopExportTests
{
    /// <summary>
    /// Exports the graph at <paramref name="opset"/>, runs it in ONNX Runtime on each feed and compares with
    /// SharpFlow's run; with <paramref name="roundTrip"/> also imports the model back and runs it in SharpFlow.
    /// Returns the exported model.
    /// </summary>
    private static ModelProto RunsAsInSharpFlow(Session sess, Dictionary<string, Tensor> inputs, Dictionary<string, Tensor> outputs,
        IEnumerable<(string Name, NDArray Value)[]> feeds, int opset = 13, bool roundTrip = true, double tolerance = 1e-5)
    {
        var exported = OnnxModel.Export(sess, inputs, outputs, opset);
        Assert.Contains(AllNodes(exported.Proto.Graph), n => n.OpType == "Loop");
        Assert.DoesNotContain(AllNodes(exported.Proto.Graph), n => n.OpType is "Switch" or "Merge" or "Enter" or "Exit" or "NextIteration" or "LoopCond");
        var names = outputs.Keys.ToArray();
        var bytes = exported.ToByteArray();
        foreach (var feed in feeds)
        {
            var dict = new FeedDict();
            foreach (var (name, value) in feed) dict[inputs[name]] = value;
            var ours = sess.run(names.Select(n => outputs[n]).ToArray(), dict);
            var what = string.Join(", ", feed.Select(f => $"{f.Name}={f.Value}"));
            var ort = RunOnnxRuntime(bytes, feed, names);
            for (var i = 0; i < names.Length; i++) Same(ours[i], ort[i], $"ONNX Runtime: {names[i]} for {what}", tolerance);
            if (!roundTrip) continue;
            var back = RunSharpFlow(bytes, feed, names);
            for (var i = 0; i < names.Length; i++) Same(ours[i], back[i], $"re-imported: {names[i]} for {what}", tolerance);
        }
        return exported.Proto;
    }

    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    private static int Count(ModelProto model, string opType) => AllNodes(model.Graph).Count(n => n.OpType == opType);

    private static NDArray Floats(int[] shape, params float[] values) => NDArray.FromFlat(values, new Shape(shape));

    [Fact]
    public void ALoopWhoseConditionReadsTheInputRunsAsManyIterationsAsInSharpFlowIncludingNone()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var y = tf.while_loop(v => tf.less(tf.reduce_sum(v), tf.constant(100f)), v => v * 2f + 1f, x);
        using var sess = tf.Session();
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["y"] = y },
            [[("x", Floats([3], 1, 2, 3))], [("x", Floats([3], 50, 40, 30))], [("x", Floats([3], -4, 0.5f, 1))]]);
        Assert.Equal(1, Count(model, "Loop"));
    }

    [Fact]
    public void ACounterLoopWithSeveralVariablesOfDifferentDtypesAndShapesKeepsEach()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3), name: "x");
        var k = tf.placeholder(tf.int32, Shape.Scalar, name: "k");
        var w = tf.constant(new[] { 0.5f, -1f, 0.25f }); // an invariant read in every iteration
        Tensor Cond(Tensor[] v) => tf.less(v[0], k);
        Tensor[] Body(Tensor[] v) =>
        [
            v[0] + 1,
            tf.tanh(v[1] * w + tf.cast(v[0], tf.float32)),
            v[2] + tf.cast(tf.reduce_sum(v[1], axis: 0), tf.float64),
            v[3] * tf.constant(2L) + tf.cast(v[0], tf.int64),
        ];
        var results = tf.while_loop(Cond, Body, new TensorLike[] { tf.constant(0), x, tf.zeros(new Shape(3), tf.float64), tf.constant(new long[] { 1, -2 }) });
        using var sess = tf.Session();
        RunsAsInSharpFlow(sess, new() { ["x"] = x, ["k"] = k },
            new() { ["i"] = results[0], ["a"] = results[1], ["b"] = results[2], ["c"] = results[3] },
            new[] { 0, 1, 4 }.Select(n => new (string, NDArray)[] { ("x", F(n, 2, 3)), ("k", NDArray.Scalar(n)) }));
    }

    [Fact]
    public void MaximumIterationsIsTheLoopsTripCount()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4), name: "x");
        var y = tf.while_loop(v => tf.less(tf.reduce_max(v), tf.constant(1000f)), v => v + 1.5f, x, maximum_iterations: 5);
        using var sess = tf.Session();
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["y"] = y },
            [[("x", Floats([4], 0, 1, 2, 3))], [("x", Floats([4], 996, 1, 2, 3))], [("x", Floats([4], 2000, 1, 2, 3))]]);
        var loop = AllNodes(model.Graph).Single(n => n.OpType == "Loop");
        Assert.NotEqual("", loop.Input[0]);
    }

    [Fact]
    public void NestedLoopsNest()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        // for i in 0..2: for j in 0..i+1: acc = acc * 0.5 + x * j
        var (_, acc) = tf.while_loop(
            (i, a) => tf.less(i, 3),
            (i, a) =>
            {
                var (_, inner) = tf.while_loop((j, b) => tf.less(j, i + 2), (j, b) => (j + 1, b * 0.5f + x * tf.cast(j, tf.float32)), (tf.constant(0), a));
                return (i + 1, inner);
            },
            (tf.constant(0), x));
        using var sess = tf.Session();
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["y"] = acc }, [[("x", Floats([2], 1, -2))], [("x", Floats([2], 0.5f, 3))]]);
        Assert.Equal(2, Count(model, "Loop"));
    }

    [Fact]
    public void ALoopWhoseBodyHoldsACond()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var (_, y) = tf.while_loop(
            (i, v) => tf.less(i, 6),
            (i, v) => (i + 1, tf.cond(tf.greater(tf.reduce_sum(v), tf.constant(0f)), () => v - 1f, () => v * -2f + 0.5f)),
            (tf.constant(0), x));
        using var sess = tf.Session();
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["y"] = y }, [[("x", Floats([3], 1, 2, 3))], [("x", Floats([3], -1, -2, 0))]]);
        Assert.Equal(1, Count(model, "If"));
    }

    [Fact]
    public void ALoopInsideACondBranch()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var y = tf.cond(tf.greater(tf.reduce_sum(x), tf.constant(0f)),
            () => tf.while_loop(v => tf.less(tf.reduce_sum(v), tf.constant(50f)), v => v * 3f, x),
            () => x - 1f);
        using var sess = tf.Session();
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["y"] = y }, [[("x", Floats([3], 1, 2, 3))], [("x", Floats([3], -1, -2, 0))]]);
        Assert.Equal(1, Count(model, "If"));
    }

    [Fact]
    public void AConditionWithACondOfItsOwnIsExportedTwiceUnderDistinctNames()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var y = tf.while_loop(
            v => tf.cond(tf.greater(v[0], tf.constant(0f)), () => tf.less(tf.reduce_sum(v), tf.constant(20f)), () => tf.less(v[1], tf.constant(5f))),
            v => v + 1f, x);
        using var sess = tf.Session();
        foreach (var opset in new[] { 13, 17 })
            RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["y"] = y }, [[("x", Floats([2], 1, 2))], [("x", Floats([2], -1, 2))], [("x", Floats([2], -3, 9))]], opset);
    }

    [Fact]
    public void MapFnScanAndFoldlRunThroughSequencesInOnnxRuntimeAndReimport()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 3), name: "x");
        var mapped = tf.map_fn(row => tf.tanh(row) * 2f, x);
        var scanned = tf.scan((a, row) => a * 0.5f + row, x, initializer: tf.zeros(new Shape(3)));
        var scannedNoInit = tf.scan((a, row) => a + row, x);
        var folded = tf.foldl((a, row) => a + tf.reduce_sum(row), x, initializer: tf.constant(0f));
        var foldedRight = tf.foldr((a, row) => a * 0.5f + row, x);
        using var sess = tf.Session();
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x },
            new() { ["map"] = mapped, ["scan"] = scanned, ["scan1"] = scannedNoInit, ["foldl"] = folded, ["foldr"] = foldedRight },
            [[("x", F(3, 4, 3))], [("x", F(4, 4, 3))]]);
        Assert.Equal(5, Count(model, "Loop"));
        Assert.Contains(AllNodes(model.Graph), n => n.OpType == "SequenceInsert");
    }

    [Fact]
    public void AReversedScanAppendsFromTheEndAndReversesItsStack()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 3), name: "x");
        var withInit = tf.scan((a, row) => a * 0.5f + row, x, initializer: tf.zeros(new Shape(3)), reverse: true);
        var withoutInit = tf.scan((a, row) => a * 0.5f + tf.sin(row), x, reverse: true);
        // A batch known at run time only: the last index is the TensorArray's size minus one, computed.
        var dynamic = tf.placeholder(tf.float32, new Shape(-1, 2), name: "d");
        var dynamicScan = tf.scan((a, row) => a - row * 2f, dynamic, reverse: true);
        using var sess = tf.Session();
        foreach (var opset in new[] { 13, 17 })
        {
            var model = RunsAsInSharpFlow(sess, new() { ["x"] = x, ["d"] = dynamic },
                new() { ["init"] = withInit, ["noinit"] = withoutInit, ["dyn"] = dynamicScan },
                [[("x", F(3, 4, 3)), ("d", F(1, 5, 2))], [("x", F(4, 4, 3)), ("d", F(2, 1, 2))]], opset);
            Assert.Equal(3, Count(model, "Loop"));
            // The three stacks are reversed along the stacked axis.
            Assert.Equal(3, AllNodes(model.Graph).Count(n => n.OpType == "Slice" && n.Input.Count == 5 && model.Graph.Initializer.Any(i => i.Name == n.Input[4] && OnnxTensors.ToNDArray(i, "steps").ToArray<long>().SequenceEqual([-1L]))));
        }
    }

    [Fact]
    public void AReadOfATensorArrayWrittenFromTheEndIsRefusedNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var result = tf.while_loop(v => tf.greater_equal((Tensor)v[0], tf.constant(0)),
            v => [(Tensor)v[0] - 1, ((TensorArray)v[1]).write((Tensor)v[0], x * tf.cast((Tensor)v[0], tf.float32))],
            new object[] { tf.constant(2), tf.TensorArray(tf.float32, size: 3) });
        var y = ((TensorArray)result[1]).read(1, name: "middle");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Contains("TensorArrayReadV3", e.Message, StringComparison.Ordinal);
        Assert.Contains(y.op.name, e.Message, StringComparison.Ordinal);
        Assert.Contains("from the last index down", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATensorArrayGatherOfOtherIndicesThanRangeIsRefusedNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3, 2), name: "x");
        var y = tf.TensorArray(tf.float32, size: 3).unstack(x).gather(tf.constant(new[] { 2, 0 }), name: "picked");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Contains("TensorArrayGatherV3", e.Message, StringComparison.Ordinal);
        Assert.Contains(y.op.name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesThatWouldNotAppendInOrderAreRefusedNamingTheWrite()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        using var sess = tf.Session();
        void Refused(Tensor y, string why)
        {
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }));
            Assert.Contains("TensorArrayWriteV3", e.Message, StringComparison.Ordinal);
            Assert.Contains(why, e.Message, StringComparison.Ordinal);
        }
        // Into a new array at an index neither the first nor the last.
        Refused(tf.TensorArray(tf.float32, size: 3).write(1, x, name: "middle").stack(), "is neither 0 or the last index into a new TensorArray");
        // At 0 first, then from the last index down.
        var result = tf.while_loop(v => tf.greater((Tensor)v[0], tf.constant(0)),
            v => [(Tensor)v[0] - 1, ((TensorArray)v[1]).write((Tensor)v[0], x * 2f)],
            new object[] { tf.constant(2), tf.TensorArray(tf.float32, size: 3).write(0, x) });
        Refused(((TensorArray)result[1]).stack(), "written both from index 0 up and from the last index down");
    }

    [Fact]
    public void DynamicRnnRunsInOnnxRuntimeAndReimports()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(3);
        var x = tf.placeholder(tf.float32, new Shape(2, 5, 3), name: "x");
        var (outputs, state) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, dtype: tf.float32);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["outputs"] = outputs, ["state"] = (Tensor)state },
            [[("x", F(5, 2, 5, 3))], [("x", F(6, 2, 5, 3))]]);
        Assert.Equal(1, Count(model, "Loop"));
    }

    [Fact]
    public void DynamicRnnOfLstmBlockCellsRunsInOnnxRuntimeAndReimports()
    {
        foreach (var (peephole, clip) in new[] { (false, (double?)null), (true, 0.4) })
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(5);
            var x = tf.placeholder(tf.float32, new Shape(3, 4, 2), name: "x");
            var cell = tf.contrib.rnn.LSTMBlockCell(5, forget_bias: 0.5, cell_clip: clip, use_peephole: peephole);
            var (outputs, state) = tf.nn.dynamic_rnn(cell, x, dtype: tf.float32);
            Assert.Contains(g.Graph.get_operations(), o => o.type == "LSTMBlockCell");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            // Peephole weights away from their zero initial values, so they show.
            foreach (var v in tf.global_variables().Where(v => v.op.name.EndsWith("_diag", StringComparison.Ordinal)))
                sess.run(v.assign(tf.constant(Uniform(v.op.name.Length, -1, 1, 5))));
            var final = (SharpFlow.Rnn.LSTMStateTuple)state;
            var model = RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["outputs"] = outputs, ["c"] = final.c, ["h"] = final.h },
                [[("x", F(8, 3, 4, 2))], [("x", Uniform(9, -3, 3, 3, 4, 2))]]);
            Assert.Equal(peephole ? 1 : 0, Count(model, "Clip"));
        }
    }

    [Fact]
    public void ALoopCarryingATensorArrayReimportsWithTheBatchKnownOrNot()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 3), name: "x");
        var y = tf.map_fn(row => row * 2f - tf.reduce_mean(row), x);
        using var sess = tf.Session();
        var bytes = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }).ToByteArray();
        var input = F(1, 4, 3);
        var ours = sess.run(y, new FeedDict { [x] = input });
        // A batch known at import splits into a list; one known at run time only into a TensorArray.
        foreach (var dynamicBatch in new[] { false, true })
            Same(ours, RunSharpFlow(bytes, [("x", input)], ["y"], dynamicBatch)[0], $"re-imported, dynamic batch {dynamicBatch}", 1e-5);
    }
}
