using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops;

/// <summary>Regression tests for defects a review of the core found (each named after the behaviour it pins).</summary>
public class ReviewRegressionTests
{
    [Fact]
    public void FloatRangesCountInTheirOwnPrecision()
    {
        using var g = TestGraph.Enter();
        var r = tf.range(0, 0.3, 0.1); // 0.3f / 0.1f is exactly 3 in float32 (but 3.0000000745 in double)
        Assert.Equal(new Shape(3), r.shape);
        Assert.Equal(3, g.Eval(r).size);
        Assert.Equal(new Shape(3), tf.range(0L, 3_000_000_000L, 1_000_000_000L).shape);
    }

    [Fact]
    public void NameScopesBelongToTheThreadThatOpenedThem()
    {
        var g = new Graph();
        var names = new string[2];
        using var barrier = new Barrier(2);
        Parallel.For(0, 2, k =>
        {
            using (g.as_default())
            using (g.name_scope(k == 0 ? "left" : "right"))
            {
                barrier.SignalAndWait();
                names[k] = tf.constant(k, name: "c").op.name;
                barrier.SignalAndWait();
            }
        });
        Assert.Equal(new[] { "left/c", "right/c" }, names);
    }

    [Fact]
    public void AssigningTheWrongShapeToAnUninitializedVariableFails()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.zeros(new[] { 2 }));
        var p = tf.placeholder(tf.float32);
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(tf.assign(v, p), new FeedDict { [p] = new float[3] }));
        Assert.Contains("Assign requires shapes of both tensors to match. lhs shape= [2] rhs shape= [3]", e.Message);
    }

    [Fact]
    public void ChangingAnArrayAfterUsingItDoesNotChangeTheGraph()
    {
        using var g = TestGraph.Enter();
        var nd = NDArray.FromFlat(new[] { 1f, 2f }, new Shape(2));
        var y = tf.constant(0f) + nd;
        var c = tf.constant(nd);
        nd.AsSpan<float>()[0] = 100;
        Assert.Equal(new[] { 1f, 2f }, g.Eval(y).ToArray<float>());
        Assert.Equal(new[] { 1f, 2f }, g.Eval(c).ToArray<float>());
    }

    [Fact]
    public void ValueInitializersAndOneHotTakeTheirValuesDtype()
    {
        using var g = TestGraph.Enter();
        Assert.Equal(tf.int32, tf.get_variable("c", initializer: NDArray.FromFlat(new[] { 1, 2 }, new Shape(2))).dtype);
        Assert.Equal(tf.int32, tf.one_hot(new[] { 0, 1 }, 3, on_value: 5, off_value: 0).dtype);
        Assert.Equal(tf.float32, tf.one_hot(new[] { 0, 1 }, 3).dtype);
    }

    [Fact]
    public void IntegerFeedsNarrowWhenTheValuesFit()
    {
        using var g = TestGraph.Enter();
        var labels = tf.placeholder(tf.int32, new[] { -1 }, name: "labels");
        using var sess = tf.Session();
        Assert.Equal(6, (int)sess.run(tf.reduce_sum(labels), new FeedDict { [labels] = new long[] { 1, 2, 3 } }));
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(tf.reduce_sum(labels), new FeedDict { [labels] = new[] { 1L << 40 } }));
        Assert.Contains("out of range", e.Message);
    }

    [Fact]
    public void LargeZerosLikeIsAFillNotAHugeConstant()
    {
        using var g = TestGraph.Enter();
        var w = tf.placeholder(tf.float32, new[] { 100, 100 });
        Assert.Equal("Fill", tf.zeros_like(w).op.type);
        Assert.Equal("Const", tf.ones_like(tf.zeros((2, 2))).op.type);
    }

    [Fact]
    public void SetShapeOnAVariableReachesItsSnapshot()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.placeholder_with_default(tf.zeros(new[] { 3 }), new[] { -1 }), validate_shape: false);
        v.SetShape(new Shape(3));
        Assert.Equal(new Shape(3), (v * 2).shape);
    }

    [Fact]
    public void SingleNamedAddNIsAnIdentity()
    {
        using var g = TestGraph.Enter();
        Assert.Equal("total:0", tf.add_n(new[] { tf.constant(1) }, name: "total").name);
    }

    [Fact]
    public void InteractiveSessionStopsBeingTheDefaultWhenClosed()
    {
        using var g = TestGraph.Enter();
        var s = tf.InteractiveSession();
        Assert.Same(s, tf.get_default_session());
        Assert.Equal(3, (int)tf.constant(3).eval());
        s.close();
        Assert.Null(tf.get_default_session());
    }

    [Fact]
    public void MalformedScalarAndShapeArgumentsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.zeros((2, 2));
        Assert.Contains("ConcatV2 \"concat\": concatenating dimension must be a scalar",
            Assert.Throws<ValueError>(() => tf.concat(new[] { x, x }, Array.Empty<int>())).Message);
        Assert.Contains("is not a valid dimension", Assert.Throws<ValueError>(() => tf.reshape(x, new[] { 4L << 30 })).Message);
        Assert.Contains("depth must be a scalar", Assert.Throws<ValueError>(() => tf.one_hot(new[] { 1 }, Array.Empty<int>())).Message);
        Assert.Contains("num must be a scalar", Assert.Throws<ValueError>(() => tf.linspace(0.0, 1.0, Array.Empty<int>())).Message);
        Assert.Throws<TypeError>(() => tf.group(x.op, null!));
        var limit = tf.placeholder(tf.int32);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.range(limit), new FeedDict { [limit] = new[] { 1, 2 } }));
        Assert.Contains("limit must be a scalar", e.Message);
    }

    [Fact]
    public void LockedUpdatesFromManyThreadsAreNotLost()
    {
        using var g = TestGraph.Enter();
        var counter = tf.Variable(0L);
        var inc = counter.assign_add(1L, use_locking: true);
        using var sess = tf.Session();
        sess.run(counter.initializer);
        Parallel.For(0, 2000, _ => sess.run(inc.op));
        Assert.Equal(2000L, (long)sess.run(counter));
    }
}
