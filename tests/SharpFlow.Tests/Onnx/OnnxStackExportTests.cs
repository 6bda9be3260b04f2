using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The gradient of a tf.while_loop exported whole: the stacks the forward loop pushes each iteration's values on
/// and the backprop loop pops them from (StackV2, StackPushV2, StackPopV2) as ONNX sequences carried out of the
/// forward Loop into the backprop Loop; run in ONNX Runtime at opsets 13 and 17 and compared with SharpFlow's own
/// gradients (OnnxReimportTests imports them back).
/// </summary>
public sealed class OnnxStackExportTests
{
    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    /// <summary>Exports at <paramref name="opset"/>, runs ONNX Runtime on each feed and compares every output with SharpFlow's run.</summary>
    private static ModelProto RunsAsInSharpFlow(Session sess, Dictionary<string, Tensor> inputs, Dictionary<string, Tensor> outputs,
        IEnumerable<(string Name, NDArray Value)[]> feeds, int opset)
    {
        var exported = OnnxModel.Export(sess, inputs, outputs, opset);
        Assert.DoesNotContain(AllNodes(exported.Proto.Graph), n => n.OpType is "Switch" or "Merge" or "Enter" or "Exit" or "NextIteration" or "LoopCond");
        var names = outputs.Keys.ToArray();
        var bytes = exported.ToByteArray();
        foreach (var feed in feeds)
        {
            var dict = new FeedDict();
            foreach (var (name, value) in feed) dict[inputs[name]] = value;
            var ours = sess.run(names.Select(n => outputs[n]).ToArray(), dict);
            var ort = RunOnnxRuntime(bytes, feed, names);
            for (var i = 0; i < names.Length; i++) Same(ours[i], ort[i], $"ONNX Runtime at opset {opset}: {names[i]}", 1e-5);
        }
        return exported.Proto;
    }

    private static NDArray Floats(int[] shape, params float[] values) => NDArray.FromFlat(values, new Shape(shape));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TheGradientOfACumulativeProductLoopRunsInOnnxRuntime(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var n = tf.placeholder(tf.int32, Shape.Scalar, name: "n");
        var (_, y) = tf.while_loop((i, _) => tf.less(i, n), (i, v) => (i + 1, v * x + tf.sin(v)), (tf.constant(0), x));
        var loss = tf.reduce_sum(y * y);
        var grad = tf.gradients(loss, x)[0];
        Assert.Contains(g.Graph.get_operations(), o => o.type == "StackPopV2");
        using var sess = tf.Session();
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x, ["n"] = n }, new() { ["loss"] = loss, ["grad"] = grad! },
            [[("x", Floats([3], 0.5f, -0.3f, 0.9f)), ("n", NDArray.Scalar(4))], [("x", Floats([3], 0.1f, 0.2f, -0.7f)), ("n", NDArray.Scalar(1))]], opset);
        Assert.Equal(2, AllNodes(model.Graph).Count(o => o.OpType == "Loop"));
        Assert.Contains(AllNodes(model.Graph), o => o.OpType == "SequenceErase");
    }

    [Fact]
    public void APushInsideACondOfTheLoopIsRefusedNamingTheOpAndTheCond()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var (_, y) = tf.while_loop((i, _) => tf.less(i, 3),
            (i, v) => (i + 1, tf.cond(tf.greater(tf.reduce_sum(v), tf.constant(0f)), () => v * x, () => tf.sin(v))), (tf.constant(0), x));
        var grad = tf.gradients(tf.reduce_sum(y), x)[0]!;
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["grad"] = grad }));
        Assert.Matches("^Cannot export Stack(Push|Pop)V2 \"[^\"]+\" to ONNX: it is inside the branch of the cond \"[^\"]+\"", e.Message);
    }

    /// <summary>A stack of float32 with <paramref name="maxSize"/>, two pushes of x and 2x, then two pops (each ordered after the one before).</summary>
    private static (Tensor X, Tensor First, Tensor Second, Operation Push) PushTwicePopTwice(int maxSize, DType pushed)
    {
        var graph = Graph.get_default();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var stack = graph.CreateOp(SharpFlow.Ops.DataFlow.StackV2.Def, "stack", [tf.constant(maxSize)],
            new Dictionary<string, object> { ["elem_type"] = tf.float32, ["stack_name"] = "" }).outputs[0];
        Operation Push(Tensor v, Operation? after) => graph.CreateOp(SharpFlow.Ops.DataFlow.StackPushV2.Def, "push", [stack, v],
            new Dictionary<string, object> { ["T"] = v.dtype, ["swap_memory"] = false }, after is null ? null : [after]);
        var push1 = Push(tf.cast(x, pushed), null);
        var push2 = Push(tf.cast(x * 2f, pushed), push1);
        Operation Pop(Operation after) => graph.CreateOp(SharpFlow.Ops.DataFlow.StackPopV2.Def, "pop", [stack],
            new Dictionary<string, object> { ["elem_type"] = tf.float32 }, [after]);
        var pop1 = Pop(push2);
        var pop2 = Pop(pop1);
        return (x, pop1.outputs[0], pop2.outputs[0], push1);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void PopsComeOffInReverseOrderOfThePushesAsInSharpFlow(int opset)
    {
        using var g = TestGraph.Enter();
        var (x, first, second, _) = PushTwicePopTwice(-1, tf.float32);
        using var sess = tf.Session();
        var feed = Floats([2], 1.5f, -2f);
        var ours = sess.run([first, second], new FeedDict { [x] = feed });
        Same(Floats([2], 3f, -4f), ours[0], "SharpFlow's first pop", 0);
        RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["first"] = first, ["second"] = second }, [[("x", feed)]], opset);
    }

    [Fact]
    public void PushingPastMaxSizeFailsTheRunInOnnxRuntimeAsInSharpFlow()
    {
        using var g = TestGraph.Enter();
        var (x, first, second, _) = PushTwicePopTwice(1, tf.float32);
        using var sess = tf.Session();
        var feed = Floats([2], 1.5f, -2f);
        var ours = Assert.ThrowsAny<Exception>(() => sess.run([first, second], new FeedDict { [x] = feed }));
        Assert.Contains("overflowed its max_size (1)", ours.Message);
        var bytes = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["first"] = first, ["second"] = second }).ToByteArray();
        Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(bytes, [("x", feed)], ["first", "second"]));
    }

    [Fact]
    public void APushOfAnotherDTypeThanTheStacksIsRefusedNamingThePush()
    {
        using var g = TestGraph.Enter();
        var (x, first, second, push) = PushTwicePopTwice(-1, tf.int32);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["first"] = first, ["second"] = second }));
        Assert.StartsWith($"Cannot export StackPushV2 \"{push.name}\" to ONNX: it pushes int32 onto a stack of float32.", e.Message);
    }

    private static Tensor Stack(string name) => SharpFlow.Ops.DataFlow.StackV2.Build(tf.float32, name);

    private static Tensor Push(Tensor handle, Tensor value, params Operation[] after) => SharpFlow.Ops.DataFlow.StackPushV2.Build(handle, value, after);

    private static Tensor Pop(Tensor handle, params Operation[] after)
    {
        using (handle.graph.control_dependencies(after)) return SharpFlow.Ops.DataFlow.StackPopV2.Build(handle, tf.float32);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void APushOnAHandleThroughStopGradientThatThePopOnlyFollowsIsKept(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var stack = Stack("stack");
        var push = Push(tf.stop_gradient(stack), x * 2f);
        var popped = Pop(stack, push.op);
        using var sess = tf.Session();
        var feed = Floats([2], 1.5f, -2f);
        Same(Floats([2], 3f, -4f), sess.run(popped, new FeedDict { [x] = feed }), "SharpFlow's pop", 0);
        RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["popped"] = popped }, [[("x", feed)]], opset);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void APopThatTheOutputOnlyFollowsThroughAGroupStillComesOff(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var stack = Stack("stack");
        var push1 = Push(stack, x);
        var push2 = Push(stack, x * 2f, push1.op);
        var pop1 = Pop(stack, push2.op);
        var second = Pop(stack, tf.group(pop1));
        using var sess = tf.Session();
        var feed = Floats([2], 1.5f, -2f);
        Same(feed, sess.run(second, new FeedDict { [x] = feed }), "SharpFlow's second pop", 0);
        RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["second"] = second }, [[("x", feed)]], opset);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void APushMadeAfterThePopThatFollowsItGoesFirst(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var stack = Stack("stack");
        var popped = Pop(stack);
        var push = Push(stack, x * 2f);
        // As the gradient of a while loop orders its pushes and pops: a control input added once both exist.
        popped.op.AddControlInput(push.op);
        using var sess = tf.Session();
        var feed = Floats([2], 1.5f, -2f);
        Same(Floats([2], 3f, -4f), sess.run(popped, new FeedDict { [x] = feed }), "SharpFlow's pop", 0);
        RunsAsInSharpFlow(sess, new() { ["x"] = x }, new() { ["popped"] = popped }, [[("x", feed)]], opset);
    }
}
