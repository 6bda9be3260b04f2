using Microsoft.ML.OnnxRuntime;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// GatherTree (a Loop over time from the end) and DrawBoundingBoxes (element-wise masks) exported and run in ONNX
/// Runtime against SharpFlow's kernels (TensorFlow's test values and random cases); a TensorArray's split and concat
/// as sequences; Assert, NoOp and ControlTrigger dropped with their control edges and CheckNumerics as Identity; and
/// the refusals, each naming the node, the op and the reason.
/// </summary>
public sealed class OnnxBeamBoxesAndChecksExportTests
{
    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    private static NDArray Ints3(int[,,] x) => NDArray.FromArray(x);

    // TensorFlow's tests write [batch, time, beam]; GatherTree takes [time, batch, beam].
    private static int[,,] TimeMajor(int[,,] x)
    {
        var r = new int[x.GetLength(1), x.GetLength(0), x.GetLength(2)];
        for (var b = 0; b < x.GetLength(0); b++)
            for (var t = 0; t < x.GetLength(1); t++)
                for (var k = 0; k < x.GetLength(2); k++) r[t, b, k] = x[b, t, k];
        return r;
    }

    private static (Tensor Steps, Tensor Parents, Tensor Lengths, Tensor Beams) GatherTreeGraph()
    {
        var steps = tf.placeholder(tf.int32, new Shape(-1, -1, -1), name: "steps");
        var parents = tf.placeholder(tf.int32, new Shape(-1, -1, -1), name: "parents");
        var lengths = tf.placeholder(tf.int32, new Shape(-1), name: "lengths");
        return (steps, parents, lengths, tf.contrib.seq2seq.gather_tree(steps, parents, lengths, 10, name: "beams"));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void GatherTreeBacktracksAsTensorFlowsTestExpects(int opset)
    {
        using var g = TestGraph.Enter();
        var (steps, parents, lengths, beams) = GatherTreeGraph();
        using var sess = tf.Session();
        var feed = new[]
        {
            ("steps", Ints3(TimeMajor(new[, ,] { { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 }, { -1, -1, -1 } } }))),
            ("parents", Ints3(TimeMajor(new[, ,] { { { 0, 0, 0 }, { 0, 1, 1 }, { 2, 1, 2 }, { -1, -1, -1 } } }))),
            ("lengths", NDArray.FromArray(new[] { 3 })),
        };
        var ours = ExportAgrees(sess, new() { ["steps"] = steps, ["parents"] = parents, ["lengths"] = lengths }, [beams], feed, opset);
        Assert.Equal(Ints3(TimeMajor(new[, ,] { { { 2, 2, 2 }, { 6, 5, 6 }, { 7, 8, 9 }, { 10, 10, 10 } } })).ToArray<int>(), ours[0].ToArray<int>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void GatherTreeMatchesSharpFlowOnRandomTreesWithEndTokensAndEveryKindOfLength(int opset)
    {
        using var g = TestGraph.Enter();
        var (steps, parents, lengths, beams) = GatherTreeGraph();
        using var sess = tf.Session();
        var inputs = new Dictionary<string, Tensor> { ["steps"] = steps, ["parents"] = parents, ["lengths"] = lengths };
        var random = new Random(4);
        var (time, batch, beam) = (6, 5, 4);
        for (var trial = 0; trial < 3; trial++)
        {
            // Ids 8 to 11 (10 is end_token, often); lengths from 0 to past max_time.
            var s = Enumerable.Range(0, time * batch * beam).Select(_ => random.Next(8, 12)).ToArray();
            var p = Enumerable.Range(0, time * batch * beam).Select(_ => random.Next(0, beam)).ToArray();
            var l = new[] { 0, 1, 3, 6, 9 };
            var feed = new[]
            {
                ("steps", NDArray.FromFlat(s, new Shape(time, batch, beam))), ("parents", NDArray.FromFlat(p, new Shape(time, batch, beam))),
                ("lengths", NDArray.FromArray(l)),
            };
                var ours = ExportAgrees(sess, inputs, [beams], feed, opset)[0].ToArray<int>();
            Assert.Contains(10, ours);
        }
    }

    [Fact]
    public void GatherTreeOfNoStepsGivesNoBeams()
    {
        using var g = TestGraph.Enter();
        var (steps, parents, lengths, beams) = GatherTreeGraph();
        using var sess = tf.Session();
        var empty = NDArray.FromFlat(Array.Empty<int>(), new Shape(0, 2, 3));
        var ours = ExportAgrees(sess, new() { ["steps"] = steps, ["parents"] = parents, ["lengths"] = lengths },
            [beams], [("steps", empty), ("parents", empty), ("lengths", NDArray.FromArray(new[] { 1, 0 }))], 13);
        Assert.Equal([0, 2, 3], ours[0].shape.Dims);
    }

    [Fact]
    public void GatherTreeFailsInOnnxRuntimeOnAParentIdItFollowsOutsideTheBeam()
    {
        using var g = TestGraph.Enter();
        var (steps, parents, lengths, beams) = GatherTreeGraph();
        using var sess = tf.Session();
        var inputs = new Dictionary<string, Tensor> { ["steps"] = steps, ["parents"] = parents, ["lengths"] = lengths };
        var bytes = OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["y"] = beams }).ToByteArray();
        Assert.Contains(AllNodes(OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["y"] = beams }).Proto.Graph), n => n.OpType == "Loop");
        foreach (var bad in new[] { -1, 3 })
        {
            var feed = new[]
            {
                ("steps", Ints3(TimeMajor(new[, ,] { { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 }, { -1, -1, -1 } } }))),
                ("parents", Ints3(TimeMajor(new[, ,] { { { 0, 0, 0 }, { 0, bad, 1 }, { 2, 1, 2 }, { -1, -1, -1 } } }))),
                ("lengths", NDArray.FromArray(new[] { 3 })),
            };
            var dict = new FeedDict();
            foreach (var (name, value) in feed) dict[inputs[name]] = value;
            Assert.Throws<InvalidArgumentError>(() => sess.run(beams, dict));
            Assert.Throws<OnnxRuntimeException>(() => RunOnnxRuntime(bytes, feed, ["y"]));
        }
    }

    [Theory]
    [InlineData(1, 13)]
    [InlineData(3, 13)]
    [InlineData(4, 17)]
    [InlineData(3, 18)]
    public void DrawBoundingBoxesDrawsAsSharpFlowsKernelIncludingClippedInvertedAndOutsideBoxes(int depth, int opset)
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, -1, -1, depth), name: "images");
        var boxes = tf.placeholder(tf.float32, new Shape(-1, -1, 4), name: "boxes");
        var y = tf.image.draw_bounding_boxes(images, boxes);
        using var sess = tf.Session();
        // 13 boxes per image (the colour table cycles after 10): inside, partly outside, inverted, wholly outside,
        // and a degenerate box of one row.
        var random = new Random(depth * 100 + opset);
        var fixedBoxes = new[]
        {
            new[] { 0.1f, 0.2f, 0.5f, 0.9f }, [-0.2f, 0.3f, 0.6f, 1.4f], [0.7f, 0.2f, 0.3f, 0.8f], [1.2f, 0.1f, 1.5f, 0.5f],
            [0.4f, 0.4f, 0.4f, 0.6f], [-0.5f, -0.5f, 1.5f, 1.5f], [0f, 0f, 1f, 1f],
        };
        var (n, h, w, count) = (2, 7, 9, 13);
        var flat = new List<float>();
        for (var b = 0; b < n; b++)
            for (var k = 0; k < count; k++)
                flat.AddRange(k < fixedBoxes.Length && b == 0 ? fixedBoxes[k] : Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 1.4 - 0.2)));
        var feed = new[] { ("images", Uniform(opset, 0, 0.3, n, h, w, depth)), ("boxes", NDArray.FromFlat(flat.ToArray(), new Shape(n, count, 4))) };
        ExportAgrees(sess, new() { ["images"] = images, ["boxes"] = boxes }, [y], feed, opset, tolerance: 0);
    }

    [Fact]
    public void DrawBoundingBoxesOfDoublesAndOfNoBoxes()
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float64, new Shape(1, 5, 6, 3), name: "images");
        var boxes = tf.placeholder(tf.float32, new Shape(1, -1, 4), name: "boxes");
        var y = tf.image.draw_bounding_boxes(images, boxes);
        using var sess = tf.Session();
        var image = Uniform(2, 0, 0.3, 1, 5, 6, 3).Cast(DType.float64);
        var inputs = new Dictionary<string, Tensor> { ["images"] = images, ["boxes"] = boxes };
        ExportAgrees(sess, inputs, [y], [("images", image), ("boxes", NDArray.FromFlat(new[] { 0.2f, 0.1f, 0.9f, 0.7f }, new Shape(1, 1, 4)))], 13, tolerance: 0);
        var none = ExportAgrees(sess, inputs, [y], [("images", image), ("boxes", NDArray.FromFlat(Array.Empty<float>(), new Shape(1, 0, 4)))], 13, tolerance: 0);
        Assert.True(none[0].ValueEquals(image));
    }

    [Fact]
    public void DrawBoundingBoxesOfAnUnknownDepthIsRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, -1, -1, -1), name: "images");
        var y = tf.image.draw_bounding_boxes(images, tf.constant(new[, ,] { { { 0f, 0f, 1f, 1f } } }), name: "drawn");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["images"] = images }, new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Equal("Cannot export DrawBoundingBoxes \"drawn\" to ONNX: the images' depth is unknown (the colours are chosen for depth 1, 3 or 4 when exporting).", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ATensorArraySplitAndConcatAreSequencesWithTheirLengths(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 2), name: "x");
        var sizes = tf.placeholder(tf.int64, new Shape(3), name: "sizes");
        var ta = tf.TensorArray(tf.float32, size: 3, clear_after_read: false).split(x, sizes);
        var middle = ta.read(1);
        var joined = ta.concat();
        var lengths = joined.op.outputs[1];
        using var sess = tf.Session();
        var feed = new[] { ("x", F(3, 6, 2)), ("sizes", NDArray.FromArray(new[] { 1L, 3L, 2L })) };
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["sizes"] = sizes }, new Dictionary<string, Tensor> { ["y"] = joined });
        Assert.Contains(AllNodes(model.Proto.Graph), n => n.OpType == "SplitToSequence");
        Assert.DoesNotContain(AllNodes(model.Proto.Graph), n => n.OpType == "Loop"); // the lengths are not read
        var ours = ExportAgrees(sess, new() { ["x"] = x, ["sizes"] = sizes }, [middle, joined, lengths], feed, opset);
        Assert.Equal(F(3, 6, 2).ToArray<float>(), ours[1].ToArray<float>());
        Assert.Equal([1L, 3L, 2L], ours[2].ToArray<long>());
        Assert.Equal([3, 2], ours[0].shape.Dims);
        // Empty parts, in ONNX Runtime and imported back.
        ours = ExportAgrees(sess, new() { ["x"] = x, ["sizes"] = sizes }, [middle, joined, lengths], [("x", F(3, 4, 2)), ("sizes", NDArray.FromArray(new[] { 0L, 4L, 0L }))], opset);
        Assert.Equal([0L, 4L, 0L], ours[2].ToArray<long>());
    }

    [Fact]
    public void ASplitIntoAWrittenTensorArrayIsRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 2), name: "x");
        var ta = tf.TensorArray(tf.float32, size: 2).write(0, x).split(x, tf.constant(new[] { 2L, 2L }), name: "resplit");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = ta.read(1) }));
        Assert.Matches("^Cannot export TensorArraySplitV3 \"resplit[^\"]*\" to ONNX: it splits into a TensorArray already written to\\.$", e.RawMessage);
    }

    [Fact]
    public void AssertAndTheOrderingOpsAreDroppedWithTheirControlEdgesAndCheckNumericsIsAnIdentity()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var check = tf.Assert(tf.reduce_all(tf.greater(x, 0f)), new object[] { x }, name: "positive");
        Tensor y;
        using (tf.control_dependencies([check, tf.no_op(name: "nothing")]))
            y = tf.check_numerics(x * 2f, "bad values", name: "checked");
        using var sess = tf.Session();
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y });
        Assert.DoesNotContain(AllNodes(model.Proto.Graph), n => n.OpType is "Assert" or "NoOp" or "CheckNumerics");
        var bytes = model.ToByteArray();
        var good = NDArray.FromArray(new[] { 1f, 2f, 3f });
        Same(sess.run(y, new FeedDict { [x] = good }), RunOnnxRuntime(bytes, [("x", good)], ["y"])[0], "y", 0);
        // SharpFlow's run fails on either check; the model, which has neither, computes the value.
        Assert.Throws<InvalidArgumentError>(() => sess.run(y, new FeedDict { [x] = NDArray.FromArray(new[] { -1f, 2f, 3f }) }));
        Assert.Equal([-2f, 4f, 6f], RunOnnxRuntime(bytes, [("x", NDArray.FromArray(new[] { -1f, 2f, 3f }))], ["y"])[0].ToArray<float>());
        Assert.True(float.IsNaN(RunOnnxRuntime(bytes, [("x", NDArray.FromArray(new[] { float.NaN, 2f, 3f }))], ["y"])[0].ToArray<float>()[0]));
        foreach (var type in new[] { "Assert", "NoOp", "ControlTrigger", "TensorArrayCloseV3" })
            Assert.Contains("nothing", OnnxExporter.NotesOf(type));
        Assert.Contains("no ONNX operator fails a run", OnnxExporter.NotesOf("Assert"));
        Assert.Contains("no ONNX operator fails a run on NaN or infinity", OnnxExporter.NotesOf("CheckNumerics"));
    }
}
