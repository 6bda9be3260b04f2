using SharpFlow.Train;

namespace SharpFlow.Tests.Train;

/// <summary>
/// Each optimizer over several steps against its TensorFlow CPU kernel rule (the seed's §3; tensorflow/core/kernels/training_ops.cc), computed here in float64.
/// The loss is <c>sum(a * (w - t)²) / 2</c>, so the gradient <c>a * (w - t)</c> changes every step.
/// </summary>
public class OptimizerTests
{
    private static readonly double[] W0 = [1.0, -2.0, 0.5, 3.0];
    private static readonly double[] Target = [0.3, 0.1, -0.7, 2.0];
    private static readonly double[] A = [1.0, 2.0, 0.5, 4.0];
    private const int Steps = 6;

    /// <summary>
    /// Hyper-parameters become float32 constants cast to the variable's dtype, in TensorFlow as here: the
    /// float64 reference uses their float32 values.
    /// </summary>
    private static double F(double x) => (float)x;

    private static double[] Grad(double[] w) => [.. w.Select((v, i) => A[i] * (v - Target[i]))];

    /// <summary>Runs <paramref name="make"/>'s optimizer for <see cref="Steps"/> steps on float64 <c>w</c>; returns w after each step.</summary>
    private static List<double[]> RunSharpFlow(Func<Variable, Optimizer> make, DType dtype)
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(NDArray.FromFlat(W0, new Shape(4)).Cast(dtype), name: "w");
        var loss = tf.reduce_sum(tf.constant(NDArray.FromFlat(A, new Shape(4)).Cast(dtype)) * tf.square(w - tf.constant(NDArray.FromFlat(Target, new Shape(4)).Cast(dtype)))) / 2.0;
        var opt = make(w);
        var train = opt.minimize(loss, global_step: tf.train.get_or_create_global_step());
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var result = new List<double[]>();
        for (var s = 0; s < Steps; s++)
        {
            sess.run(train);
            result.Add(sess.run(w).Cast(tf.float64).ToArray<double>());
        }
        return result;
    }

    private static List<double[]> RunReference(Func<double[], double[], int, double[]> step)
    {
        var w = (double[])W0.Clone();
        var result = new List<double[]>();
        for (var s = 0; s < Steps; s++)
        {
            w = step(w, Grad(w), s);
            result.Add((double[])w.Clone());
        }
        return result;
    }

    private static void Check(Func<Variable, Optimizer> make, Func<double[], double[], int, double[]> referenceStep)
    {
        var expected = RunReference(referenceStep);
        var actual64 = RunSharpFlow(make, tf.float64);
        for (var s = 0; s < Steps; s++)
            for (var i = 0; i < 4; i++)
                Assert.True(Math.Abs(expected[s][i] - actual64[s][i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[s][i])),
                    $"float64 step {s + 1} element {i}: expected {expected[s][i]:R}, got {actual64[s][i]:R}");
        var actual32 = RunSharpFlow(make, tf.float32);
        for (var s = 0; s < Steps; s++)
            for (var i = 0; i < 4; i++)
                Assert.True(Math.Abs(expected[s][i] - actual32[s][i]) <= 2e-5 * Math.Max(1, Math.Abs(expected[s][i])),
                    $"float32 step {s + 1} element {i}: expected {expected[s][i]:R}, got {actual32[s][i]:R}");
    }

    [Fact]
    public void GradientDescent() => Check(_ => tf.train.GradientDescentOptimizer(0.1), (w, g, _) => [.. w.Select((v, i) => v - F(0.1) * g[i])]);

    [Fact]
    public void Adadelta()
    {
        double[] accum = new double[4], update = new double[4];
        double lr = F(1.0), rho = F(0.95), eps = F(1e-6);
        Check(_ => tf.train.AdadeltaOptimizer(lr, rho, eps), (w, g, _) =>
        {
            var r = (double[])w.Clone();
            for (var i = 0; i < 4; i++)
            {
                accum[i] = rho * accum[i] + (1 - rho) * g[i] * g[i];
                var u = Math.Sqrt(update[i] + eps) / Math.Sqrt(accum[i] + eps) * g[i];
                r[i] -= lr * u;
                update[i] = rho * update[i] + (1 - rho) * u * u;
            }
            return r;
        });
    }

    [Fact]
    public void Adagrad()
    {
        var accum = Enumerable.Repeat(0.1, 4).ToArray();
        Check(_ => tf.train.AdagradOptimizer(0.5), (w, g, _) =>
        {
            var r = (double[])w.Clone();
            for (var i = 0; i < 4; i++)
            {
                accum[i] += g[i] * g[i];
                r[i] -= 0.5 * g[i] / Math.Sqrt(accum[i]);
            }
            return r;
        });
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.05, 0.1)]
    public void AdagradDA(double l1, double l2)
    {
        (l1, l2) = (F(l1), F(l2));
        double[] gAcc = new double[4], ggAcc = Enumerable.Repeat(0.1, 4).ToArray();
        double lr = F(0.5);
        Check(w => tf.train.AdagradDAOptimizer(lr, tf.train.get_or_create_global_step(), l1_regularization_strength: l1, l2_regularization_strength: l2), (w, g, step) =>
        {
            var r = (double[])w.Clone();
            var t = step + 1.0; // the global step before this update, plus one
            for (var i = 0; i < 4; i++)
            {
                gAcc[i] += g[i];
                ggAcc[i] += g[i] * g[i];
                var denominator = l2 * t * lr + Math.Sqrt(ggAcc[i]);
                r[i] = l1 > 0 ? -lr * Math.Sign(gAcc[i]) * Math.Max(Math.Abs(gAcc[i]) - l1 * t, 0) / denominator : -lr * gAcc[i] / denominator;
            }
            return r;
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Momentum(bool nesterov)
    {
        var accum = new double[4];
        double lr = F(0.1), m = F(0.9);
        Check(_ => tf.train.MomentumOptimizer(lr, m, use_nesterov: nesterov), (w, g, _) =>
        {
            var r = (double[])w.Clone();
            for (var i = 0; i < 4; i++)
            {
                accum[i] = accum[i] * m + g[i];
                r[i] -= nesterov ? lr * g[i] + lr * m * accum[i] : lr * accum[i];
            }
            return r;
        });
    }

    [Fact]
    public void Adam()
    {
        double[] m = new double[4], v = new double[4];
        double lr = F(0.1), b1 = F(0.9), b2 = F(0.999), eps = F(1e-8);
        // beta1_power and beta2_power are float32 variables, as in TensorFlow.
        float b1p = (float)b1, b2p = (float)b2; // float32 variables, multiplied in float32
        Check(_ => tf.train.AdamOptimizer(lr), (w, g, step) =>
        {
            if (step == 0) { b1p = (float)b1; b2p = (float)b2; m = new double[4]; v = new double[4]; }
            var r = (double[])w.Clone();
            var a = lr * Math.Sqrt(1 - (double)b2p) / (1 - (double)b1p);
            for (var i = 0; i < 4; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                r[i] -= a * m[i] / (Math.Sqrt(v[i]) + eps);
            }
            b1p *= (float)b1;
            b2p *= (float)b2;
            return r;
        });
    }

    [Theory]
    [InlineData(-0.5, 0.0, 0.0)]
    [InlineData(-0.5, 0.1, 0.2)]
    [InlineData(-0.7, 0.05, 0.0)]
    public void Ftrl(double power, double l1, double l2)
    {
        (power, l1, l2) = (F(power), F(l1), F(l2));
        double[] accum = Enumerable.Repeat(0.1, 4).ToArray(), linear = new double[4];
        double lr = F(0.5);
        Check(_ => tf.train.FtrlOptimizer(lr, learning_rate_power: power, l1_regularization_strength: l1, l2_regularization_strength: l2), (w, g, step) =>
        {
            if (step == 0) { accum = Enumerable.Repeat(0.1, 4).ToArray(); linear = new double[4]; }
            var r = (double[])w.Clone();
            for (var i = 0; i < 4; i++)
            {
                var next = accum[i] + g[i] * g[i];
                linear[i] += g[i] - (Math.Pow(next, -power) - Math.Pow(accum[i], -power)) / lr * w[i];
                var x = l1 * Math.Sign(linear[i]) - linear[i];
                var y = Math.Pow(next, -power) / lr + 2 * l2;
                r[i] = Math.Abs(linear[i]) > l1 ? x / y : 0;
                accum[i] = next;
            }
            return r;
        });
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.3)]
    public void ProximalGradientDescent(double l1, double l2)
    {
        (l1, l2) = (F(l1), F(l2));
        double lr = F(0.2);
        Check(_ => tf.train.ProximalGradientDescentOptimizer(lr, l1, l2), (w, g, _) =>
            [.. w.Select((v, i) =>
            {
                var prox = v - lr * g[i];
                return Math.Sign(prox) * Math.Max(Math.Abs(prox) - lr * l1, 0) / (1 + lr * l2);
            })]);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.3)]
    public void ProximalAdagrad(double l1, double l2)
    {
        (l1, l2) = (F(l1), F(l2));
        var accum = Enumerable.Repeat(0.1, 4).ToArray();
        double lr = F(0.5);
        Check(_ => tf.train.ProximalAdagradOptimizer(lr, l1_regularization_strength: l1, l2_regularization_strength: l2), (w, g, step) =>
        {
            if (step == 0) accum = Enumerable.Repeat(0.1, 4).ToArray();
            var r = (double[])w.Clone();
            for (var i = 0; i < 4; i++)
            {
                accum[i] += g[i] * g[i];
                var rate = lr / Math.Sqrt(accum[i]);
                var prox = w[i] - rate * g[i];
                r[i] = Math.Sign(prox) * Math.Max(Math.Abs(prox) - rate * l1, 0) / (1 + rate * l2);
            }
            return r;
        });
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.5, false)]
    [InlineData(0.5, true)]
    public void RMSProp(double momentum, bool centered)
    {
        momentum = F(momentum);
        double[] ms = Enumerable.Repeat(1.0, 4).ToArray(), mom = new double[4], mg = new double[4];
        double lr = F(0.01), decay = F(0.9), eps = F(1e-10);
        Check(_ => tf.train.RMSPropOptimizer(lr, decay, momentum, eps, centered: centered), (w, g, step) =>
        {
            if (step == 0) { ms = Enumerable.Repeat(1.0, 4).ToArray(); mom = new double[4]; mg = new double[4]; }
            var r = (double[])w.Clone();
            for (var i = 0; i < 4; i++)
            {
                ms[i] += (g[i] * g[i] - ms[i]) * (1 - decay);
                var denominator = ms[i] + eps;
                if (centered)
                {
                    mg[i] += (g[i] - mg[i]) * (1 - decay);
                    denominator = ms[i] - mg[i] * mg[i] + eps;
                }
                mom[i] = mom[i] * momentum + lr * g[i] / Math.Sqrt(denominator);
                r[i] -= mom[i];
            }
            return r;
        });
    }
}
