using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops;

/// <summary>TensorFlow behaviours of individual ops that the golden table does not cover.</summary>
public class OpBehaviourTests
{
    [Fact]
    public void IntegerMeanTruncatesAsTensorFlow()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 1, -1 }, g.Eval(tf.reduce_mean(tf.constant(new[,] { { 1, 2 }, { -1, -2 } }), 1)));
        AssertArray.Equal(new[] { 2.5f }, g.Eval(tf.reduce_mean(tf.constant(new[,] { { 1f, 4f } }), 1)));
        Assert.True(float.IsNaN((float)g.Eval(tf.reduce_mean(tf.zeros(new[] { 0 })))));
    }

    [Fact]
    public void DivisionFollowsPython3AndTensorFlow1()
    {
        using var g = TestGraph.Enter();
        var seven = tf.constant(7);
        var two = tf.constant(2);
        Assert.Equal(tf.float64, (seven / two).dtype); // int32 true division gives float64
        Assert.Equal(3.5, (double)g.Eval(seven / two));
        Assert.Equal(3, (int)g.Eval(tf.div(seven, two)));      // TF 1.x tf.div floors integers
        Assert.Equal(-4, (int)g.Eval(tf.floordiv(-7, two)));
        Assert.Equal(1, (int)g.Eval(tf.floormod(-7, two)));
        Assert.Equal(tf.float32, (tf.constant(new byte[] { 3 }) / tf.constant(new byte[] { 2 })).dtype);
    }

    [Fact]
    public void IntegerPowersAreExactAndRejectNegativeExponents()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new long[] { 1, 3, 81 }, g.Eval(tf.pow(tf.constant(new long[] { 5, 3, 3 }), tf.constant(new long[] { 0, 1, 4 }))));
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.pow(tf.constant(2), tf.constant(-1))));
        Assert.Equal("Integers to negative integer powers are not allowed", e.RawMessage);
    }

    [Fact]
    public void OneHotSupportsAxisAndLeavesOutOfRangeRowsOff()
    {
        using var g = TestGraph.Enter();
        var t = tf.one_hot(new[] { 0, 5, 1 }, 3, axis: 0);
        Assert.Equal(new Shape(3, 3), t.shape);
        AssertArray.Equal(new[] { 1f, 0, 0, 0, 0, 1, 0, 0, 0 }, g.Eval(t));
        AssertArray.Equal(new[] { 0, 7, 7, 0 }, g.Eval(tf.one_hot(new[] { 1, 0 }, 2, on_value: 7, off_value: 0, dtype: tf.int32)));
    }

    [Fact]
    public void CastsFollowCpp()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 1, -1, 0 }, g.Eval(tf.cast(new[] { 1.9f, -1.9f, 0.4f }, tf.int32)));
        AssertArray.Equal(new[] { true, false, true }, g.Eval(tf.cast(new[] { 2, 0, -1 }, tf.@bool)));
        AssertArray.Equal(new[] { 1.0, 0.0 }, g.Eval(tf.cast(new[] { true, false }, tf.float64)));
        var x = tf.constant(1f);
        Assert.Same(x, tf.cast(x, tf.float32)); // no op when the dtype already matches
    }

    [Fact]
    public void WhereSelectsElementsRowsOrGivesCoordinates()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(new[,] { { 1, 2 }, { 3, 4 } });
        var b = tf.constant(new[,] { { 9, 9 }, { 9, 9 } });
        AssertArray.Equal(new[] { 1, 9, 9, 4 }, g.Eval(tf.where(new[,] { { true, false }, { false, true } }, a, b)));
        AssertArray.Equal(new[] { 9, 9, 3, 4 }, g.Eval(tf.where(new[] { false, true }, a, b)));
        AssertArray.Equal(new long[] { 0, 1, 1, 0 }, g.Eval(tf.where(new[,] { { false, true }, { true, false } })));
        Assert.Throws<ValueError>(() => tf.where(new[] { true, false, true }, a, b));
    }

    [Fact]
    public void AddNSumsListsAndCollections()
    {
        using var g = TestGraph.Enter();
        tf.add_to_collection(tf.GraphKeys.LOSSES, tf.constant(1.5f));
        tf.add_to_collection(tf.GraphKeys.LOSSES, tf.constant(2f));
        Assert.Equal(3.5f, (float)g.Eval(tf.add_n(tf.get_collection(tf.GraphKeys.LOSSES))));
        Assert.Equal(6, (int)g.Eval(tf.add_n(new[] { tf.constant(1), tf.constant(2), tf.constant(3) })));
        Assert.Throws<ValueError>(() => tf.add_n(new[] { tf.zeros(new[] { 2 }), tf.zeros(new[] { 3 }) }));
    }

    [Fact]
    public void ShapeOpsWorkOnDynamicShapes()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new[] { -1, 3 });
        var feed = new FeedDict { [x] = new float[4, 3] };
        AssertArray.Equal(new[] { 4, 3 }, g.Eval(tf.shape(x), feed));
        var wide = g.Eval(tf.shape(x, out_type: tf.int64), feed);
        Assert.Equal(DType.int64, wide.dtype);
        Assert.Equal(new long[] { 4, 3 }, wide.ToArray<long>());
        Assert.Empty(g.Eval(tf.shape(tf.placeholder(tf.float32, Shape.Unknown)), new FeedDict { [tf.get_default_graph().get_tensor_by_name("Placeholder_1:0")] = 2f }).ToArray<int>());
        var bad = Assert.Throws<TypeError>(() => tf.shape(x, out_type: tf.float32, name: "bad")).Message;
        Assert.Contains("Value for attr 'out_type' of float32 is not in the list of allowed values: int32, int64", bad, StringComparison.Ordinal);
        Assert.Contains("bad", bad, StringComparison.Ordinal);
        Assert.Equal(12, (int)g.Eval(tf.size(x), feed));
        Assert.Equal(2, (int)g.Eval(tf.rank(x), feed));
        Assert.Equal(new Shape(6, 2), g.Eval(tf.reshape(x, new[] { -1, 2 }), feed).shape);
        Assert.Equal(new Shape(4, 1, 3), g.Eval(tf.expand_dims(x, 1), feed).shape);
        Assert.Equal(new Shape(4, 3), g.Eval(tf.squeeze(tf.expand_dims(x, -1)), feed).shape);
        Assert.Equal(new Shape(4, 3), g.Eval(tf.zeros(tf.shape(x)), feed).shape);
        Assert.Equal(3f * 4, (float)g.Eval(tf.reduce_sum(tf.ones_like(x, optimize: false)), feed));
        Assert.Equal(new Shape(3, 4), g.Eval(tf.transpose(x), feed).shape);
        Assert.Contains("Can not squeeze dim[1]", Assert.Throws<ValueError>(() => tf.squeeze(x, [1])).Message);
    }

    [Fact]
    public void PlaceholderWithDefaultPassesThroughUnlessFed()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder_with_default(tf.constant(new[] { 1, 2 }), new[] { -1 });
        AssertArray.Equal(new[] { 1, 2 }, g.Eval(p));
        AssertArray.Equal(new[] { 5 }, g.Eval(p, new FeedDict { [p] = new[] { 5 } }));
    }

    [Fact]
    public void ConstantGeneratorsFollowTensorFlow1()
    {
        using var g = TestGraph.Enter();
        Assert.Equal("Const", tf.zeros((2, 3)).op.type);         // small: a constant
        Assert.Equal("Fill", tf.zeros((100, 100)).op.type);      // large: a Fill op
        Assert.Equal(0f, (float)g.Eval(tf.reduce_sum(tf.zeros((100, 100)))));
        Assert.Equal(tf.int32, tf.range(5).dtype);
        Assert.Equal(tf.float32, tf.range(0, 1.5, 0.5).dtype);
        AssertArray.Equal(new[] { 0f, 0.5f, 1f }, g.Eval(tf.range(0, 1.5, 0.5)));
        AssertArray.Equal(new long[] { 4, 2 }, g.Eval(tf.range(4L, 0L, -2L)));
        Assert.Contains("Requires delta != 0", Assert.Throws<ValueError>(() => tf.range(0, 3, 0)).Message);
        Assert.Equal(tf.int64, tf.zeros_like(tf.constant(new[] { 1 }), dtype: tf.int64).dtype);
        Assert.Equal("Identity", tf.concat(new[] { tf.constant(new[] { 1 }) }, 0).op.type);
        AssertArray.Equal(new[] { 9f, 9f }, g.Eval(tf.fill(new[] { 2 }, 9f)));
        Assert.Equal(new Shape(2, 3), tf.constant(7, shape: (2, 3)).shape);
        Assert.Throws<TypeError>(() => tf.constant(new[] { 1, 2 }, verify_shape: true, shape: (2, 1)));
    }

    [Fact]
    public void GroupAndNoOpRunTheirDependencies()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(0);
        var both = tf.group(v.assign_add(1), v.assign_add(10));
        using var sess = tf.Session();
        sess.run(v.initializer);
        sess.run(both);
        Assert.Equal(11, (int)sess.run(v));
        Assert.Equal("NoOp", tf.no_op().type);
    }
}
