using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn.Seq2Seq;

/// <summary>
/// GatherTree (<c>tf.contrib.seq2seq.gather_tree</c>) against TensorFlow 1.15's beam_search_ops_test.py: its
/// expected beams, its error for a bad parent id, its properties on random trees, the shape function and the
/// run-time checks.
/// </summary>
public class GatherTreeTests
{
    // TensorFlow's tests write [batch, time, beam] and transpose to [time, batch, beam].
    private static int[,,] TimeMajor(int[,,] x)
    {
        var r = new int[x.GetLength(1), x.GetLength(0), x.GetLength(2)];
        for (var b = 0; b < x.GetLength(0); b++)
            for (var t = 0; t < x.GetLength(1); t++)
                for (var k = 0; k < x.GetLength(2); k++) r[t, b, k] = x[b, t, k];
        return r;
    }

    [Fact]
    public void GatherTreeOne()
    {
        using var g = TestGraph.Enter();
        var stepIds = TimeMajor(new[, ,] { { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 }, { -1, -1, -1 } } });
        var parentIds = TimeMajor(new[, ,] { { { 0, 0, 0 }, { 0, 1, 1 }, { 2, 1, 2 }, { -1, -1, -1 } } });
        var expected = TimeMajor(new[, ,] { { { 2, 2, 2 }, { 6, 5, 6 }, { 7, 8, 9 }, { 10, 10, 10 } } });
        var beams = tf.contrib.seq2seq.gather_tree(NDArray.FromArray(stepIds), NDArray.FromArray(parentIds), new[] { 3 }, 10);
        Assert.Equal("GatherTree", beams.op.type);
        Assert.Equal(new Shape(4, 1, 3), beams.shape);
        AssertArray.Close(NDArray.FromArray(expected), g.Eval(beams), 0);
    }

    [Fact]
    public void BadParentValuesOnCpu()
    {
        using var g = TestGraph.Enter();
        var stepIds = TimeMajor(new[, ,] { { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 }, { -1, -1, -1 } } });
        var parentIds = TimeMajor(new[, ,] { { { 0, 0, 0 }, { 0, -1, 1 }, { 2, 1, 2 }, { -1, -1, -1 } } });
        var beams = tf.contrib.seq2seq.gather_tree(NDArray.FromArray(stepIds), NDArray.FromArray(parentIds), new[] { 3 }, 10);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(beams));
        Assert.Contains("Saw invalid parent id -1 at (batch, time, beam) == (0, 0, 1)", e.Message);
        Assert.Equal(beams.op.name, e.NodeName);
    }

    /// <summary>The batch case of TensorFlow's earlier test (lengths 0 to 3, no end token among the ids): -1 there is end_token here.</summary>
    [Fact]
    public void GatherTreeBatch()
    {
        using var g = TestGraph.Enter();
        var stepIds = TimeMajor(new[, ,]
        {
            { { 3, 4, 0, 4, 0 }, { 4, 2, 0, 3, 1 }, { 1, 1, 3, 2, 2 }, { 3, 1, 2, 3, 4 } },
            { { 3, 4, 0, 4, 0 }, { 4, 2, 0, 3, 1 }, { 1, 1, 3, 2, 2 }, { 3, 1, 2, 3, 4 } },
            { { 1, 2, 3, 4, 2 }, { 2, 1, 1, 3, 2 }, { 3, 0, 1, 0, 0 }, { 3, 4, 0, 2, 4 } },
            { { 0, 2, 2, 3, 1 }, { 3, 2, 2, 2, 3 }, { 3, 4, 3, 0, 3 }, { 1, 2, 2, 2, 4 } },
        });
        var parentIds = TimeMajor(new[, ,]
        {
            { { 4, 2, 4, 3, 4 }, { 3, 4, 0, 2, 0 }, { 3, 1, 3, 2, 2 }, { 0, 2, 1, 4, 2 } },
            { { 4, 2, 4, 3, 4 }, { 3, 4, 0, 2, 0 }, { 3, 1, 3, 2, 2 }, { 0, 2, 1, 4, 2 } },
            { { 3, 0, 0, 4, 0 }, { 1, 2, 4, 2, 2 }, { 4, 4, 0, 3, 0 }, { 2, 4, 4, 3, 0 } },
            { { 3, 1, 4, 1, 3 }, { 3, 2, 4, 0, 4 }, { 1, 0, 1, 4, 2 }, { 0, 3, 2, 0, 1 } },
        });
        const int E = 10;
        var expected = TimeMajor(new[, ,]
        {
            { { E, E, E, E, E }, { E, E, E, E, E }, { E, E, E, E, E }, { E, E, E, E, E } },
            { { 3, 4, 0, 4, 0 }, { E, E, E, E, E }, { E, E, E, E, E }, { E, E, E, E, E } },
            { { 2, 3, 2, 3, 3 }, { 2, 1, 1, 3, 2 }, { E, E, E, E, E }, { E, E, E, E, E } },
            { { 2, 3, 2, 1, 1 }, { 2, 3, 2, 3, 2 }, { 3, 4, 3, 0, 3 }, { E, E, E, E, E } },
        });
        var beams = tf.contrib.seq2seq.gather_tree(NDArray.FromArray(stepIds), NDArray.FromArray(parentIds), new[] { 0, 1, 2, 3 }, E);
        AssertArray.Close(NDArray.FromArray(expected), g.Eval(beams), 0);
    }

    /// <summary>TensorFlow's random-tree test: end tokens past each length, and after a beam's first end token.</summary>
    [Fact]
    public void GatherTreeRandomBatchProperties()
    {
        using var g = TestGraph.Enter();
        const int batch = 10, beamWidth = 15, maxTime = 8, endToken = 5;
        int[] maxLengths = [0, 1, 2, 4, 7, 8, 9, 10, 11, 0];
        var r = new Random(3);
        var stepIds = new int[maxTime, batch, beamWidth];
        var parentIds = new int[maxTime, batch, beamWidth];
        for (var t = 0; t < maxTime; t++)
            for (var b = 0; b < batch; b++)
                for (var k = 0; k < beamWidth; k++)
                {
                    stepIds[t, b, k] = r.Next(0, endToken + 1);
                    parentIds[t, b, k] = r.Next(0, beamWidth - 1);
                }
        var beams = tf.contrib.seq2seq.gather_tree(NDArray.FromArray(stepIds), NDArray.FromArray(parentIds), maxLengths, endToken);
        var v = (int[,,])g.Eval(beams).ToMultiDimArray();
        Assert.Equal(new[] { maxTime, batch, beamWidth }, new[] { v.GetLength(0), v.GetLength(1), v.GetLength(2) });
        for (var b = 0; b < batch; b++)
            for (var k = 0; k < beamWidth; k++)
            {
                var len = Math.Min(maxTime, maxLengths[b]);
                for (var t = len; t < maxTime; t++) Assert.Equal(endToken, v[t, b, k]);
                var column = Enumerable.Range(0, maxTime).Select(t => v[t, b, k]).ToArray();
                var found = Array.IndexOf(column, endToken);
                Assert.DoesNotContain(-1, column);
                if (found < 0) continue;
                Assert.All(column[(found + 1)..], x => Assert.Equal(endToken, x));
                // Before the end token, each id is the step id of the beam's ancestor at that time.
                var parent = k;
                var ancestors = new int[len];
                for (var t = len - 1; t >= 0; t--)
                {
                    ancestors[t] = parent;
                    parent = parentIds[t, b, parent];
                }
                for (var t = 0; t < found; t++) Assert.Equal(stepIds[t, b, ancestors[t]], column[t]);
            }
    }

    [Fact]
    public void ShapeFunctionMergesStepAndParentShapesAndTheBatch()
    {
        using var g = TestGraph.Enter();
        var steps = tf.placeholder(tf.int32, new Shape(-1, -1, 4));
        var parents = tf.placeholder(tf.int32, new Shape(6, -1, -1));
        var lengths = tf.placeholder(tf.int32, new Shape(3));
        Assert.Equal(new Shape(6, 3, 4), tf.contrib.seq2seq.gather_tree(steps, parents, lengths, 1).shape);
        Assert.Equal(new Shape(-1, -1, -1), tf.contrib.seq2seq.gather_tree(tf.placeholder(tf.int32), tf.placeholder(tf.int32), tf.placeholder(tf.int32), 1).shape);
    }

    [Fact]
    public void BuildTimeErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var steps = tf.placeholder(tf.int32, new Shape(2, 3, 4));
        var e = Assert.Throws<ValueError>(() => tf.contrib.seq2seq.gather_tree(tf.placeholder(tf.int32, new Shape(2, 3)), steps, new[] { 1, 1, 1 }, 1));
        Assert.StartsWith("GatherTree", e.Message);
        Assert.Contains("Shape must be rank 3 but is rank 2", e.Message);
        e = Assert.Throws<ValueError>(() => tf.contrib.seq2seq.gather_tree(steps, tf.placeholder(tf.int32, new Shape(2, 3, 5)), new[] { 1, 1, 1 }, 1));
        Assert.StartsWith("GatherTree", e.Message);
        e = Assert.Throws<ValueError>(() => tf.contrib.seq2seq.gather_tree(steps, steps, new[] { 1, 1 }, 1));
        Assert.StartsWith("GatherTree", e.Message);
        e = Assert.Throws<ValueError>(() => tf.contrib.seq2seq.gather_tree(steps, steps, new[] { 1, 1, 1 }, new[] { 1 }));
        Assert.Contains("Shape must be rank 0 but is rank 1", e.Message);
        var t = Assert.Throws<TypeError>(() => tf.contrib.seq2seq.gather_tree(tf.placeholder(tf.int64, new Shape(2, 3, 4)), tf.placeholder(tf.int64, new Shape(2, 3, 4)), new[] { 1, 1, 1 }, 1));
        Assert.StartsWith("GatherTree", t.Message);
    }

    [Fact]
    public void RunTimeErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var steps = tf.placeholder(tf.int32, name: "steps");
        var parents = tf.placeholder(tf.int32, name: "parents");
        var lengths = tf.placeholder(tf.int32, name: "lengths");
        var beams = tf.contrib.seq2seq.gather_tree(steps, parents, lengths, 1);
        string Run(NDArray s, NDArray p, NDArray l)
        {
            var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(beams, new FeedDict { [steps] = s, [parents] = p, [lengths] = l }));
            Assert.Equal(beams.op.name, e.NodeName);
            return e.Message;
        }
        var ok = NDArray.FromArray(new int[2, 3, 4]);
        Assert.Contains("step_ids must be a 3-tensor, saw shape: [2,3]", Run(NDArray.FromArray(new int[2, 3]), ok, NDArray.FromArray(new int[3])));
        Assert.Contains("max_sequence_lengths must be a vector, saw shape: []", Run(ok, ok, NDArray.FromArray(new[] { 1 }).Reshape(Shape.Scalar)));
        Assert.Contains("step_ids.shape must match parent_ids.shape.  but shapes are: [2,3,4] and [2,3,5]", Run(ok, NDArray.FromArray(new int[2, 3, 5]), NDArray.FromArray(new int[3])));
        Assert.Contains("batch size dimensions step_ids.shape[1] and max_sequence_lengths.shape[0] must match.  but shapes are: [2,3,4] and [2]",
            Run(ok, ok, NDArray.FromArray(new int[2])));
    }
}
