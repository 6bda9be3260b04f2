using SharpFlow.Onnx;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.NN;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Exporter refusals that no other test triggered, each from the smallest SharpFlow graph that reaches it: an
/// <see cref="UnimplementedError"/> whose message names the op type, the op and the attribute or reason. Forms the
/// graph builders do not make (an NCHW pooling or convolution gradient) are made by copying a built op with the
/// attribute changed, as a graph read from a file could hold them.
/// </summary>
public sealed class OnnxExporterRefusalTests
{
    private static UnimplementedError Refusal(Tensor[] inputs, Tensor output, int opset = 13)
    {
        using var sess = tf.Session();
        return Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, inputs.ToDictionary(t => t.op.name, t => t), new Dictionary<string, Tensor> { ["y"] = output }, opset));
    }

    /// <summary>A copy of <paramref name="op"/> named <paramref name="name"/> with <paramref name="change"/> made to its attributes.</summary>
    private static Tensor Copy(Operation op, string name, Action<Dictionary<string, object>> change)
    {
        var attrs = new Dictionary<string, object>(op.attrs);
        change(attrs);
        return Graph.get_default().CreateOp(op.Def, name, [.. op.inputs], attrs).outputs[0];
    }

    private static (Tensor X, Tensor Dx) MaxPoolGradient()
    {
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 3), name: "x");
        var y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID");
        var dx = tf.gradients(y, x)[0]!;
        Assert.Equal("MaxPoolGrad", dx.op.type);
        return (x, dx);
    }

    [Fact]
    public void APoolingGradientInNchwIsRefusedNamingTheFormat()
    {
        using var g = TestGraph.Enter();
        var (x, dx) = MaxPoolGradient();
        var nchw = Copy(dx.op, "grad_nchw", a => a["data_format"] = "NCHW");
        Assert.Equal("Cannot export MaxPoolGrad \"grad_nchw\" to ONNX: data_format NCHW.", Refusal([x], nchw).RawMessage);
    }

    [Fact]
    public void AMaxPoolOverTheChannelsIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 4), name: "x");
        var y = tf.nn.max_pool(x, [1, 1, 1, 2], [1, 1, 1, 2], "VALID", name: "depth_pool");
        Assert.Equal("Cannot export MaxPool \"depth_pool\" to ONNX: it pools over the batch or channel axis.", Refusal([x], y).RawMessage);
    }

    [Fact]
    public void AConvolutionGradientInNchwIsRefusedNamingTheFormat()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 3), name: "x");
        var dy = tf.placeholder(tf.float32, new Shape(-1, 3, 3, 2), name: "dy");
        var dw = tf.nn.conv2d_backprop_filter(x, tf.constant(new[] { 2, 2, 3, 2 }), dy, [1, 1, 1, 1], "VALID");
        var nchw = Copy(dw.op, "dw_nchw", a => a["data_format"] = "NCHW");
        Assert.Equal("Cannot export Conv2DBackpropFilter \"dw_nchw\" to ONNX: data_format NCHW.", Refusal([x, dy], nchw).RawMessage);
    }

    [Fact]
    public void AConvolutionGradientOfComputedFilterSizesIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 3), name: "x");
        var dy = tf.placeholder(tf.float32, new Shape(-1, 3, 3, 2), name: "dy");
        var sizes = tf.placeholder(tf.int32, new Shape(4), name: "sizes");
        var dw = tf.nn.conv2d_backprop_filter(x, sizes, dy, [1, 1, 1, 1], "VALID", name: "dw");
        Assert.Equal($"Cannot export Conv2DBackpropFilter \"dw\" to ONNX: its filter_sizes depend on the inputs and its filter's shape {dw.shape} is not fully known.", Refusal([x, dy, sizes], dw).RawMessage);
    }

    [Fact]
    public void AConcatOffsetOfAnAxisOutOfRangeIsRefused()
    {
        using var g = TestGraph.Enter();
        var (a, b) = (tf.placeholder(tf.int32, new Shape(2), name: "a"), tf.placeholder(tf.int32, new Shape(2), name: "b"));
        var offsets = ConcatOffset.Build(tf.constant(5), [a, b]);
        Assert.Equal($"Cannot export ConcatOffset \"{offsets[1].op.name}\" to ONNX: concat_dim 5 is out of range for shapes of 2 dimensions.", Refusal([a, b], offsets[1]).RawMessage);
    }

    [Fact]
    public void AFusedBatchNormGradOfHalfDataWithFloatStatisticsIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float16, new Shape(-1, 2, 2, 3), name: "x");
        var dy = tf.placeholder(tf.float16, new Shape(-1, 2, 2, 3), name: "dy");
        var stats = tf.constant(Uniform(1, 0.5, 2, 3));
        var grads = FusedBatchNormGradV3.Build(dy, x, stats, stats, stats, stats, isTraining: false, name: "bn_grad");
        Assert.Equal("Cannot export FusedBatchNormGradV3 \"bn_grad\" to ONNX: x of float16 with float32 statistics.", Refusal([x, dy], grads[0]).RawMessage);
    }

    private static (Tensor Stack, Graph Graph) Stack(Tensor maxSize)
    {
        var graph = Graph.get_default();
        var stack = graph.CreateOp(SharpFlow.Ops.DataFlow.StackV2.Def, "stack", [maxSize],
            new Dictionary<string, object> { ["elem_type"] = tf.float32, ["stack_name"] = "" }).outputs[0];
        return (stack, graph);
    }

    private static Operation Push(Graph graph, Tensor stack, Tensor v) => graph.CreateOp(SharpFlow.Ops.DataFlow.StackPushV2.Def, "push", [stack, v],
        new Dictionary<string, object> { ["T"] = v.dtype, ["swap_memory"] = false });

    private static Tensor Pop(Graph graph, Tensor stack, DType dtype, Operation after) => graph.CreateOp(SharpFlow.Ops.DataFlow.StackPopV2.Def, "pop", [stack],
        new Dictionary<string, object> { ["elem_type"] = dtype }, [after]).outputs[0];

    [Fact]
    public void APushOntoAStackOfComputedMaxSizeIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var n = tf.placeholder(tf.int32, Shape.Scalar, name: "n");
        var (stack, graph) = Stack(n);
        var push = Push(graph, stack, x);
        var popped = Pop(graph, stack, tf.float32, push);
        Assert.Equal($"Cannot export StackPushV2 \"{push.name}\" to ONNX: the max_size of its stack \"stack\" is not a constant.", Refusal([x, n], popped).RawMessage);
    }

    [Fact]
    public void APopOfAnotherDTypeThanTheStacksIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var (stack, graph) = Stack(tf.constant(-1));
        var push = Push(graph, stack, x);
        var popped = Pop(graph, stack, tf.int32, push);
        Assert.Equal($"Cannot export StackPopV2 \"{popped.op.name}\" to ONNX: it pops int32 off a stack of float32.", Refusal([x], popped).RawMessage);
    }

    [Fact]
    public void AMaxSegmentOfHalfValuesIsRefusedNamingTheDType()
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float16, new Shape(4, 2), name: "data");
        var y = tf.unsorted_segment_max(data, tf.constant(new[] { 0, 1, 0, 2 }), 3, name: "seg_max");
        Assert.Equal($"Cannot export UnsortedSegmentMax \"{y.op.name}\" to ONNX: segments of float16 (float32, float64, int32 and int64 export).", Refusal([data], y, 18).RawMessage);
    }

    [Fact]
    public void ASelectOfRowsIsRefusedNamingBothShapes()
    {
        using var g = TestGraph.Enter();
        var c = tf.placeholder(tf.@bool, new Shape(2), name: "c");
        var a = tf.placeholder(tf.float32, new Shape(2, 3), name: "a");
        var y = tf.where(c, a, a * 2f, name: "rows");
        Assert.Equal("Select", y.op.type);
        Assert.Equal($"Cannot export Select \"{y.op.name}\" to ONNX: its condition of shape (2,) selects rows of (2, 3).", Refusal([c, a], y).RawMessage);
    }

    [Fact]
    public void AReshapeToAZeroSizedDimensionIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var y = tf.reshape(x, new[] { 0, 3 }, name: "empty");
        Assert.Equal("Cannot export Reshape \"empty\" to ONNX at opset 13: its shape has a zero-sized dimension, which ONNX's Reshape reads as the input's before allowzero (opset 14).", Refusal([x], y).RawMessage);
    }

    [Fact]
    public void AnExportWithoutOutputsOrOfAnotherGraphsTensorIsAValueError()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        using var sess = tf.Session();
        var inputs = new Dictionary<string, Tensor> { ["x"] = x };
        Assert.Equal("Exporting to ONNX needs at least one output.", Assert.Throws<ValueError>(() => OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor>())).Message);
        Tensor other;
        using (TestGraph.Enter()) other = tf.placeholder(tf.float32, new Shape(2), name: "elsewhere");
        Assert.Equal("Tensor 'y' (elsewhere:0) is not in the session's graph.", Assert.Throws<ValueError>(() => OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["y"] = other })).Message);
    }
    [Fact]
    public void GradientTensorArraysOfAnotherFlowOrWrittenAValueOfUnknownRankAreRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3, 2), name: "x");
        var array = tf.TensorArray(tf.float32, size: 3).unstack(x);
        // A gradient array whose flow is not the forward array's: the dense zeros have no shape to take.
        var foreign = tf.constant(0f, name: "foreign");
        var (handle, flow) = SharpFlow.Ops.DataFlow.TensorArrayGradV3.Build(array.handle, foreign, "gradients");
        var read = SharpFlow.Ops.DataFlow.TensorArrayReadV3.Build(handle, 0, flow, tf.float32);
        Assert.Equal($"Cannot export TensorArrayGradV3 \"{handle.op.name}\" to ONNX: the flow it takes (Const \"foreign\") is not its forward TensorArray's, whose stacked shape the dense gradient array takes.",
            Refusal([x], read).RawMessage);
        // A write of a value of unknown rank: its one-hot mask is reshaped to the value's rank.
        var v = tf.placeholder(tf.float32, name: "v");
        var (handle2, flow2) = SharpFlow.Ops.DataFlow.TensorArrayGradV3.Build(array.handle, array.flow, "gradients_1");
        var written = SharpFlow.Ops.DataFlow.TensorArrayWriteV3.Def.Build(handle2, 1, v, flow2);
        var back = SharpFlow.Ops.DataFlow.TensorArrayReadV3.Build(handle2, 1, written, tf.float32);
        Assert.Equal($"Cannot export TensorArrayWriteV3 \"{written.op.name}\" to ONNX: the rank of the value it writes is not known.", Refusal([x, v], back).RawMessage);
    }
    [Fact]
    public void AConcatOfATensorArrayWrittenFromTheEndIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var result = tf.while_loop(v => tf.greater_equal((Tensor)v[0], tf.constant(0)),
            v => [(Tensor)v[0] - 1, ((TensorArray)v[1]).write((Tensor)v[0], x * tf.cast((Tensor)v[0], tf.float32))],
            new object[] { tf.constant(2), tf.TensorArray(tf.float32, size: 3) });
        var y = ((TensorArray)result[1]).concat(name: "joined");
        Assert.Equal("TensorArrayConcatV3", y.op.type);
        Assert.Equal($"Cannot export TensorArrayConcatV3 \"{y.op.name}\" to ONNX: its TensorArray is written from the last index down (a reversed scan's), whose elements SharpFlow.Onnx exports for a stack only.",
            Refusal([x], y).RawMessage);
    }
    [Fact]
    public void ASwitchOutsideACondIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        var (_, taken) = SharpFlow.Ops.Control.Switch.Build(x, p, name: "bare");
        Assert.Equal("Cannot export Switch \"bare\" to ONNX: SharpFlow.Onnx has no mapping for Switch outside the tf.cond or tf.while_loop it exports as If or Loop.", Refusal([x, p], taken).RawMessage);
    }
    [Fact]
    public void AScatterOfOtherIndicesThanRangeIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3, 2), name: "x");
        var y = tf.TensorArray(tf.float32, size: 3).scatter(tf.constant(new[] { 2, 0, 1 }), x).stack();
        var scatter = g.Graph.get_operations().Single(o => o.type == "TensorArrayScatterV3");
        Assert.Equal($"Cannot export TensorArrayScatterV3 \"{scatter.name}\" to ONNX: its indices are not range(0, n) (only unstack is exported).", Refusal([x], y).RawMessage);
    }

    [Fact]
    public void AScatterIntoATensorArrayWrittenToIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3, 2), name: "x");
        var y = tf.TensorArray(tf.float32, size: 3).unstack(x).scatter(tf.constant(new[] { 0, 1, 2 }), x * 2f).stack();
        var scatter = g.Graph.get_operations().Last(o => o.type == "TensorArrayScatterV3");
        Assert.Equal($"Cannot export TensorArrayScatterV3 \"{scatter.name}\" to ONNX: it scatters into a TensorArray already written to.", Refusal([x], y).RawMessage);
    }

    /// <summary>
    /// <c>TensorArray(size: 4).write(0, c).scatter([1, 2, 3], x).stack()</c>: ONNX's sequence appends, so the scatter
    /// after a write cannot be exported as SplitToSequence of the new array (that would drop the write); it is refused,
    /// not exported with other values.
    /// </summary>
    [Fact]
    public void AScatterAfterAWriteIntoTheSameTensorArrayIsRefusedNotExportedWrong()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3, 2), name: "x");
        var c = tf.constant(new[] { 7f, 8f });
        var y = tf.TensorArray(tf.float32, size: 4).write(0, c).scatter(tf.constant(new[] { 1, 2, 3 }), x).stack();
        var scatter = g.Graph.get_operations().Single(o => o.type == "TensorArrayScatterV3");
        Assert.Equal($"Cannot export TensorArrayScatterV3 \"{scatter.name}\" to ONNX: it scatters into a TensorArray already written to.", Refusal([x], y).RawMessage);
        // The same with the scatter's indices a range from 1, as unstack would make them: refused as well.
        using var g2 = TestGraph.Enter();
        var x2 = tf.placeholder(tf.float32, new Shape(3, 2), name: "x");
        var y2 = tf.TensorArray(tf.float32, size: 4).write(0, tf.constant(new[] { 7f, 8f })).scatter(tf.range(1, 4), x2).stack();
        var scatter2 = g2.Graph.get_operations().Single(o => o.type == "TensorArrayScatterV3");
        Assert.Equal($"Cannot export TensorArrayScatterV3 \"{scatter2.name}\" to ONNX: it scatters into a TensorArray already written to.", Refusal([x2], y2).RawMessage);
    }

    [Fact]
    public void ACumprodOverAnAxisOutOfRangeIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3), name: "x");
        // An axis the shape function cannot see (a constant one out of range fails the build), which the export
        // evaluates: a placeholder_with_default left at its default.
        var y = SharpFlow.Ops.MathOps.Cumprod.Build(x, tf.placeholder_with_default(tf.constant(2), Shape.Scalar), name: "products");
        Assert.Equal("Cannot export Cumprod \"products\" to ONNX: axis 2 is out of range for its input of rank 2.", Refusal([x], y).RawMessage);
        var z = SharpFlow.Ops.MathOps.Cumprod.Build(x, tf.placeholder_with_default(tf.constant(-3), Shape.Scalar), name: "products_neg");
        Assert.Equal("Cannot export Cumprod \"products_neg\" to ONNX: axis -3 is out of range for its input of rank 2.", Refusal([x], z).RawMessage);
    }

    [Fact]
    public void AnAttributeOfTheWrongTypeIsRefusedNamingIt()
    {
        // Declared attributes are type-checked when the op is made; MaxPool declares none, so a window of longs
        // (as a hand-made graph may hold) reaches the exporter, which reads it as Int32[].
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 3), name: "x");
        var y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID");
        var bad = Copy(y.op, "pool_long", a => a["ksize"] = new long[] { 1, 2, 2, 1 });
        Assert.Equal("Cannot export MaxPool \"pool_long\" to ONNX: attribute ksize is not a Int32[].", Refusal([x], bad).RawMessage);
    }

    [Fact]
    public void APoolingInNchwIsRefusedByThePaddingNamingTheFormat()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 4), name: "x");
        var y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID");
        var nchw = Copy(y.op, "pool_nchw", a => a["data_format"] = "NCHW");
        Assert.Equal("Cannot export MaxPool \"pool_nchw\" to ONNX: data_format NCHW.", Refusal([x], nchw).RawMessage);
    }

    [Fact]
    public void ATensorArrayPassingThroughALoopBodyIsRefusedBelowOpset14()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var array = tf.TensorArray(tf.float32, size: 1).write(0, x);
        var result = tf.while_loop(v => tf.less((Tensor)v[0], tf.constant(3)),
            v => [(Tensor)v[0] + 1, (TensorArray)v[1]],
            new object[] { tf.constant(0), array }, name: "pass");
        var y = ((TensorArray)result[1]).stack();
        var loop = g.Graph.get_operations().First(o => o.type == "LoopCond").Context!.Name;
        Assert.Equal($"Cannot export the while loop \"{loop}\" to ONNX at opset 13: a TensorArray passes through its body unchanged (a sequence's Identity needs opset 14).", Refusal([x], y).RawMessage);
    }

    /// <summary>
    /// An Exit of a loop invariant (a graph read from a file may hold one; tf.while_loop makes none): the outputs need
    /// none of the loop's variables, so there is nothing for an ONNX Loop to carry.
    /// </summary>
    [Fact]
    public void AWhileLoopWhoseOutputsNeedNoLoopVariableIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        tf.while_loop((i, s) => tf.less(i, tf.constant(3)), (i, s) => (i + 1, s + x), (tf.constant(0), tf.zeros(new Shape(2))));
        var enter = g.Graph.get_operations().Single(o => o.type == "Enter" && ReferenceEquals(o.inputs[0], x));
        var exit = g.Graph.CreateOpIn(enter.Context, SharpFlow.Ops.Control.Exit.Def, "stray_exit", [enter.outputs[0]],
            new Dictionary<string, object> { ["T"] = tf.float32 }).outputs[0];
        Assert.Equal($"Cannot export the while loop \"{enter.Context!.Name}\" to ONNX: it has no condition or no loop variable the outputs need.", Refusal([x], exit).RawMessage);
    }

    [Fact]
    public void AGradientTensorArrayMadeInsideALoopFromALoopVariableFlowIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        string? gradName = null;
        var result = tf.while_loop(v => tf.less((Tensor)v[0], tf.constant(2)),
            v =>
            {
                var (i, ta, acc) = ((Tensor)v[0], (TensorArray)v[1], (Tensor)v[2]);
                var next = ta.write(i, x);
                var (handle, flow) = SharpFlow.Ops.DataFlow.TensorArrayGradV3.Build(next.handle, next.flow, "gradients");
                gradName = handle.op.name;
                var written = SharpFlow.Ops.DataFlow.TensorArrayWriteV3.Def.Build(handle, 0, x, flow);
                return [i + 1, next, acc + tf.reshape(SharpFlow.Ops.DataFlow.TensorArrayReadV3.Build(handle, 0, written, tf.float32), new[] { 2 })];
            },
            new object[] { tf.constant(0), tf.TensorArray(tf.float32, size: 2), tf.zeros(new Shape(2)) });
        var loop = g.Graph.get_operations().First(o => o.type == "LoopCond").Context!.Name;
        Assert.Equal($"Cannot export TensorArrayGradV3 \"{gradName}\" to ONNX: its gradient TensorArray is made inside the while loop \"{loop}\" from a flow that is not a loop invariant, so it cannot be made before the Loop that carries it.",
            Refusal([x], (Tensor)result[2]).RawMessage);
    }

    [Fact]
    public void APushOntoAHandleNotFromAStackIsRefused()
    {
        // The handle through PreventGradient, which the exporter does not follow back to the StackV2 op (it follows
        // Identity and StopGradient); the push's output (the value pushed) is read, so the push is exported.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var (stack, graph) = Stack(tf.constant(-1));
        var push = Push(graph, PreventGradient.Build(stack), x);
        var popped = Pop(graph, stack, tf.float32, push);
        Assert.Equal($"Cannot export StackPushV2 \"{push.name}\" to ONNX: its handle does not come from a StackV2 op.", Refusal([x], popped + push.outputs[0]).RawMessage);
    }

    /// <summary>A stack made inside the true branch of a cond on p (whose output the tests leave unused), and the cond's name.</summary>
    private static Tensor StackInABranch(Tensor x, Tensor p)
    {
        Tensor? stack = null;
        tf.cond(p, () =>
        {
            (stack, _) = Stack(tf.constant(-1));
            return x * 2f;
        }, () => x * 3f, name: "cond");
        return stack!;
    }

    [Fact]
    public void APushAfterACondWhoseBranchMakesTheStackIsRefusedWhenTheModelNeedsNoOutputOfTheCond()
    {
        // Without a Merge the outputs need, the cond is no If in the model, and the stack its branch makes is in none.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        var stack = StackInABranch(x, p);
        var push = Push(g.Graph, stack, x);
        var popped = Pop(g.Graph, stack, tf.float32, push);
        Assert.Equal($"Cannot export StackPushV2 \"{push.name}\" to ONNX: its stack \"{stack.op.name}\" is not in the model at this point (created inside a branch, or used before it is created).",
            Refusal([x, p], popped).RawMessage);
    }

    [Fact]
    public void ALoopPushingOntoAStackMadeInACondBranchIsRefusedWhenTheModelNeedsNoOutputOfTheCond()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        var stack = StackInABranch(x, p);
        Operation? push = null;
        var (_, y) = tf.while_loop((i, _) => tf.less(i, 2), (i, v) =>
        {
            push = Push(g.Graph, stack, v);
            return (i + 1, push.outputs[0] * 2f);
        }, (tf.constant(0), x), name: "loop");
        var popped = Pop(g.Graph, stack, tf.float32, y.op);
        var loop = push!.Context!.Name;
        Assert.Equal($"Cannot export StackPushV2 \"{push.name}\" to ONNX: its stack \"{stack.op.name}\" is not in the model before the while loop \"{loop}\".",
            Refusal([x, p], popped + y).RawMessage);
    }

    [Fact]
    public void AGradientTensorArrayMadeInACondBranchAndWrittenAfterItIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        var rows = tf.placeholder(tf.float32, new Shape(2, 2), name: "rows");
        var array = tf.TensorArray(tf.float32, size: 2).unstack(rows);
        Tensor? handle = null, flow = null;
        var r = tf.cond(p, () =>
        {
            (handle, flow) = SharpFlow.Ops.DataFlow.TensorArrayGradV3.Build(array.handle, array.flow, "gradients");
            return x * 2f;
        }, () => x * 3f, name: "cond");
        var written = SharpFlow.Ops.DataFlow.TensorArrayWriteV3.Def.Build(handle!, 1, x, flow!);
        var read = SharpFlow.Ops.DataFlow.TensorArrayReadV3.Build(handle!, 1, written, tf.float32);
        // The model needs no output of the cond: no If holds the gradient array.
        Assert.Equal($"Cannot export TensorArrayWriteV3 \"{written.op.name}\" to ONNX: its gradient TensorArray \"{handle!.op.name}\" is not in the model at this point.",
            Refusal([x, p, rows], read).RawMessage);
        // It needs one: the If's branch graph holds the gradient array, which the If does not give out.
        Assert.Equal($"Cannot export TensorArrayWriteV3 \"{written.op.name}\" to ONNX: its gradient TensorArray \"{handle.op.name}\" is made inside the branch of the cond \"cond/cond_text\" and used after it (SharpFlow.Onnx gives a gradient TensorArray out of no If).",
            Refusal([x, p, rows], read + r).RawMessage);
    }
}
