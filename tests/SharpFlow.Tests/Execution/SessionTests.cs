using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution;

public class SessionTests
{
    [Fact]
    public void RunsTensorsListsOperationsAndTuples()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(3);
        var b = tf.constant(4);
        var v = tf.Variable(0);
        var inc = v.assign_add(1);
        using var sess = tf.Session();
        Assert.Equal(7, (int)sess.run(a + b));
        var both = sess.run(new[] { a, b });
        Assert.Equal(new[] { 3, 4 }, both.Select(x => (int)x));
        sess.run(v.initializer);
        var (op, value) = sess.run((inc.op, a));
        Assert.Null(op); // an operation has no value
        Assert.Equal(3, (int)value);
        Assert.Equal(1, (int)sess.run(v));
        var (x, y) = sess.run((a, b));
        Assert.Equal(12, (int)x * (int)y);
        var mixed = sess.run(new ITensorOrOperation[] { inc.op, a, inc });
        Assert.Null(mixed[0]);
        Assert.Equal(3, (int)mixed[1]!);
        Assert.Equal(2, (int)mixed[2]!); // the same op runs once per run, even when fetched twice
        Assert.Equal(2, (int)sess.run(v));
    }

    [Fact]
    public void FeedsAreCheckedAgainstThePlaceholder()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new[] { -1, 2 }, name: "x");
        var i = tf.placeholder(tf.int32, name: "i");
        var y = tf.reduce_sum(x);
        using var sess = tf.Session();
        Assert.Equal(10f, (float)sess.run(y, new FeedDict { [x] = new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } } })); // float64 values fed to float32
        Assert.Equal(3f, (float)sess.run(y, new FeedDict { [x] = new[,] { { 1, 2 } } }));                      // ints become floats

        var shape = Assert.Throws<InvalidArgumentError>(() => sess.run(y, new FeedDict { [x] = new[] { 1f, 2f, 3f } }));
        Assert.Equal("Cannot feed value of shape (3,) for Tensor 'x:0', which has shape '(?, 2)'", shape.RawMessage);
        var dtype = Assert.Throws<InvalidArgumentError>(() => sess.run(i * 2, new FeedDict { [i] = new[] { 1.5f } }));
        Assert.Equal("Cannot feed value of dtype float32 for Tensor 'i:0', which has dtype int32", dtype.RawMessage);
        var missing = Assert.Throws<InvalidArgumentError>(() => sess.run(y));
        Assert.Equal("You must feed a value for placeholder tensor 'x' with dtype float and shape [?,2]", missing.RawMessage);
        Assert.Equal("x", missing.NodeName);
    }

    [Fact]
    public void RunsArePrunedToWhatTheFetchesNeed()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var hidden = x * 2;
        var unrelated = tf.placeholder(tf.float32, name: "unrelated") + 1;
        var c = tf.constant(5f);
        using var sess = tf.Session();
        Assert.Equal(5f, (float)sess.run(c)); // no placeholder is needed
        // Feeding an intermediate tensor cuts the graph there: x need not be fed.
        Assert.Equal(4f, (float)sess.run(hidden + 1, new FeedDict { [hidden] = 3f }));
        _ = unrelated;
    }

    [Fact]
    public void PlansAreCachedPerSignature()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var y = x * 3;
        using var sess = tf.Session();
        for (var k = 0; k < 5; k++) Assert.Equal(3f * k, (float)sess.run(y, new FeedDict { [x] = (float)k }));
        Assert.Equal(1, sess.PlanCount);
        sess.run(x + 1, new FeedDict { [x] = 1f });
        Assert.Equal(2, sess.PlanCount);
    }

    [Fact]
    public void ForeignTensorsAndClosedSessionsAreRejected()
    {
        Tensor foreign;
        using (new Graph().as_default()) foreign = tf.constant(1, name: "foreign");
        using var g = TestGraph.Enter();
        var sess = tf.Session();
        var e = Assert.Throws<ValueError>(() => sess.run(foreign));
        Assert.Contains("is not an element of this graph", e.Message);
        sess.close();
        var closed = Assert.Throws<FailedPreconditionError>(() => sess.run(tf.constant(1)));
        Assert.Equal("Attempted to use a closed Session.", closed.Message);
        sess.Dispose(); // closing twice is harmless
    }

    [Fact]
    public void RunTimeErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var a = tf.placeholder(tf.int32, name: "a");
        var q = tf.floordiv(a, tf.constant(new[] { 0, 1 }), name: "quotient");
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(q, new FeedDict { [a] = new[] { 4, 5 } }));
        Assert.Equal("Integer division by zero", e.RawMessage);
        Assert.Equal("quotient", e.NodeName);

        var r = tf.reshape(tf.placeholder(tf.float32, name: "r"), new[] { 2, -1 });
        var bad = Assert.Throws<InvalidArgumentError>(() => sess.run(r, new FeedDict { [g.Graph.get_tensor_by_name("r:0")] = new[] { 1f, 2f, 3f } }));
        Assert.Contains("Input to reshape is a tensor with 3 values, but the requested shape requires a multiple of 2", bad.Message);
    }

    [Fact]
    public void EvalUsesTheDefaultSession()
    {
        using var g = TestGraph.Enter();
        var c = tf.constant(new[] { 1, 2 });
        Assert.Throws<ValueError>(() => c.eval());
        using var sess = tf.Session();
        using (sess.as_default())
        {
            Assert.Equal("[1 2]", c.eval().ToString());
            Assert.Same(sess, tf.get_default_session());
        }
        Assert.Null(tf.get_default_session());
    }

    [Fact]
    public void OneSessionServesRunsFromSeveralThreads()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new[] { -1, 3 });
        var w = tf.Variable(new[,] { { 1f }, { 2f }, { 3f } });
        var y = tf.matmul(x, w);
        using var sess = tf.Session();
        sess.run(w.initializer);
        Parallel.For(0, 64, k =>
        {
            var value = sess.run(y, new FeedDict { [x] = new[,] { { k, 1f, 0f } } });
            Assert.Equal(k + 2f, (float)value);
        });
    }
}
