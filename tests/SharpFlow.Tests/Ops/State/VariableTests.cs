using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.State;

public class VariableTests
{
    [Fact]
    public void AVariableIsBuiltLikeTensorFlowsRefVariable()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } });
        Assert.Equal("Variable:0", w.name);
        Assert.Equal("VariableV2", w.op.type);
        Assert.Equal(tf.float32, w.dtype);
        Assert.Equal(new Shape(2, 2), w.shape);
        Assert.Equal("Variable/Assign", w.initializer.name);
        Assert.Equal("Variable/read:0", w.value().name);
        Assert.Equal("Variable/initial_value:0", w.initial_value.name);
        Assert.Equal("<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32_ref>", w.ToString());
        Assert.Equal("Variable_1:0", tf.Variable(0).name);
        // Used in an op, a variable stands for its snapshot.
        Assert.Equal("Variable/read", (w * 2).op.inputs[0].op.name);
    }

    [Fact]
    public void VariablesJoinTheirCollections()
    {
        using var g = TestGraph.Enter();
        var a = tf.Variable(1.0, name: "a");
        var b = tf.Variable(2.0, trainable: false, name: "b");
        var c = tf.Variable(3.0, collections: ["custom"], name: "c");
        Assert.Equal(new[] { a, b }, tf.global_variables());
        Assert.Equal(new[] { a, c }, tf.trainable_variables());
        Assert.Equal(new object[] { c }, tf.get_collection("custom"));
    }

    [Fact]
    public void ReadingBeforeInitializationIsAFailedPrecondition()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(tf.zeros(new[] { 2 }), name: "weights");
        var y = w + 1;
        using var sess = tf.Session();
        var e = Assert.Throws<FailedPreconditionError>(() => sess.run(y));
        Assert.Equal("Attempting to use uninitialized value weights", e.RawMessage);
        Assert.Equal("weights/read", e.NodeName);
        Assert.Equal("Attempting to use uninitialized value weights\n\t [[{{node weights/read}}]]", e.Message);
        Assert.Throws<FailedPreconditionError>(() => sess.run(w));
        Assert.Throws<FailedPreconditionError>(() => sess.run(w.assign_add(tf.ones(new[] { 2 }))));
    }

    [Fact]
    public void InitializersAssignAndOpsUpdate()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[] { 1, 2, 3 });
        using var sess = tf.Session();
        sess.run(v.initializer);
        AssertArray.Equal(new[] { 1, 2, 3 }, sess.run(v));
        AssertArray.Equal(new[] { 11, 12, 13 }, sess.run(v.assign_add(new[] { 10, 10, 10 })));
        AssertArray.Equal(new[] { 10, 11, 12 }, sess.run(tf.assign_sub(v, new[] { 1, 1, 1 })));
        AssertArray.Equal(new[] { 7, 8, 9 }, sess.run(v.assign(new[] { 7, 8, 9 })));
        AssertArray.Equal(new[] { 7, 8, 9 }, sess.run(v));
    }

    [Fact]
    public void FetchedValuesAreSnapshots()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[] { 1f, 2f });
        var inc = v.assign_add(new[] { 1f, 1f });
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var before = sess.run(v);
        sess.run(inc);
        Assert.Equal(new[] { 1f, 2f }, before.ToArray<float>());
        // Fetching the value and the update in one run: the value is taken when it is computed.
        var both = sess.run(new ITensorOrOperation[] { v.value(), inc.op });
        Assert.Equal(new[] { 2f, 3f }, both[0]!.ToArray<float>());
        Assert.Null(both[1]); // an operation fetch has no value
    }

    [Fact]
    public void AssignChecksShapesAndDtypes()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[] { 1f, 2f });
        Assert.Contains("Shapes must be equal", Assert.Throws<ValueError>(() => v.assign(new[] { 1f, 2f, 3f })).Message);
        Assert.Contains("Tensor conversion requested dtype float32 for Tensor with dtype float64",
            Assert.Throws<ValueError>(() => v.assign(tf.constant(new[] { 1.0, 2.0 }, tf.float64))).Message);
        var free = tf.Variable(new[] { 1f }, validate_shape: false);
        Assert.Equal(Shape.Unknown, free.shape);
        using var sess = tf.Session();
        sess.run(free.initializer);
        sess.run(tf.assign(free, new[] { 1f, 2f, 3f }, validate_shape: false));
        Assert.Equal(new Shape(3), sess.run(free).shape);
    }

    [Fact]
    public void InitializersCanBeListedOrGlobal()
    {
        using var g = TestGraph.Enter();
        var a = tf.Variable(1, name: "a");
        var b = tf.Variable(2, name: "b");
        var init = tf.global_variables_initializer();
        Assert.Equal("init", init.name);
        Assert.Equal("NoOp", init.type);
        Assert.Equal(new[] { a.initializer, b.initializer }, init.control_inputs);
        using var sess = tf.Session();
        sess.run(tf.variables_initializer([b]));
        Assert.Equal(2, (int)sess.run(b));
        Assert.Throws<FailedPreconditionError>(() => sess.run(a));
        Assert.Equal("NoOp", tf.variables_initializer([]).type);
        Assert.False((bool)sess.run(tf.is_variable_initialized(a)));
        sess.run(init);
        Assert.True((bool)sess.run(tf.is_variable_initialized(a)));
    }

    [Fact]
    public void InitializedValueInitializesOneVariableFromAnother()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(tf.random_normal(new[] { 3 }, seed: 1));
        var w2 = tf.Variable(w.initialized_value() * 2.0);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var v = sess.run(w).ToArray<float>();
        Assert.Equal(v.Select(x => x * 2), sess.run(w2).ToArray<float>());
        // Once w is initialized, initialized_value() reads it rather than drawing a new initial value.
        sess.run(w2.initializer);
        Assert.Equal(v.Select(x => x * 2), sess.run(w2).ToArray<float>());
    }

    [Fact]
    public void VariablesIgnoreControlDependenciesAndNeedAShape()
    {
        using var g = TestGraph.Enter();
        var c = tf.constant(1);
        using (tf.control_dependencies([c.op]))
        {
            var v = tf.Variable(2);
            Assert.Empty(v.initializer.control_inputs);
        }
        var p = tf.placeholder(tf.float32, new[] { -1 });
        Assert.Contains("initial_value must have a shape specified", Assert.Throws<ValueError>(() => tf.Variable(p)).Message);
    }

    [Fact]
    public void SessionsKeepTheirOwnValues()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(0);
        var inc = v.assign_add(1);
        using var s1 = tf.Session();
        using var s2 = tf.Session();
        s1.run(v.initializer);
        s2.run(v.initializer);
        s1.run(inc);
        s1.run(inc);
        Assert.Equal(2, (int)s1.run(v));
        Assert.Equal(0, (int)s2.run(v));
    }
}
