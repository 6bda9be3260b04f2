using SharpFlow.Kernels;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution;

/// <summary>
/// The executor reuses output buffers within a run (once a value's last reader has run) and across runs of a plan.
/// These tests pin down what must never happen because of it: a fetched value changing after the run, a buffer
/// reused while a reshape still shares it, concurrent runs seeing each other's values; and what reuse buys: a
/// steady training loop allocates no tensor memory, and a session does not hoard buffers of old shapes.
/// </summary>
public class RunMemoryTests
{
    private static NDArray Values(int n, float scale) =>
        NDArray.FromFlat(Enumerable.Range(0, n).Select(i => scale * (i - n / 2f)).ToArray(), new Shape(n));

    [Fact]
    public void FetchedValuesStayTheCallersAfterLaterRuns()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1));
        var y = tf.nn.relu(x * 2f + 1f);
        using var sess = tf.Session();
        var results = Enumerable.Range(1, 5).Select(i => (Scale: (float)i, Value: sess.run(y, new FeedDict { [x] = Values(64, i) }))).ToList();
        foreach (var (scale, value) in results)
            Assert.Equal(Values(64, scale).ToArray<float>().Select(v => System.Math.Max(0f, v * 2 + 1)), value.ToArray<float>());
    }

    [Fact]
    public void ABufferSharedByAReshapeIsNotReusedWhileTheReshapeLives()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 8));
        var doubled = x * 2f;                       // its last direct reader is the reshape
        var flat = tf.reshape(doubled, new[] { 16 }); // shares doubled's buffer
        var tripled = tf.reshape(x * 3f, new[] { 16 }); // same size: would take doubled's buffer if it were freed early
        var sum = flat + tripled;
        using var sess = tf.Session();
        var feed = NDArray.FromFlat(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), new Shape(2, 8));
        for (var run = 0; run < 3; run++)
        {
            var (total, alias) = sess.run((sum, flat), new FeedDict { [x] = feed });
            Assert.Equal(Enumerable.Range(0, 16).Select(i => 5f * i), total.ToArray<float>());
            Assert.Equal(Enumerable.Range(0, 16).Select(i => 2f * i), alias.ToArray<float>());
        }
    }

    [Fact]
    public void AFailedRunLeavesTheNextRunCorrect()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1));
        var shape = tf.placeholder(tf.int32, new Shape(2));
        var y = tf.reshape(tf.exp(x), shape) * 2f;
        using var sess = tf.Session();
        var xs = Values(8, 1);
        var good = new FeedDict { [x] = xs, [shape] = new[] { 2, 4 } };
        var expected = sess.run(y, good).ToArray<float>();
        sess.run(y, good);
        Assert.Throws<InvalidArgumentError>(() => sess.run(y, new FeedDict { [x] = xs, [shape] = new[] { 3, 3 } }));
        Assert.Equal(expected, sess.run(y, good).ToArray<float>());
    }

    [Fact]
    public void ConcurrentRunsOfOnePlanDoNotShareBuffers()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 32));
        var w = tf.constant(Enumerable.Range(0, 32 * 16).Select(i => (i % 7) / 7f).ToArray(), shape: new[] { 32, 16 });
        var y = tf.reduce_sum(tf.nn.relu(tf.matmul(x, w) - 1f), axis: 1);
        using var sess = tf.Session();
        NDArray Input(int seed) => NDArray.FromFlat(Enumerable.Range(0, 64 * 32).Select(i => ((i * 31 + seed * 17) % 13) / 13f).ToArray(), new Shape(64, 32));
        var expected = Enumerable.Range(0, 8).Select(s => sess.run(y, new FeedDict { [x] = Input(s) }).ToArray<float>()).ToArray();
        Parallel.For(0, 4, thread =>
        {
            for (var i = 0; i < 40; i++)
            {
                var s = (thread + i) % 8;
                Assert.Equal(expected[s], sess.run(y, new FeedDict { [x] = Input(s) }).ToArray<float>());
            }
        });
    }

    [Fact]
    public void ASteadyTrainingLoopAllocatesNoTensorMemory()
    {
        // Per-step allocation must not grow with the batch: the tensors come from the reused buffers, and what is
        // left is bookkeeping (the fetched loss, the feed dictionary's ordering).
        long BytesPerStep(int batch)
        {
            using var g = TestGraph.Enter();
            var images = tf.placeholder(tf.float32, new Shape(-1, 12, 12, 1));
            var labels = tf.placeholder(tf.int32, new Shape(-1));
            tf.set_random_seed(1);
            var conv = tf.layers.conv2d(images, 8, 3, padding: "same", activation: tf.nn.relu);
            var pooled = tf.layers.max_pooling2d(conv, 2, 2);
            var logits = tf.layers.dense(tf.layers.flatten(pooled), 10);
            var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
            var train = tf.train.AdamOptimizer(0.01).minimize(loss);
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            var feed = new FeedDict
            {
                [images] = NDArray.FromFlat(Enumerable.Range(0, batch * 144).Select(i => (i % 17) / 17f).ToArray(), new Shape(batch, 12, 12, 1)),
                [labels] = NDArray.FromFlat(Enumerable.Range(0, batch).Select(i => i % 10).ToArray(), new Shape(batch)),
            };
            for (var i = 0; i < 5; i++) sess.run((train, loss), feed);
            // The least of three windows: a window can catch a one-off cost (a shared pool growing while other
            // tests run), the steady state is what is measured.
            const int Steps = 20;
            var least = long.MaxValue;
            for (var window = 0; window < 3; window++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < Steps; i++) sess.run((train, loss), feed);
                least = System.Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / Steps);
            }
            return least;
        }

        var small = BytesPerStep(16);
        var large = BytesPerStep(256);
        // One batch of 256 activations of the first layer alone is 256·12·12·8·4 bytes = 1.2 MB.
        Assert.True(large < 64 * 1024, $"{large} bytes allocated per step at batch 256 ({small} at batch 16)");
        Assert.True(large < small + 8 * 1024, $"{large} bytes allocated per step at batch 256, {small} at batch 16");
    }

    [Fact]
    public void ASteadyResidualNetworkTrainingLoopAllocatesNoTensorMemory()
    {
        // Residual blocks with fused batch normalization switched by a training flag (tf.cond: the dataflow
        // executor) and Momentum, as ResNet18 trains: tensors of many sizes, where best fit alone could settle into
        // a cycle of runs each allocating what the last one dropped.
        long BytesPerStep(int batch)
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(5);
            var images = tf.placeholder(tf.float32, new Shape(-1, 16, 16, 3));
            var labels = tf.placeholder(tf.int32, new Shape(-1));
            var training = tf.placeholder_with_default(false, Shape.Scalar);
            Tensor ConvBn(Tensor x, int filters, int k, int stride, string name)
            {
                using var scope = tf.variable_scope(name);
                x = tf.layers.conv2d(x, filters, k, strides: stride, padding: "same", use_bias: false, name: "conv");
                return tf.layers.batch_normalization(x, momentum: 0.9, epsilon: 1e-5, training: training, name: "bn");
            }
            Tensor Block(Tensor x, int filters, int stride, string name)
            {
                using var scope = tf.variable_scope(name);
                var shortcut = stride == 1 && x.shape[3] == filters ? x : ConvBn(x, filters, 1, stride, "shortcut");
                var y = ConvBn(tf.nn.relu(ConvBn(x, filters, 3, stride, "conv1")), filters, 3, 1, "conv2");
                return tf.nn.relu(tf.add(y, shortcut));
            }
            var h = tf.nn.relu(ConvBn(images, 8, 3, 1, "stem"));
            h = Block(Block(Block(h, 8, 1, "block1"), 16, 2, "block2"), 32, 2, "block3");
            var logits = tf.layers.dense(tf.reduce_mean(h, new[] { 1, 2 }), 10);
            var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
            Operation train;
            using (g.Graph.control_dependencies(tf.get_collection(GraphKeys.UPDATE_OPS).OfType<ITensorOrOperation>().ToList()))
                train = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss);
            Assert.Contains(g.Graph.get_operations(), o => o.type == "FusedBatchNormGradV3");
            var feed = new FeedDict
            {
                [images] = NDArray.FromFlat(Enumerable.Range(0, batch * 16 * 16 * 3).Select(i => (i % 23) / 23f).ToArray(), new Shape(batch, 16, 16, 3)),
                [labels] = NDArray.FromFlat(Enumerable.Range(0, batch).Select(i => i % 10).ToArray(), new Shape(batch)),
                [training] = true,
            };
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            for (var i = 0; i < 4; i++) sess.run(train, feed);
            // Every run from here on takes all its tensors from the kept buffers (the pool's own count, no timing).
            for (var i = 0; i < 4; i++)
            {
                sess.run(train, feed);
                Assert.Equal(0, sess.AllocatedBytes);
            }
            const int Steps = 5;
            var least = long.MaxValue;
            for (var window = 0; window < 3; window++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < Steps; i++) sess.run(train, feed);
                least = System.Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / Steps);
            }
            return least;
        }

        var small = BytesPerStep(4);
        var large = BytesPerStep(32);
        // What is left does not grow with the batch (the executor's bookkeeping): one activation of the stem
        // alone is 32·16·16·8·4 bytes = 256 KB at batch 32.
        Assert.True(large < small + 16 * 1024, $"{large} bytes allocated per step at batch 32, {small} at batch 4");
    }

    [Fact]
    public void TheSessionKeepsOnlyTheBuffersTheLastRunNeeded()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1));
        var y = tf.reduce_sum(tf.sigmoid(x) * tf.tanh(x));
        using var sess = tf.Session();
        var big = new FeedDict { [x] = Values(1 << 20, 1e-6f) };
        var small = new FeedDict { [x] = Values(1000, 1e-3f) };
        sess.run(y, big);
        sess.run(y, big);
        Assert.InRange(sess.PooledBytes, 4L << 20, 16L << 20); // a few 4 MB intermediates, reused from run to run
        sess.run(y, small);
        Assert.InRange(sess.PooledBytes, 1, 64 * 1024);       // the big buffers are gone once a run does not use them
    }

    [Fact]
    public void APlanRunOnceKeepsNoBuffers()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.random_normal(new[] { 512, 512 }));
        using var sess = tf.Session();
        sess.run(v.initializer);
        Assert.Equal(0, sess.PooledBytes);
    }

    [Fact]
    public void AParallelLoopRunsEveryItemOnceAndReportsAFailure()
    {
        var hits = new int[100_000];
        Partition.For(hits.Length, 1 << 10, hits, static (in int[] h, int start, int end) =>
        {
            for (var i = start; i < end; i++) Interlocked.Increment(ref h[i]);
        });
        Assert.All(hits, h => Assert.Equal(1, h));

        var failure = Assert.Throws<InvalidOperationException>(() => Partition.For(64, 1 << 20, 0, static (in int _, int start, int end) =>
        {
            if (start <= 40 && 40 < end) throw new InvalidOperationException("chunk 40");
        }));
        Assert.Equal("chunk 40", failure.Message);

        // The pool is free again, and loops started from several threads at once (one holds the pool, the others run
        // their ranges inline) all complete.
        var sums = new long[8];
        Parallel.For(0, sums.Length, t =>
        {
            var items = new long[50_000];
            Partition.For(items.Length, 1 << 10, items, static (in long[] a, int start, int end) =>
            {
                for (var i = start; i < end; i++) a[i] = i;
            });
            sums[t] = items.Sum();
        });
        Assert.All(sums, s => Assert.Equal(50_000L * 49_999 / 2, s));
    }
}
