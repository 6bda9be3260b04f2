using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using SharpFlow.Keras.Engine;
using static SharpFlow.Binding;

namespace SharpFlow.Benchmarks;

/// <summary>
/// Keras's overhead: one epoch of LeNet-5 (seed §37's layers in tf.keras, Adam, batch 64) trained with
/// <c>model.fit</c> against a hand-written <c>Session.run</c> loop over the same batches of the same graph (the
/// model's output, Keras's sparse categorical cross entropy, <c>tf.train.AdamOptimizer</c>). Both read the
/// same arrays in the same order; fit adds its sample weights, callbacks (BaseLogger, History) and batch copies.
/// The BenchmarkDotNet class times an epoch of the embedded 2,000-image sample; <see cref="Alternate"/> (run with
/// <c>-- keras-overhead [rounds] [images]</c>) times full epochs, the two loops taking turns.
/// </summary>
[MemoryDiagnoser]
public class KerasOverheadBenchmarks : IDisposable
{
    private const int BatchSize = 64;
    private LeNetPair? _pair;

    /// <summary>LeNet-5 in Keras in its own graph, compiled for fit, with the hand loop's train op beside it.</summary>
    internal sealed class LeNetPair : IDisposable
    {
        public readonly Graph Graph = new();
        public readonly Sequential Model;
        public readonly Operation HandTrain;
        public readonly Tensor Labels;
        public readonly NDArray X, Y;

        public LeNetPair(NDArray x, NDArray y)
        {
            X = x;
            Y = y;
            using (Graph.as_default())
            {
                tf.set_random_seed(1);
                Model = tf.keras.Sequential([
                    tf.keras.layers.ZeroPadding2D(2, input_shape: [28, 28, 1]),
                    tf.keras.layers.Conv2D(6, 5, activation: "relu"),
                    tf.keras.layers.MaxPooling2D(2, 2),
                    tf.keras.layers.Conv2D(16, 5, activation: "relu"),
                    tf.keras.layers.MaxPooling2D(2, 2),
                    tf.keras.layers.Flatten(),
                    tf.keras.layers.Dense(120, activation: "relu"),
                    tf.keras.layers.Dense(84, activation: "relu"),
                    tf.keras.layers.Dense(10, activation: "softmax"),
                ]);
                Model.compile(tf.train.AdamOptimizer(1e-3), "sparse_categorical_crossentropy");
                Labels = tf.placeholder(tf.float32, new Shape(-1, 1), name: "hand_labels");
                var loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(Labels, Model.outputs[0]));
                HandTrain = tf.train.AdamOptimizer(1e-3).minimize(loss);
                // Builds fit's training graph and initializes every variable in Keras's session.
                Model.train_on_batch(x[..BatchSize], y[..BatchSize]);
                _ = SharpFlow.Keras.Backend.get_session();
            }
        }

        /// <summary>One epoch of <c>model.fit</c> (no shuffling, silent).</summary>
        public void Fit()
        {
            using (Graph.as_default())
                Model.fit(X, Y, batch_size: BatchSize, epochs: 1, verbose: 0, shuffle: false);
        }

        /// <summary>One epoch of the hand-written loop: slice, feed, run.</summary>
        public void Hand()
        {
            using (Graph.as_default())
            {
                var session = SharpFlow.Keras.Backend.get_session();
                var input = Model.inputs[0];
                var phase = SharpFlow.Keras.Backend.learning_phase();
                var n = X.shape[0];
                for (var start = 0; start < n; start += BatchSize)
                {
                    var end = Math.Min(n, start + BatchSize);
                    session.run(HandTrain, new FeedDict { [input] = X[start..end], [Labels] = Y[start..end], [phase] = true });
                }
            }
        }

        public void Dispose()
        {
            using (Graph.as_default()) SharpFlow.Keras.Backend.get_session().Dispose();
        }
    }

    /// <summary>Fashion-MNIST (the embedded sample, or <paramref name="limit"/> of the full set) as float images in 0..1 and float labels.</summary>
    internal static (NDArray X, NDArray Y) Data(int limit)
    {
        var ((x, y), _) = tf.keras.datasets.fashion_mnist.load_data();
        var n = Math.Min(limit, x.shape[0]);
        var pixels = x[..n].Cast(DType.float32).ToArray<float>();
        for (var i = 0; i < pixels.Length; i++) pixels[i] /= 255f;
        return (NDArray.FromFlat(pixels, new Shape(n, 28, 28, 1)), y[..n].Cast(DType.float32).Reshape(new Shape(n, 1)));
    }

    [GlobalSetup]
    public void Setup()
    {
        var (x, y) = Data(2000);
        _pair = new LeNetPair(x, y);
    }

    [Benchmark(Baseline = true)]
    public void HandWrittenLoopEpoch() => _pair!.Hand();

    [Benchmark]
    public void KerasFitEpoch() => _pair!.Fit();

    [GlobalCleanup]
    public void Dispose()
    {
        _pair?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Times <paramref name="rounds"/> epochs of each loop, taking turns (hand, fit, fit, hand, ...) so that the
    /// load of a shared machine falls on both alike, after one warm-up epoch of each; prints every epoch, the
    /// medians and the fastest epochs (the least disturbed by other work).
    /// </summary>
    public static void Alternate(int rounds, int images)
    {
        var (x, y) = Data(images);
        using var pair = new LeNetPair(x, y);
        Console.WriteLine($"LeNet-5, {x.shape[0]} images, batch {BatchSize}, Adam: one epoch each, {rounds} rounds taking turns (after a warm-up epoch of each)");
        pair.Hand();
        pair.Fit();
        var hand = new List<double>();
        var fit = new List<double>();
        var handCpu = new List<double>();
        var fitCpu = new List<double>();
        var process = Process.GetCurrentProcess();
        (double Wall, double Cpu) Time(Action epoch)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            epoch();
            var wall = sw.Elapsed.TotalSeconds;
            process.Refresh();
            return (wall, (process.TotalProcessorTime - cpu0).TotalSeconds);
        }
        for (var r = 0; r < rounds; r++)
        {
            // ABBA order: hand first in even rounds, fit first in odd ones, so neither always follows the other.
            (double Wall, double Cpu) h, f;
            if (r % 2 == 0) { h = Time(pair.Hand); f = Time(pair.Fit); }
            else { f = Time(pair.Fit); h = Time(pair.Hand); }
            hand.Add(h.Wall); handCpu.Add(h.Cpu); fit.Add(f.Wall); fitCpu.Add(f.Cpu);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {r + 1}: hand-written {h.Wall:F3} s (cpu {h.Cpu:F2} s), fit {f.Wall:F3} s (cpu {f.Cpu:F2} s): {(f.Wall / h.Wall - 1) * 100:+0.0;-0.0}%"));
        }
        static double Median(List<double> v) { var s = v.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
        var (mh, mf) = (Median(hand), Median(fit));
        var (ch, cf) = (Median(handCpu), Median(fitCpu));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median wall: hand-written {mh:F3} s, fit {mf:F3} s: fit {(mf / mh - 1) * 100:+0.0;-0.0}% per epoch; median cpu: {ch:F2} s, {cf:F2} s: {(cf / ch - 1) * 100:+0.0;-0.0}%"));
        var (nh, nf) = (hand.Min(), fit.Min());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fastest epoch: hand-written {nh:F3} s, fit {nf:F3} s: fit {(nf / nh - 1) * 100:+0.0;-0.0}%"));
    }
}
