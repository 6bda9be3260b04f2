using SharpFlow.Execution;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution;

/// <summary>
/// Element-wise kernels (Relu, Add, Sub, Mul of equal shapes) write their output into an input that dies with them
/// on the static executor (<see cref="OpKernelContext.ForwardInputOrAllocateOutput(int, int, DType, Shape)"/>).
/// These tests check that results are bitwise those of a run without it, that it happens (one buffer where two were
/// needed), and that it never writes over a value something else still sees: a fetched tensor, a variable, a fed
/// array, a reshape's alias, an input a gradient reads later.
/// </summary>
[Collection(nameof(InPlaceSwitch))]
public class InPlaceTests
{
    private static NDArray Values(int n, float scale) =>
        NDArray.FromFlat(Enumerable.Range(0, n).Select(i => scale * ((i % 29) / 29f - 0.5f)).ToArray(), new Shape(n));

    /// <summary>Runs <paramref name="run"/> with in-place forwarding on and then off.</summary>
    private static (T On, T Off) Both<T>(Func<T> run)
    {
        var saved = Executor.InPlace;
        try
        {
            Executor.InPlace = true;
            var on = run();
            Executor.InPlace = false;
            return (on, run());
        }
        finally
        {
            Executor.InPlace = saved;
        }
    }

    [Fact]
    public void ADyingInputCarriesTheOutputAndTheResultsAreThoseOfSeparateBuffers()
    {
        (float[] Values, long Pooled) Run()
        {
            using var g = TestGraph.Enter();
            var x = tf.placeholder(tf.float32, new Shape(1000));
            var a = tf.exp(x);
            var b = tf.nn.relu(a - 1.5f * x * x);   // Sub writes into exp's buffer, Relu into Sub's
            var total = b * b;
            using var sess = tf.Session();
            NDArray result = null!;
            for (var run = 0; run < 3; run++) result = sess.run(total, new FeedDict { [x] = Values(1000, 4) });
            return (result.ToArray<float>(), sess.PooledBytes);
        }

        var (on, off) = Both(Run);
        Assert.Equal(off.Values, on.Values);
        Assert.Contains(on.Values, v => v == 0f);
        Assert.True(on.Pooled < off.Pooled, $"kept {on.Pooled} bytes in place, {off.Pooled} without");
    }

    [Fact]
    public void AFetchedInputIsNotWrittenOver()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(64));
        var h = tf.exp(x) - 1.1f;              // fetched, and read last by the relu
        var y = tf.nn.relu(h);
        using var sess = tf.Session();
        var feed = Values(64, 2);
        for (var run = 0; run < 3; run++)
        {
            var (hv, yv) = sess.run((h, y), new FeedDict { [x] = feed });
            var expected = feed.ToArray<float>().Select(v => MathF.Exp(v) - 1.1f).ToArray();
            Assert.Contains(hv.ToArray<float>(), v => v < 0);
            for (var i = 0; i < 64; i++) Assert.True(Math.Abs(expected[i] - hv.ToArray<float>()[i]) <= 1e-5f, $"element {i}");
            Assert.Equal(hv.ToArray<float>().Select(v => System.Math.Max(v, 0f)), yv.ToArray<float>());
        }
    }

    [Fact]
    public void AVariableAndAFedArrayAreNotWrittenOver()
    {
        using var g = TestGraph.Enter();
        var initial = Values(32, 3);
        var v = tf.Variable(tf.constant(initial.ToArray<float>()));
        var x = tf.placeholder(tf.float32, new Shape(32));
        var y = tf.nn.relu(v) + tf.nn.relu(x) * x;  // the relus' inputs are the variable's and the feed's buffers
        var z = tf.nn.relu(v.read_value());
        using var sess = tf.Session();
        sess.run(v.initializer);
        var feed = Values(32, -2);
        var fedBefore = feed.ToArray<float>();
        for (var run = 0; run < 3; run++)
        {
            sess.run((y, z), new FeedDict { [x] = feed });
            Assert.Equal(initial.ToArray<float>(), sess.run(v).ToArray<float>());
            Assert.Equal(fedBefore, feed.ToArray<float>());
        }
    }

    [Fact]
    public void ABufferAReshapeStillSharesIsNotWrittenOver()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 8));
        var a = tf.exp(x) - 1.2f;
        var alias = tf.reshape(a, new[] { 32 });      // shares a's buffer and is read after the relu
        var r = tf.reshape(tf.nn.relu(a), new[] { 32 });
        var sum = r + alias;
        using var sess = tf.Session();
        var feed = NDArray.FromFlat(Values(32, 2).ToArray<float>(), new Shape(4, 8));
        var expected = feed.ToArray<float>().Select(v => MathF.Exp(v) - 1.2f).Select(v => System.Math.Max(v, 0f) + v).ToArray();
        for (var run = 0; run < 3; run++)
        {
            var got = sess.run(sum, new FeedDict { [x] = feed }).ToArray<float>();
            for (var i = 0; i < 32; i++) Assert.True(Math.Abs(expected[i] - got[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"element {i}: {got[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void GradientsThatReadAnInputAfterItsOpSeeItUnchanged()
    {
        (float[] Loss, float[] Grad) Run()
        {
            using var g = TestGraph.Enter();
            var x = tf.placeholder(tf.float32, new Shape(50));
            var h = tf.exp(x) - 1.3f * x;
            var y = tf.nn.relu(h);
            var loss = tf.reduce_sum(y * h * x);          // h is read by the Mul and by the gradients after the Relu
            var grad = tf.gradients(loss, x)[0]!;
            using var sess = tf.Session();
            NDArray l = null!, d = null!;
            for (var run = 0; run < 3; run++) (l, d) = sess.run((loss, grad), new FeedDict { [x] = Values(50, 3) });
            return (l.ToArray<float>(), d.ToArray<float>());
        }

        var (on, off) = Both(Run);
        Assert.Equal(off.Loss, on.Loss);
        Assert.Equal(off.Grad, on.Grad);
        // d/dx relu(h)·h·x = 2·h·h'·x + h² where h > 0 (h' = e^x - 1.3), 0 elsewhere.
        var xs = Values(50, 3).ToArray<float>();
        for (var i = 0; i < 50; i++)
        {
            double xv = xs[i], hv = Math.Exp(xv) - 1.3 * xv, dh = Math.Exp(xv) - 1.3;
            var expected = hv > 0 ? 2 * hv * dh * xv + hv * hv : 0;
            Assert.True(Math.Abs(on.Grad[i] - expected) <= 1e-4 * (1 + Math.Abs(expected)), $"element {i}: {on.Grad[i]} vs {expected}");
        }
    }

    [Fact]
    public void TrainingIsBitwiseTheSameWithAndWithout()
    {
        float[] Run()
        {
            using var g = TestGraph.Enter();
            var images = tf.placeholder(tf.float32, new Shape(-1, 10, 10, 1));
            var labels = tf.placeholder(tf.int32, new Shape(-1));
            tf.set_random_seed(3);
            var conv = tf.layers.conv2d(images, 6, 3, padding: "same", activation: tf.nn.relu);
            var hidden = tf.layers.dense(tf.layers.flatten(tf.layers.max_pooling2d(conv, 2, 2)), 20, activation: tf.nn.relu);
            var logits = tf.layers.dense(hidden + hidden * hidden, 10);
            var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
            var train = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss);
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            var feed = new FeedDict
            {
                [images] = NDArray.FromFlat(Enumerable.Range(0, 16 * 100).Select(i => (i * 7 % 23) / 23f).ToArray(), new Shape(16, 10, 10, 1)),
                [labels] = NDArray.FromFlat(Enumerable.Range(0, 16).Select(i => i % 10).ToArray(), new Shape(16)),
            };
            return [.. Enumerable.Range(0, 8).Select(_ => sess.run((train, loss), feed).Item2.item<float>())];
        }

        var (on, off) = Both(Run);
        Assert.Equal(off, on);
        Assert.True(on[^1] < on[0], string.Join(", ", on));
    }
}

/// <summary>The tests that flip <see cref="Executor.InPlace"/> run one at a time.</summary>
[CollectionDefinition(nameof(InPlaceSwitch), DisableParallelization = true)]
public sealed class InPlaceSwitch;
