using System.Collections.Concurrent;
using System.Diagnostics;
using SharpFlow.Data;
using Xunit.Abstractions;

namespace SharpFlow.Tests.Reliability;

/// <summary>
/// One <see cref="Session"/> serving a training loop and many concurrent inference calls, as TensorFlow's sessions
/// serve <c>run</c> from several threads: the training computes exactly what it computes alone, inference on fixed
/// weights is exact throughout, and inference on the weights being trained sees only well-formed values.
/// </summary>
public class ConcurrencyStressTests(ITestOutputHelper output)
{
    private sealed record Model(Tensor Images, Tensor Labels, Tensor Logits, Tensor Loss, Operation Train, Tensor FixedLogits);

    private static Model Build()
    {
        tf.set_random_seed(11);
        var images = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1), name: "images");
        var labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        var conv = tf.layers.conv2d(images, 8, 5, padding: "same", activation: tf.nn.relu);
        var pool = tf.layers.max_pooling2d(conv, 2, 2);
        var flat = tf.reshape(pool, new[] { -1, 14 * 14 * 8 });
        var logits = tf.layers.dense(flat, 10);
        var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
        var train = tf.train.AdamOptimizer(1e-3).minimize(loss);
        // A second network on constant weights in the same graph and session: its answers never change.
        var filter = tf.constant(Enumerable.Range(0, 5 * 5 * 16).Select(i => (i % 11 - 5) / 25f).ToArray(), shape: new[] { 5, 5, 1, 16 });
        var fixedLogits = tf.reduce_sum(tf.nn.relu(tf.nn.conv2d(images, filter, [1, 2, 2, 1], "SAME")), new[] { 1, 2 });
        return new Model(images, labels, logits, loss, train, fixedLogits);
    }

    private static (NDArray Images, NDArray Labels) Batch(DataSet data, int offset, int size)
    {
        var images = data.images.ToArray<float>().AsSpan(offset * 784, size * 784).ToArray();
        var labels = data.labels.Cast(DType.int32).ToArray<int>().AsSpan(offset, size).ToArray();
        return (NDArray.FromFlat(images, new Shape(size, 28, 28, 1)), NDArray.FromFlat(labels, new Shape(size)));
    }

    private static float[] Train(Session sess, Model m, DataSet data, int steps)
    {
        var losses = new float[steps];
        for (var step = 0; step < steps; step++)
        {
            var (x, y) = Batch(data, step * 32 % (data.num_examples - 32), 32);
            losses[step] = sess.run((m.Train, m.Loss), new FeedDict { [m.Images] = x, [m.Labels] = y }).Item2.item<float>();
        }
        return losses;
    }

    [Fact]
    public void ATrainingLoopAndConcurrentInferenceShareOneSessionWithoutCorruption()
    {
        // SHARPFLOW_STRESS_STEPS lengthens the run (tools/stress.sh); the default suite runs 60 steps.
        var Steps = int.TryParse(Environment.GetEnvironmentVariable("SHARPFLOW_STRESS_STEPS"), out var n) && n > 0 ? n : 60;
        const int InferenceThreads = 3;
        var data = FashionMnist.read_sample(seed: 2);
        using var g = TestGraph.Enter();
        var m = Build();
        var init = tf.global_variables_initializer();

        // Alone: the losses the training must reproduce.
        float[] alone;
        using (var sess = tf.Session())
        {
            sess.run(init);
            alone = Train(sess, m, data.train, Steps);
        }

        using var shared = tf.Session();
        shared.run(init);
        var probes = Enumerable.Range(0, 4).Select(i => Batch(data.test, 16 * i, 16).Images).ToArray();
        var fixedExpected = probes.Select(p => shared.run(m.FixedLogits, new FeedDict { [m.Images] = p }).ToArray<float>()).ToArray();
        using var done = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var calls = new int[InferenceThreads];
        using var running = new CountdownEvent(InferenceThreads);
        var clock = Stopwatch.StartNew();
        var readers = Enumerable.Range(0, InferenceThreads).Select(t => new Thread(() =>
        {
            try
            {
                for (var i = t; !done.IsCancellationRequested; i++)
                {
                    var probe = i % probes.Length;
                    var (fixedValue, logits) = shared.run((m.FixedLogits, m.Logits), new FeedDict { [m.Images] = probes[probe] });
                    if (!fixedValue.ToArray<float>().SequenceEqual(fixedExpected[probe])) failures.Enqueue($"thread {t}: fixed-weight logits of probe {probe} changed");
                    if (logits.shape != new Shape(16, 10) || logits.ToArray<float>().Any(v => !float.IsFinite(v))) failures.Enqueue($"thread {t}: logits {logits.shape} not finite");
                    if (++calls[t] == 1) running.Signal();
                }
            }
            catch (Exception e)
            {
                failures.Enqueue($"thread {t}: {e}"); // a thread's exception fails the test instead of the test host
                if (calls[t] == 0) running.Signal();
            }
        })).ToArray();
        foreach (var reader in readers) reader.Start();
        Assert.True(running.Wait(TimeSpan.FromMinutes(1)), "the inference threads started");
        float[] concurrent;
        try
        {
            concurrent = Train(shared, m, data.train, Steps);
        }
        finally
        {
            done.Cancel();
            foreach (var reader in readers) reader.Join();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"{Steps} training steps with {InferenceThreads} inference threads: {calls.Sum()} inference calls ({string.Join("/", calls)}) in {seconds:F2} s");
        Assert.Empty(failures);
        Assert.All(calls, c => Assert.True(c > 0, "every inference thread ran while the training did"));
        Assert.Equal(alone, concurrent); // bit for bit: the inference calls changed nothing the training computed

        // Afterwards, many threads at once read the trained weights and all get the single-threaded answer.
        var final = probes.Select(p => shared.run(m.Logits, new FeedDict { [m.Images] = p }).ToArray<float>()).ToArray();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
            Assert.Equal(final[k % probes.Length], shared.run(m.Logits, new FeedDict { [m.Images] = probes[k % probes.Length] }).ToArray<float>()));
    }
}
