using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The gradient of a tf.while_loop exported whole: the stacks the forward loop pushes each iteration's values on
/// and the backprop loop pops them from (StackV2, StackPushV2, StackPopV2) as ONNX sequences carried out of the
/// forward Loop into the backprop Loop; run in ONNX Runtime at opsets 13 and 17 and compared with SharpFlow's own
/// gradients (OnnxReimportTests imports them back). Stacks built op by op: pushes and pops ordered only by control
/// dependencies, and stacks made inside a cond's branch and used after it (the If gives them out as optional sequences).
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

    /// <summary>A stack made inside the true branch of a cond on p, pushed the cond's result after it, then popped.</summary>
    private static (Tensor X, Tensor P, Tensor R, Tensor Popped) AStackMadeInABranch()
    {
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        Tensor? stack = null;
        var r = tf.cond(p, () =>
        {
            stack = Stack("branch_stack");
            return x * 2f;
        }, () => x * 3f, name: "cond");
        var push = Push(stack!, r);
        return (x, p, r, Pop(stack!, push.op));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    public void AStackMadeInACondBranchAndPushedAfterTheCondLeavesTheIfAsAnOptionalSequence(int opset)
    {
        using var g = TestGraph.Enter();
        var (x, p, r, popped) = AStackMadeInABranch();
        using var sess = tf.Session();
        var feed = Floats([2], 1.5f, -2f);
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x, ["p"] = p }, new() { ["r"] = r, ["popped"] = popped }, [[("x", feed), ("p", NDArray.Scalar(true))]], opset);
        Assert.Contains(AllNodes(model.Graph), n => n.OpType == "OptionalGetElement");
        // The false branch makes no stack: SharpFlow's push and pop are dead, and so the run fails; so does ONNX Runtime's.
        var ours = Assert.ThrowsAny<Exception>(() => sess.run([r, popped], new FeedDict { [x] = feed, [p] = NDArray.Scalar(false) }));
        Assert.StartsWith($"Retval[1] does not have value: {popped.op.name}", ours.Message);
        var ort = Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(model.ToByteArray(), [("x", feed), ("p", NDArray.Scalar(false))], ["r", "popped"]));
        Assert.Contains("Trying to use OptionalGetElement on an optional type OrtValue which contains no data", ort.Message);
    }

    [Fact]
    public void AWhileLoopAfterTheCondCarriesTheStackItsBranchMade()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        Tensor? stack = null;
        var r = tf.cond(p, () =>
        {
            stack = Stack("branch_stack");
            return x * 2f;
        }, () => x * 3f, name: "cond");
        // Each iteration pushes v and goes on with v * 2 + 1: from r = 2x = (3, -4), the pushes are 3, 7, 15 and -4, -7, -13.
        var (_, y) = tf.while_loop((i, _) => tf.less(i, 3), (i, v) => (i + 1, Push(stack!, v) * 2f + 1f), (tf.constant(0), r), name: "loop");
        var popped = Pop(stack!, y.op);
        using var sess = tf.Session();
        var feed = Floats([2], 1.5f, -2f);
        Same(Floats([2], 15f, -13f), sess.run(popped, new FeedDict { [x] = feed, [p] = NDArray.Scalar(true) }), "SharpFlow's pop", 0);
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x, ["p"] = p }, new() { ["y"] = y, ["popped"] = popped }, [[("x", feed), ("p", NDArray.Scalar(true))]], 15);
        Assert.Contains(AllNodes(model.Graph), n => n.OpType == "Loop");
    }

    [Fact]
    public void AStackMadeInANestedCondLeavesBothIfsAtOpset16AndIsRefusedAt15()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        var q = tf.placeholder(tf.@bool, Shape.Scalar, name: "q");
        Tensor? stack = null;
        var r = tf.cond(p, () => tf.cond(q, () =>
        {
            stack = Stack("inner_stack");
            return x * 2f;
        }, () => x * 5f, name: "inner"), () => x * 3f, name: "outer");
        var push = Push(stack!, r);
        var popped = Pop(stack!, push.op);
        using var sess = tf.Session();
        var feed = Floats([2], 1.5f, -2f);
        var inputs = new Dictionary<string, Tensor> { ["x"] = x, ["p"] = p, ["q"] = q };
        var model = RunsAsInSharpFlow(sess, inputs, new() { ["popped"] = popped }, [[("x", feed), ("p", NDArray.Scalar(true)), ("q", NDArray.Scalar(true))]], 16);
        // The inner If makes the optional in both branches, the outer If's false branch an empty one; its true branch passes the inner one on.
        Assert.Equal(3, AllNodes(model.Graph).Count(n => n.OpType == "Optional"));
        // The inner cond not taken: the stack is dead in SharpFlow, an optional holding nothing in ONNX Runtime.
        Assert.ThrowsAny<Exception>(() => sess.run(popped, new FeedDict { [x] = feed, [p] = NDArray.Scalar(true), [q] = NDArray.Scalar(false) }));
        var ort = Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(model.ToByteArray(), [("x", feed), ("p", NDArray.Scalar(true)), ("q", NDArray.Scalar(false))], ["popped"]));
        Assert.Contains("Trying to use OptionalGetElement on an optional type OrtValue which contains no data", ort.Message);
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["popped"] = popped }, 15));
        Assert.Equal($"Cannot export StackV2 \"{stack!.op.name}\" to ONNX at opset 15: it is made inside a cond nested in the branch \"outer/cond_text\" and used after both, which passes its optional sequence on through an Identity (opset 16).", e.RawMessage);
    }

    [Fact]
    public void AStackMadeInAWhileLoopOfACondBranchAndPushedAfterTheCondIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        Tensor? stack = null;
        var r = tf.cond(p, () => tf.while_loop(v => tf.less(tf.reduce_sum(v), 10f), v =>
        {
            stack = Stack("loop_stack");
            return v * 2f;
        }, x, name: "loop"), () => x * 3f, name: "cond");
        var push = Push(stack!, r);
        var popped = Pop(stack!, push.op);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["p"] = p }, new Dictionary<string, Tensor> { ["popped"] = popped }, 15));
        Assert.Equal($"Cannot export StackPushV2 \"{push.op.name}\" to ONNX: its stack \"{stack!.op.name}\" is made inside the while loop \"{stack.op.Context!.Name}\" and used after the cond \"cond/cond_text\" around it.", e.RawMessage);
    }

    [Fact]
    public void AStackMadeInACondBranchAndPushedAfterTheCondIsRefusedBeforeOpset15()
    {
        using var g = TestGraph.Enter();
        var (x, p, r, popped) = AStackMadeInABranch();
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["p"] = p }, new Dictionary<string, Tensor> { ["r"] = r, ["popped"] = popped }, 14));
        Assert.Equal("Cannot export StackPushV2 \"StackPushV2\" to ONNX at opset 14: its stack \"cond/branch_stack\" is made inside the branch of the cond \"cond/cond_text\", which gives it out as an optional sequence (opset 15).", e.RawMessage);
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
