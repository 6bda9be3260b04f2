using CondContext = SharpFlow.Ops.Control.CondContext;
using WhileContext = SharpFlow.Ops.Control.WhileContext;

namespace SharpFlow.Tests.Framework;

/// <summary>
/// The public members the <c>sharpflow</c> command and the ONNX exporter read instead of SharpFlow's internals:
/// <c>tf.add_check_numerics_ops(ops)</c>, <c>tf.saved_model.utils.read_saved_model</c> and
/// <c>get_variables_path</c>, <c>tf.op_def_registry</c>, <c>tf.pad(..., constant_values:)</c>, and the control-flow
/// contexts of <c>Operation.Context</c>. Public API only.
/// </summary>
public sealed class ToolingApiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-tooling-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CheckNumericsOpsForSomeOpsNameTheFirstBadOneOfThem()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var logged = tf.log(x, name: "logged"); // -inf at 0, NaN below
        var scaled = tf.multiply(logged, 2f, name: "scaled");
        var elsewhere = tf.sqrt(x, name: "elsewhere"); // not among the checked ops
        var before = tf.get_default_graph().get_operations().Count;
        var checks = tf.add_check_numerics_ops([logged.op, scaled.op]);
        var added = tf.get_default_graph().get_operations().Skip(before).Where(op => op.type == "CheckNumerics").ToList();
        Assert.Equal(["logged:0", "scaled:0"], added.Select(op => (string)op.get_attr("message")));
        using var sess = tf.Session();
        sess.run(checks, new FeedDict { [x] = new[] { 1f, 2f } });
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(checks, new FeedDict { [x] = new[] { 0f, 2f } }));
        Assert.Contains("logged:0 : Tensor had Inf values", e.Message);
        Assert.Equal(added[0].name, e.NodeName);
        // Ops left out get no check: x itself and sqrt(x) ("elsewhere") are not among the messages above.
        Assert.Equal("Sqrt", elsewhere.op.type);

        using var other = TestGraph.Enter();
        var foreign = Assert.Throws<ValueError>(() => tf.add_check_numerics_ops([logged.op]));
        Assert.Contains("logged is not an op of the default graph", foreign.Message);
    }

    [Fact]
    public void ASavedModelIsReadWithoutLoadingIt()
    {
        var export = Path.Combine(_dir, "model");
        using (var g = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, new Shape(-1, 2), name: "x");
            var w = tf.Variable(new[,] { { 1f }, { 2f } }, name: "w");
            var y = tf.matmul(x, w, name: "y");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            tf.saved_model.simple_save(sess, export, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y });
        }
        var model = tf.saved_model.utils.read_saved_model(export);
        var meta = Assert.Single(model.MetaGraphs);
        Assert.Equal(["serve"], meta.MetaInfoDef.Tags);
        var signature = meta.SignatureDef["serving_default"];
        Assert.Equal("x:0", signature.Inputs["x"].Name);
        Assert.Equal("y:0", signature.Outputs["y"].Name);
        Assert.Contains(meta.GraphDef.Node, n => n.Name == "y" && n.Op == "MatMul");

        var variables = tf.saved_model.utils.get_variables_path(export);
        Assert.Equal(Path.Combine(export, "variables", "variables"), variables);
        Assert.Equal(new[] { 1f, 2f }, tf.train.NewCheckpointReader(variables).get_tensor("w").ToArray<float>());

        var missing = Assert.Throws<NotFoundError>(() => tf.saved_model.utils.read_saved_model(_dir));
        Assert.Contains($"SavedModel file does not exist at: {_dir}", missing.Message);
    }

    [Fact]
    public void TheOpDefRegistryKnowsTheImportableOpTypes()
    {
        var matmul = tf.op_def_registry.get("MatMul");
        Assert.NotNull(matmul);
        Assert.Equal("MatMul", matmul.Type);
        Assert.True(tf.op_def_registry.get("RandomUniform")!.IsStateful);
        Assert.Null(tf.op_def_registry.get("NoSuchOpType"));
        var all = tf.op_def_registry.get_registered_ops();
        Assert.Contains("Conv2D", all);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
    }

    [Fact]
    public void PadWithConstantValuesIsPadV2AndZeroIsPad()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 1, 2 }, { 3, 4 } });
        var paddings = new[,] { { 1, 0 }, { 0, 1 } };
        var filled = tf.pad(x, paddings, constant_values: 9);
        Assert.Equal("PadV2", filled.op.type);
        Assert.Equal(new[] { 9, 9, 9, 1, 2, 9, 3, 4, 9 }, g.Eval(filled).ToArray<int>());
        var zero = tf.pad(x, paddings, constant_values: 0);
        Assert.Equal("Pad", zero.op.type);
        Assert.Equal(new[] { 0, 0, 0, 1, 2, 0, 3, 4, 0 }, g.Eval(zero).ToArray<int>());
        Assert.Equal("Pad", tf.pad(x, paddings).op.type);
        // A float value for an int tensor is converted to its dtype, as TensorFlow's pad_v2 does.
        var f = tf.pad(tf.constant(new[] { 1f, 2f }), new[,] { { 1, 1 } }, constant_values: -1.5);
        Assert.Equal(new[] { -1.5f, 1f, 2f, -1.5f }, g.Eval(f).ToArray<float>());
    }

    [Fact]
    public void AnOpsContextTellsItsCondBranchOrWhileLoop()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.@bool, Shape.Scalar, name: "p");
        Tensor? inTrue = null, inFalse = null;
        _ = tf.cond(p, () => inTrue = tf.constant(1f) * 2f, () => inFalse = tf.constant(3f) - 1f);
        var whenTrue = Assert.IsType<CondContext>(inTrue!.op.Context);
        var whenFalse = Assert.IsType<CondContext>(inFalse!.op.Context);
        Assert.Equal((1, 0), (whenTrue.Branch, whenFalse.Branch));
        Assert.Same(whenTrue.Pred.op, whenFalse.Pred.op);
        Assert.True(whenTrue.Contains(inTrue.op));
        Assert.False(whenTrue.Contains(inFalse.op));
        Assert.Null(p.op.Context);

        Tensor? body = null;
        var result = tf.while_loop(i => tf.less(i, 10), i => body = i + 1, tf.constant(0), name: "loop", maximum_iterations: 5);
        var loop = Assert.IsType<WhileContext>(body!.op.Context);
        // The loop variable and, for maximum_iterations, TensorFlow's iteration counter.
        Assert.Equal(2, loop.LoopEnters.Count);
        Assert.All(loop.LoopEnters, e => Assert.Equal("Enter", e.op.type));
        Assert.Equal(2, loop.LoopExits.Count);
        Assert.All(loop.LoopExits, e => Assert.Equal("Exit", e.op.type));
        Assert.NotNull(loop.MaximumIterations);
        Assert.Equal("LoopCond", loop.Pivot!.op.type);
        Assert.True(loop.BackProp);
        Assert.Equal(10, loop.ParallelIterations);
        Assert.Same(loop, loop.EnclosingWhile);
        Assert.Equal(5, g.Eval(result).item<int>());
    }
}
