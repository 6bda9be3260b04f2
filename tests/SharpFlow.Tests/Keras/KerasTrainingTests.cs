using SharpFlow.Keras;
using SharpFlow.Keras.Utils;
using KL = SharpFlow.Keras.Layers;

namespace SharpFlow.Tests.Keras;

/// <summary>compile/fit/evaluate against hand computations and Keras 2.2.4's optimizer rules.</summary>
public class KerasTrainingTests
{
    private static readonly double[,] X = { { 1, 2 }, { 0.5, -1 } };
    private static readonly double[,] Y = { { 1, 0, 0 }, { 0, 0, 1 } };

    private static NDArray F(double[,] a) => NDArray.FromFlat(a.Cast<double>().Select(v => (float)v).ToArray(), new Shape(a.GetLength(0), a.GetLength(1)));

    /// <summary>Mean categorical cross entropy of softmax(xW + b), and its gradient (p − y)/N.</summary>
    private static (double Loss, double[,] DW, double[] DB) SoftmaxLoss(double[,] w, double[] b)
    {
        int n = X.GetLength(0), k = b.Length, d = X.GetLength(1);
        double loss = 0;
        var dw = new double[d, k];
        var db = new double[k];
        for (var i = 0; i < n; i++)
        {
            var z = new double[k];
            for (var j = 0; j < k; j++) { z[j] = b[j]; for (var q = 0; q < d; q++) z[j] += X[i, q] * w[q, j]; }
            var max = z.Max();
            var e = z.Select(v => Math.Exp(v - max)).ToArray();
            var s = e.Sum();
            for (var j = 0; j < k; j++)
            {
                var p = e[j] / s;
                loss -= Y[i, j] * Math.Log(p) / n;
                var g = (p - Y[i, j]) / n;
                db[j] += g;
                for (var q = 0; q < d; q++) dw[q, j] += X[i, q] * g;
            }
        }
        return (loss, dw, db);
    }

    [Fact]
    public void DenseSoftmaxLossAfterOneSgdStepMatchesTheHandComputation()
    {
        using var g = TestGraph.Enter();
        var w = new double[,] { { 0.1, 0.2, 0.3 }, { -0.1, 0.0, 0.1 } };
        var b = new double[] { 0, 0.1, -0.1 };
        var model = tf.keras.Sequential([tf.keras.layers.Dense(3, activation: "softmax", input_shape: [2])]);
        model.compile(tf.keras.optimizers.SGD(lr: 0.1), "categorical_crossentropy", metrics: ["accuracy"]);
        model.set_weights([F(w), NDArray.FromFlat(b.Select(v => (float)v).ToArray(), new Shape(3))]);
        var (loss0, dw, db) = SoftmaxLoss(w, b);
        var first = model.train_on_batch(F(X), F(Y));
        Assert.Equal(loss0, first[0], 1e-5);
        for (var q = 0; q < 2; q++) for (var j = 0; j < 3; j++) w[q, j] -= 0.1 * dw[q, j];
        for (var j = 0; j < 3; j++) b[j] -= 0.1 * db[j];
        var (loss1, _, _) = SoftmaxLoss(w, b);
        var second = model.test_on_batch(F(X), F(Y));
        Assert.Equal(loss1, second[0], 1e-5);
        Assert.Equal(new[] { "loss", "acc" }, model.metrics_names);
        AssertArray.Close(F(w), model.get_weights()[0], 1e-6);
        Assert.Equal(loss1, model.evaluate(F(X), F(Y), verbose: 0)[0], 1e-5);
    }

    /// <summary>Keras 2.2.4's rules in plain doubles, for a model whose loss is mean((x·w + c − y)²).</summary>
    private static double[] Reference(string name, double[] p, Func<double[], double[]> grad, int steps)
    {
        const double eps = 1e-7;
        var n = p.Length;
        var s1 = new double[n];
        var s2 = new double[n];
        var mSchedule = 1.0;
        for (var step = 0; step < steps; step++)
        {
            var g = grad(p);
            var t = step + 1.0;
            for (var i = 0; i < n; i++)
            {
                switch (name)
                {
                    case "sgd_nesterov":
                        {
                            var v = 0.9 * s1[i] - 0.05 * g[i];
                            s1[i] = v;
                            p[i] += 0.9 * v - 0.05 * g[i];
                            break;
                        }
                    case "rmsprop":
                        s1[i] = 0.9 * s1[i] + 0.1 * g[i] * g[i];
                        p[i] -= 0.001 * g[i] / (Math.Sqrt(s1[i]) + eps);
                        break;
                    case "adagrad":
                        s1[i] += g[i] * g[i];
                        p[i] -= 0.01 * g[i] / (Math.Sqrt(s1[i]) + eps);
                        break;
                    case "adadelta":
                        {
                            s1[i] = 0.95 * s1[i] + 0.05 * g[i] * g[i];
                            var u = g[i] * Math.Sqrt(s2[i] + eps) / Math.Sqrt(s1[i] + eps);
                            p[i] -= 1.0 * u;
                            s2[i] = 0.95 * s2[i] + 0.05 * u * u;
                            break;
                        }
                    case "adam":
                        {
                            var lrT = 0.001 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
                            s1[i] = 0.9 * s1[i] + 0.1 * g[i];
                            s2[i] = 0.999 * s2[i] + 0.001 * g[i] * g[i];
                            p[i] -= lrT * s1[i] / (Math.Sqrt(s2[i]) + eps);
                            break;
                        }
                    case "adamax":
                        s1[i] = 0.9 * s1[i] + 0.1 * g[i];
                        s2[i] = Math.Max(0.999 * s2[i], Math.Abs(g[i]));
                        p[i] -= 0.002 / (1 - Math.Pow(0.9, t)) * s1[i] / (s2[i] + eps);
                        break;
                    case "nadam":
                        {
                            var cache = 0.9 * (1 - 0.5 * Math.Pow(0.96, t * 0.004));
                            var cache1 = 0.9 * (1 - 0.5 * Math.Pow(0.96, (t + 1) * 0.004));
                            var mNew = mSchedule * cache;
                            var mNext = mSchedule * cache * cache1;
                            var gPrime = g[i] / (1 - mNew);
                            s1[i] = 0.9 * s1[i] + 0.1 * g[i];
                            var mPrime = s1[i] / (1 - mNext);
                            s2[i] = 0.999 * s2[i] + 0.001 * g[i] * g[i];
                            var vPrime = s2[i] / (1 - Math.Pow(0.999, t));
                            var mBar = (1 - cache) * gPrime + cache1 * mPrime;
                            p[i] -= 0.002 * mBar / (Math.Sqrt(vPrime) + eps);
                            break;
                        }
                }
            }
            if (name == "nadam") mSchedule *= 0.9 * (1 - 0.5 * Math.Pow(0.96, t * 0.004));
        }
        return p;
    }

    [Theory]
    [InlineData("sgd_nesterov")]
    [InlineData("rmsprop")]
    [InlineData("adagrad")]
    [InlineData("adadelta")]
    [InlineData("adam")]
    [InlineData("adamax")]
    [InlineData("nadam")]
    public void OptimizersFollowKeras224RulesOverSeveralSteps(string name)
    {
        using var g = TestGraph.Enter();
        double[,] xs = { { 1, 2 }, { -1, 0.5 }, { 0.3, -0.7 }, { 2, 1 } };
        double[] ys = { 1, -2, 0.5, 3 };
        var model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape: [2])]);
        KerasOptimizer opt = name == "sgd_nesterov" ? tf.keras.optimizers.SGD(lr: 0.05, momentum: 0.9, nesterov: true) : KerasOptimizer.get(name);
        model.compile(opt, "mse");
        model.set_weights([NDArray.FromFlat(new float[] { 0.5f, -0.25f }, new Shape(2, 1)), NDArray.FromFlat(new float[] { 0.1f }, new Shape(1))]);
        double[] Grad(double[] p)
        {
            var gr = new double[3];
            for (var i = 0; i < 4; i++)
            {
                var err = xs[i, 0] * p[0] + xs[i, 1] * p[1] + p[2] - ys[i];
                gr[0] += 2 * err * xs[i, 0] / 4;
                gr[1] += 2 * err * xs[i, 1] / 4;
                gr[2] += 2 * err / 4;
            }
            return gr;
        }
        var expected = Reference(name, [0.5, -0.25, 0.1], Grad, 5);
        var y = NDArray.FromFlat(ys.Select(v => (float)v).ToArray(), new Shape(4, 1));
        for (var s = 0; s < 5; s++) model.train_on_batch(F(xs), y);
        var wts = model.get_weights();
        var actual = wts[0].ToArray<float>().Concat(wts[1].ToArray<float>()).ToArray();
        for (var i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 1e-5);
        Assert.Equal(5L, Backend.get_value(opt.iterations).item<long>());
    }

    [Fact]
    public void FitWithValidationSplitReportsKerasHistoryKeysAndLearns()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(3);
        var n = 200;
        var r = new Random(5);
        var x = new float[n * 2];
        var y = new int[n];
        for (var i = 0; i < n; i++)
        {
            x[2 * i] = (float)(r.NextDouble() * 2 - 1);
            x[2 * i + 1] = (float)(r.NextDouble() * 2 - 1);
            y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
        }
        var model = tf.keras.Sequential([
            tf.keras.layers.Dense(8, activation: "relu", input_shape: [2]),
            tf.keras.layers.BatchNormalization(),
            tf.keras.layers.Dropout(0.1),
            tf.keras.layers.Dense(2, activation: "softmax"),
        ]);
        model.compile("adam", "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var epochs = new List<int>();
        var h = model.fit(NDArray.FromFlat(x, new Shape(n, 2)), NDArray.FromFlat(y, new Shape(n)), batch_size: 16, epochs: 30, verbose: 0,
            validation_split: 0.25, callbacks: [tf.keras.callbacks.LambdaCallback(on_epoch_end: (e, _) => epochs.Add(e))]);
        Assert.Equal(new[] { "val_loss", "val_acc", "loss", "acc" }, h.history.Keys);
        Assert.Equal(Enumerable.Range(0, 30), epochs);
        Assert.True(h.history["loss"][^1] < h.history["loss"][0], string.Join(", ", h.history["loss"]));
        Assert.True(h.history["val_acc"][^1] > 0.8, string.Join(", ", h.history["val_acc"]));
        var bn = model.layers[1];
        var movingMean = bn.get_weights()[2].ToArray<float>();
        Assert.Contains(movingMean, v => v != 0);
        Assert.Equal(new[] { "batch_normalization/gamma:0", "batch_normalization/beta:0" }, bn.trainable_weights.Select(w => w.name));
        var result = model.evaluate(NDArray.FromFlat(x, new Shape(n, 2)), NDArray.FromFlat(y, new Shape(n)), verbose: 0);
        Assert.Equal(2, result.Length);
    }

    [Fact]
    public void SaveAndLoadWeightsRoundTripThroughATensorFlowCheckpoint()
    {
        using var g = TestGraph.Enter();
        var dir = Directory.CreateTempSubdirectory("keras-weights");
        try
        {
            var model = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape: [2]), tf.keras.layers.Dense(1)]);
            var before = model.get_weights();
            var path = Path.Combine(dir.FullName, "w", "model.ckpt");
            model.save_weights(path);
            Assert.True(File.Exists(path + ".index"));
            model.set_weights(before.Select(a => NDArray.Zeros(a.dtype, a.shape)).ToList());
            model.load_weights(path);
            var after = model.get_weights();
            for (var i = 0; i < before.Count; i++) AssertArray.Close(before[i], after[i], 0);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void ProgbarWritesKerasLines()
    {
        var sw = new StringWriter();
        var bar = new Progbar(100, output: sw, dynamic_display: false, clock: () => 2.0);
        bar.update(50, [("loss", 0.5)]);
        Assert.Equal("", sw.ToString());
        bar.update(100, [("loss", 0.25), ("acc", 0.0001)]);
        Assert.Equal("100/100 [==============================] - 2s 20ms/step - loss: 0.3750 - acc: 1.0000e-04\n", sw.ToString());

        var sw2 = new StringWriter();
        var two = new Progbar(60, verbose: 2, output: sw2, dynamic_display: false, clock: () => 3.0);
        two.update(60, [("loss", 0.1234), ("acc", 0.875)]);
        Assert.Equal(" - 3s - loss: 0.1234 - acc: 0.8750\n", sw2.ToString());

        var sw3 = new StringWriter();
        var live = new Progbar(1000, output: sw3, dynamic_display: true, clock: () => 1.0);
        live.update(640, [("loss", 0.4123)]);
        Assert.Equal("\r 640/1000 [==================>...........] - ETA: 0s - loss: 0.4123", sw3.ToString());
    }

    [Fact]
    public void FitPrintsEpochLinesAndCallbacksSeeTheLogs()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation: "sigmoid", input_shape: [1])]);
        model.compile(tf.keras.optimizers.SGD(lr: 0.5), "binary_crossentropy", metrics: ["acc"]);
        var x = NDArray.FromFlat(new float[] { -2, -1, 1, 2 }, new Shape(4, 1));
        var y = NDArray.FromFlat(new float[] { 0, 0, 1, 1 }, new Shape(4, 1));
        var csv = Path.GetTempFileName();
        try
        {
            var stop = tf.keras.callbacks.EarlyStopping(monitor: "loss", patience: 0, min_delta: 10);
            var h = model.fit(x, y, epochs: 5, batch_size: 2, verbose: 0, callbacks: [stop, tf.keras.callbacks.CSVLogger(csv)]);
            Assert.Equal(2, h.epoch.Count);
            Assert.Equal(1, stop.stopped_epoch);
            var rows = File.ReadAllLines(csv);
            Assert.Equal("epoch,acc,loss", rows[0]);
            Assert.Equal(3, rows.Length);
        }
        finally { File.Delete(csv); }
        var sched = new List<double>();
        model.fit(x, y, epochs: 2, verbose: 0, callbacks: [tf.keras.callbacks.LearningRateScheduler(e => 0.1 / (e + 1)),
            tf.keras.callbacks.LambdaCallback(on_epoch_end: (e, logs) => sched.Add(logs["lr"]))]);
        Assert.Equal(0.1, sched[0], 1e-6);
        Assert.Equal(0.05, sched[1], 1e-6);
        Assert.Equal("weights.03-0.25", SharpFlow.Keras.Callbacks.ModelCheckpoint.Format("weights.{epoch:02d}-{val_loss:.2f}", 3, new Dictionary<string, double> { ["val_loss"] = 0.2512 }));
    }
}
