using SharpFlow.Execution;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution;

/// <summary>
/// The run's buffer pool is best-fit: a tensor takes a free buffer of its dtype up to <see cref="RunMemory.FitRatio"/>
/// times its length, seeing only its own elements. These tests pin down what that shares, what it must not, that
/// a value living in a longer buffer behaves as an ordinary array (and reaches the caller as one), and that a steady
/// training loop still allocates no new buffers.
/// </summary>
public class BestFitPoolTests
{
    private static NDArray Values(int n, float scale) =>
        NDArray.FromFlat(Enumerable.Range(0, n).Select(i => scale * ((i % 37) / 37f - 0.5f)).ToArray(), new Shape(n));

    /// <summary>exp(x) of 1000 elements, its first <paramref name="keep"/> sliced off, exp again, summed.</summary>
    private static (Tensor X, Tensor Smaller, Tensor Sum) Chain(int keep)
    {
        var x = tf.placeholder(tf.float32, new Shape(1000));
        var a = tf.exp(x);                                            // 1000 elements, dies after the slice
        var b = tf.slice(a, new[] { 0 }, new[] { keep });             // keep elements
        var c = tf.exp(b);                                            // keep elements: may take a's buffer
        return (x, c, tf.reduce_sum(c));
    }

    private static float[] Expected(NDArray x, int keep) =>
        x.ToArray<float>().Take(keep).Select(v => MathF.Exp(MathF.Exp(v))).ToArray();

    [Fact]
    public void ASmallerTensorTakesTheBufferOfALargerDeadOne()
    {
        using var g = TestGraph.Enter();
        var (x, smaller, sum) = Chain(keep: 600);
        using var sess = tf.Session();
        var feed = Values(1000, 1);
        for (var run = 0; run < 3; run++)
        {
            var total = sess.run(sum, new FeedDict { [x] = feed });
            Assert.Equal(Expected(feed, 600).Sum(), total.item<float>(), 1e-3);
        }
        // Kept: exp(x)'s 1000 elements (reused by the second exp) and the slice's 600; with buffers of exact sizes
        // only, the second exp would need 600 more. The fetched sum leaves the pool, so each run allocates its 4 bytes.
        Assert.Equal((1000 + 600) * 4L, sess.PooledBytes);
        Assert.Equal(4, sess.AllocatedBytes);
    }

    [Fact]
    public void ABufferMoreThanTwiceTheRequestIsNotTaken()
    {
        using var g = TestGraph.Enter();
        var (x, _, sum) = Chain(keep: 400);
        using var sess = tf.Session();
        var feed = Values(1000, 1);
        for (var run = 0; run < 3; run++) Assert.Equal(Expected(feed, 400).Sum(), sess.run(sum, new FeedDict { [x] = feed }).item<float>(), 1e-3);
        Assert.Equal((1000 + 400 + 400) * 4L, sess.PooledBytes);
    }

    [Fact]
    public void AFetchedValueInALongerBufferReachesTheCallerAsItsOwnArray()
    {
        using var g = TestGraph.Enter();
        var (x, smaller, sum) = Chain(keep: 600);
        using var sess = tf.Session();
        var results = new List<(NDArray Feed, NDArray Smaller, float[] Then)>();
        for (var run = 0; run < 4; run++)
        {
            var feed = Values(1000, run + 1);
            var (value, _) = sess.run((smaller, sum), new FeedDict { [x] = feed });
            Assert.Equal(600, value.size);
            Assert.Equal(600, value.Storage.Length); // a copy of its elements, not the pooled buffer
            results.Add((feed, value, value.ToArray<float>()));
        }
        // Later runs reuse the buffer the value was computed in; what the caller holds does not change.
        foreach (var (feed, value, then) in results)
        {
            Assert.Equal(then, value.ToArray<float>());
            var expected = Expected(feed, 600);
            for (var i = 0; i < 600; i++) Assert.True(Math.Abs(expected[i] - then[i]) <= 1e-5f * expected[i], $"element {i}: {then[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void ASteadyTrainingLoopAllocatesNoNewBuffersAndTheBestFitKeepsLessThanExactSizes()
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, 12, 12, 1));
        var labels = tf.placeholder(tf.int32, new Shape(-1));
        tf.set_random_seed(1);
        var conv = tf.layers.conv2d(images, 8, 3, padding: "same", activation: tf.nn.relu);
        var pooled = tf.layers.max_pooling2d(conv, 2, 2);
        var conv2 = tf.layers.conv2d(pooled, 12, 3, padding: "valid", activation: tf.nn.relu);
        var logits = tf.layers.dense(tf.layers.flatten(tf.layers.average_pooling2d(conv2, 2, 2)), 10);
        var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
        var train = tf.train.AdamOptimizer(0.01).minimize(loss);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var feed = new FeedDict
        {
            [images] = NDArray.FromFlat(Enumerable.Range(0, 32 * 144).Select(i => (i % 17) / 17f).ToArray(), new Shape(32, 12, 12, 1)),
            [labels] = NDArray.FromFlat(Enumerable.Range(0, 32).Select(i => i % 10).ToArray(), new Shape(32)),
        };
        var losses = new List<float>();
        for (var i = 0; i < 4; i++) losses.Add(sess.run((train, loss), feed).Item2.item<float>());
        for (var i = 0; i < 6; i++)
        {
            losses.Add(sess.run((train, loss), feed).Item2.item<float>());
            Assert.InRange(sess.AllocatedBytes, 0, 4); // at most the fetched loss, which leaves the pool
        }
        Assert.True(losses[^1] < losses[0], string.Join(", ", losses));
        Assert.True(sess.PooledBytes < sess.RequestedBytes, $"kept {sess.PooledBytes} of {sess.RequestedBytes} bytes requested");
    }

    [Fact]
    public void AnArrayOverALongerBufferShowsOnlyItsElements()
    {
        var buffer = new float[10];
        for (var i = 0; i < buffer.Length; i++) buffer[i] = i;
        var a = NDArray.OverBuffer(buffer, new Shape(2, 3));
        Assert.Equal(6, a.size);
        Assert.True(a.IsOverBuffer);
        Assert.Equal(6, a.AsSpan<float>().Length);
        Assert.Equal(new[] { 0f, 1, 2, 3, 4, 5 }, a.ToArray<float>());
        Assert.Equal(24, a.AsBytes().Length);
        var copy = a.Copy();
        Assert.Equal(6, copy.Storage.Length);
        Assert.True(copy.ValueEquals(a) && a.ValueEquals(copy));
        Assert.Equal(NDArray.FromFlat(new[] { 0f, 1, 2, 3, 4, 5 }, new Shape(2, 3)).ToString(), a.ToString());
        var flat = a.Reshape(new Shape(6));
        Assert.Same(buffer, flat.Storage);
        Assert.Equal(6, flat.AsSpan<float>().Length);
        Assert.Throws<ValueError>(() => a.Reshape(new Shape(10)));
        Assert.Equal(5f, a.GetValue<float>(1, 2));
        Assert.Equal(new[] { 0.0, 1, 2, 3, 4, 5 }, a.Cast(DType.float64).ToArray<double>());
        Assert.Throws<ValueError>(() => NDArray.OverBuffer(buffer, new Shape(11)));
        Assert.False(NDArray.OverBuffer(buffer, new Shape(10)).IsOverBuffer);
    }
}
