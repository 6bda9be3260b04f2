using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.State;

/// <summary>tf.variable_scope / tf.get_variable with TensorFlow 1.x's reuse rules and error texts (the seed's §2; tensorflow/python/ops/variable_scope.py).</summary>
public class VariableScopeTests
{
    [Fact]
    public void NamesComeFromVariableScopesOnly()
    {
        using var g = TestGraph.Enter();
        using (tf.name_scope("outer"))
        using (tf.variable_scope("foo"))
        using (tf.variable_scope("bar"))
        {
            var v = tf.get_variable("v", new[] { 1 });
            Assert.Equal("foo/bar/v:0", v.name);
            Assert.Equal("foo/bar/v/Assign", v.initializer.name);
            Assert.Equal("foo/bar/v/read:0", v.value().name);
            // Ops still take the name scopes.
            Assert.Equal("outer/foo/bar/Const:0", tf.constant(1).name);
        }
        Assert.NotNull(g.Graph.get_operation_by_name("foo/bar/v/Initializer/random_uniform"));
    }

    [Fact]
    public void CreatingAnExistingVariableWithoutReuseFails()
    {
        using var g = TestGraph.Enter();
        using (tf.variable_scope("foo")) tf.get_variable("v", new[] { 1 });
        var e = Assert.Throws<ValueError>(() =>
        {
            using (tf.variable_scope("foo")) tf.get_variable("v", new[] { 1 });
        });
        Assert.Equal("Variable foo/v already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?", e.Message);
    }

    [Fact]
    public void ReuseReturnsTheExistingVariableAndChecksIt()
    {
        using var g = TestGraph.Enter();
        Variable v;
        using (tf.variable_scope("foo")) v = tf.get_variable("v", new[] { 2, 3 });
        using (tf.variable_scope("foo", reuse: true))
        {
            Assert.Same(v, tf.get_variable("v", new[] { 2, 3 }));
            Assert.Same(v, tf.get_variable("v"));
            Assert.Equal("Trying to share variable foo/v, but specified shape (3, 2) and found shape (2, 3).",
                Assert.Throws<ValueError>(() => tf.get_variable("v", new[] { 3, 2 })).Message);
            Assert.Equal("Trying to share variable foo/v, but specified dtype float64 and found dtype float32.",
                Assert.Throws<ValueError>(() => tf.get_variable("v", dtype: tf.float64)).Message);
            Assert.Equal("Variable foo/w does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?",
                Assert.Throws<ValueError>(() => tf.get_variable("w", new[] { 1 })).Message);
        }
    }

    [Fact]
    public void ReuseIsInheritedAndCannotBeSwitchedOffBelow()
    {
        using var g = TestGraph.Enter();
        using (tf.variable_scope("a", reuse: true))
        {
            Assert.True(tf.get_variable_scope().reuse.IsTrue);
            using (tf.variable_scope("b"))
                Assert.True(tf.get_variable_scope().reuse.IsTrue);
            using (tf.variable_scope("c", reuse: false))
                Assert.True(tf.get_variable_scope().reuse.IsTrue); // False means "inherit" in TensorFlow 1.x
        }
        Assert.False(tf.get_variable_scope().reuse.IsSet);
    }

    [Fact]
    public void ReuseVariablesSwitchesTheCurrentScope()
    {
        using var g = TestGraph.Enter();
        using var scope = tf.variable_scope("layer");
        var w = tf.get_variable("w", new[] { 1 });
        scope.reuse_variables();
        Assert.Same(w, tf.get_variable("w", new[] { 1 }));
    }

    [Fact]
    public void AutoReuseGetsOrCreates()
    {
        using var g = TestGraph.Enter();
        Variable Make()
        {
            using (tf.variable_scope("shared", reuse: tf.AUTO_REUSE)) return tf.get_variable("x", new[] { 1 });
        }
        var first = Make();
        Assert.Same(first, Make());
        Assert.Single(tf.global_variables());
    }

    [Fact]
    public void CapturedScopesCanBeReentered()
    {
        using var g = TestGraph.Enter();
        VariableScope captured;
        Variable v;
        using (var s = tf.variable_scope("model"))
        {
            captured = s;
            v = tf.get_variable("v", new[] { 1 });
        }
        Assert.Equal("model/", captured.original_name_scope);
        using (tf.variable_scope(captured, reuse: true))
        {
            Assert.Same(v, tf.get_variable("v"));
            Assert.Equal("model_1/Const:0", tf.constant(1).name); // a new name scope, as TensorFlow opens
        }
    }

    [Fact]
    public void DefaultNamesAreMadeUnique()
    {
        using var g = TestGraph.Enter();
        using (var s = tf.variable_scope(null, default_name: "dense")) Assert.Equal("dense", s.name);
        using (var s = tf.variable_scope(null, default_name: "dense")) Assert.Equal("dense_1", s.name);
        Assert.Throws<TypeError>(() => tf.variable_scope((string?)null));
        Assert.Equal("reuse=True cannot be used without a name_or_scope",
            Assert.Throws<ValueError>(() => tf.variable_scope(null, default_name: "x", reuse: true)).Message);
    }

    [Fact]
    public void DefaultInitializersDependOnTheDtype()
    {
        using var g = TestGraph.Enter();
        var f = tf.get_variable("f", new[] { 100, 50 });
        var i = tf.get_variable("i", new[] { 3 }, dtype: tf.int32);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var limit = Math.Sqrt(6.0 / 150);
        Assert.All(sess.run(f).ToArray<float>(), x => Assert.InRange(x, -limit, limit));
        Assert.Equal(new[] { 0, 0, 0 }, sess.run(i).ToArray<int>());
    }

    [Fact]
    public void ScopeInitializersAndValueInitializers()
    {
        using var g = TestGraph.Enter();
        Variable a, b;
        using (tf.variable_scope("s", initializer: tf.constant_initializer(0.5)))
        {
            a = tf.get_variable("a", new[] { 2 });
            b = tf.get_variable("b", initializer: tf.constant(new[] { 1, 2, 3 }));
        }
        Assert.Equal(new Shape(3), b.shape);
        Assert.Equal(tf.int32, b.dtype);
        Assert.Equal("If initializer is a constant, do not specify shape.",
            Assert.Throws<ValueError>(() => tf.get_variable("c", new[] { 3 }, initializer: tf.constant(new[] { 1, 2, 3 }))).Message);
        Assert.Equal("Shape of a new variable (d) must be fully defined, but instead was (?, 2).",
            Assert.Throws<ValueError>(() => tf.get_variable("d", new[] { -1, 2 })).Message);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new[] { 0.5f, 0.5f }, sess.run(a).ToArray<float>());
        Assert.Equal(new[] { 1, 2, 3 }, sess.run(b).ToArray<int>());
    }

    [Fact]
    public void GetVariableHonoursTrainableAndCollections()
    {
        using var g = TestGraph.Enter();
        var frozen = tf.get_variable("frozen", new[] { 1 }, trainable: false);
        var custom = tf.get_variable("custom", new[] { 1 }, collections: [tf.GraphKeys.GLOBAL_VARIABLES, "mine"]);
        Assert.DoesNotContain(frozen, tf.trainable_variables());
        Assert.Contains(custom, tf.get_collection<Variable>("mine"));
    }
}
