using SharpFlow.Ops.Training;

namespace SharpFlow.Tests.Train;

/// <summary>
/// ApplyAdam's float32 update in one vectorised pass equals TensorFlow's rule computed element by element in float32,
/// bit for bit: every length around the vector widths (16 and 8 floats, and the scalar tail), with and without
/// Nesterov, with denormal operands and results (flushed to zero, as TensorFlow's executor runs its kernels), and
/// through <c>AdamOptimizer</c> on a variable of 1,037 elements over several steps.
/// </summary>
[Collection("kernel settings")]
public class AdamSingleTests
{
    private static float[] Values(int n, int seed, float scale, bool positive = false)
    {
        var r = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(positive ? r.NextDouble() * scale : (r.NextDouble() * 2 - 1) * scale))];
    }

    // TensorFlow's CPU functor, one element at a time in float32, under its executor's flush-to-zero and
    // denormals-are-zero mode: every operand and result that is denormal counts as zero of its sign.
    private static float F(float value) => float.IsSubnormal(value) ? (float.IsNegative(value) ? -0f : 0f) : value;

    private static void Reference(float[] x, float[] m, float[] v, float[] g, float lr, float beta1, float beta2, float eps, float beta1Power,
        float beta2Power, bool nesterov)
    {
        var alpha = lr * MathF.Sqrt(1f - beta2Power) / (1f - beta1Power);
        for (var i = 0; i < x.Length; i++)
        {
            var (gi, mi, vi) = (F(g[i]), F(m[i]), F(v[i]));
            var a = F(gi - mi);
            a = F(a * (1f - beta1));
            mi = F(mi + a);
            var b = F(gi * gi);
            b = F(b - vi);
            b = F(b * (1f - beta2));
            vi = F(vi + b);
            var step = nesterov ? F(F(F(gi * (1f - beta1)) + F(mi * beta1)) * alpha) : F(mi * alpha);
            (m[i], v[i]) = (mi, vi);
            x[i] = F(F(x[i]) - F(step / F(MathF.Sqrt(vi) + eps)));
        }
    }

    public static TheoryData<bool, bool, bool> Loops() => new()
    {
        // Nesterov, the 16-element loop, the 8-element loop (each in software vectors where the machine lacks them)
        { false, true, true }, { true, true, true }, { false, false, true }, { true, false, true }, { false, true, false }, { true, false, false },
    };

    /// <summary>Runs <paramref name="body"/> with the update's vector loops set as given, then restores them.</summary>
    private static void WithLoops(bool wide512, bool wide256, Action body)
    {
        var saved = (ApplyAdam.Wide512, ApplyAdam.Wide256);
        try
        {
            (ApplyAdam.Wide512, ApplyAdam.Wide256) = (wide512, wide256);
            body();
        }
        finally
        {
            (ApplyAdam.Wide512, ApplyAdam.Wide256) = saved;
        }
    }

    [Theory, MemberData(nameof(Loops))]
    public void OnePassEqualsTheScalarRule(bool nesterov, bool wide512, bool wide256) => WithLoops(wide512, wide256, () =>
    {
        const float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-7f, beta1Power = 0.9f * 0.9f, beta2Power = 0.999f * 0.999f;
        foreach (var n in Enumerable.Range(0, 40).Append(1037))
        {
            var (x, m, v, g) = (Values(n, 1, 3f), Values(n, 2, 0.5f), Values(n, 3, 0.2f, positive: true), Values(n, 4, 2f));
            var (x1, m1, v1) = ((float[])x.Clone(), (float[])m.Clone(), (float[])v.Clone());
            Reference(x1, m1, v1, g, lr, beta1, beta2, eps, beta1Power, beta2Power, nesterov);
            var alpha = lr * MathF.Sqrt(1f - beta2Power) / (1f - beta1Power);
            ApplyAdam.UpdateSingle(x, m, v, g, 1f - beta1, 1f - beta2, beta1, alpha, eps, nesterov);
            for (var i = 0; i < n; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(m1[i]) == BitConverter.SingleToInt32Bits(m[i]), $"m[{i}] of {n}: {m[i]} against {m1[i]}");
                Assert.True(BitConverter.SingleToInt32Bits(v1[i]) == BitConverter.SingleToInt32Bits(v[i]), $"v[{i}] of {n}: {v[i]} against {v1[i]}");
                Assert.True(BitConverter.SingleToInt32Bits(x1[i]) == BitConverter.SingleToInt32Bits(x[i]), $"x[{i}] of {n}: {x[i]} against {x1[i]}");
            }
        }
    });

    [Theory, MemberData(nameof(Loops))]
    public void DenormalsCountAsZero(bool nesterov, bool wide512, bool wide256) => WithLoops(wide512, wide256, () =>
    {
        foreach (var n in new[] { 37, 29, 7 }) // 16 + 16 + 5, 16 + 8 + 5 (or 8 + 8 + 8 + 5), the scalar loop alone
            DenormalCase(n, nesterov);
    });

    private static void DenormalCase(int n, bool nesterov)
    {
        // Moments whose gradient is zero decaying through the denormal range, a denormal gradient, a denormal weight,
        // and a product (g·g) that underflows: each comes out as TensorFlow's flush-to-zero mode has it.
        var tiny = BitConverter.Int32BitsToSingle(0x00000400); // a denormal
        var x = Values(n, 7, 1f);
        var m = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? tiny * (i + 1) : i % 3 == 1 ? -1.5e-38f : 2e-5f).ToArray();
        var v = Enumerable.Range(0, n).Select(i => i % 4 == 0 ? tiny : 1.3e-38f * (1 + i % 5)).ToArray();
        var g = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 0f : i % 5 == 1 ? tiny : i % 5 == 2 ? 3e-20f : -1e-3f).ToArray();
        x[3] = -tiny;
        // Two normal operands whose sum is denormal: m + (g - m)·(1 - beta1) = 1.5e-38 - 1.4e-38.
        (m[2], g[2]) = (1.5e-38f, -1.25e-37f);
        var (x1, m1, v1) = ((float[])x.Clone(), (float[])m.Clone(), (float[])v.Clone());
        Reference(x1, m1, v1, g, 0.001f, 0.9f, 0.999f, 1e-8f, 0.9f, 0.999f, nesterov);
        var alpha = 0.001f * MathF.Sqrt(1f - 0.999f) / (1f - 0.9f);
        ApplyAdam.UpdateSingle(x, m, v, g, 1f - 0.9f, 1f - 0.999f, 0.9f, alpha, 1e-8f, nesterov);
        for (var i = 0; i < n; i++)
        {
            Assert.False(float.IsSubnormal(m[i]) || float.IsSubnormal(v[i]) || float.IsSubnormal(x[i]), $"element {i} left denormal");
            Assert.True(BitConverter.SingleToInt32Bits(m1[i]) == BitConverter.SingleToInt32Bits(m[i]), $"m[{i}]: {m[i]} against {m1[i]}");
            Assert.True(BitConverter.SingleToInt32Bits(v1[i]) == BitConverter.SingleToInt32Bits(v[i]), $"v[{i}]: {v[i]} against {v1[i]}");
            Assert.True(BitConverter.SingleToInt32Bits(x1[i]) == BitConverter.SingleToInt32Bits(x[i]), $"x[{i}]: {x[i]} against {x1[i]}");
        }
        // The moments of zero gradients that were denormal are zeros now; those that were normal went on decaying.
        Assert.Equal(0f, m[0]);
        Assert.Equal(0f, m[2]);
        Assert.Equal(2e-5f * 0.9f, m[5], 1e-12f);
    }

    [Fact]
    public void OperandsOfOtherLengthsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => ApplyAdam.UpdateSingle(new float[4], new float[4], new float[3], new float[4], 0.1f, 0.001f, 0.9f, 0.01f, 1e-7f, false));
        Assert.Contains("ApplyAdam", e.Message);
    }

    [Fact]
    public void AdamOptimizerOnFloat32EqualsTheScalarRule()
    {
        const int n = 1037, steps = 4;
        var w0 = Values(n, 5, 1f);
        var target = Values(n, 6, 1f);
        using var graph = TestGraph.Enter();
        var w = tf.Variable(NDArray.FromFlat(w0, new Shape(n)), name: "w");
        // loss = sum((w - t)²)/2: the gradient is w - t, computed here in float32 as the graph does.
        var loss = tf.reduce_sum(tf.square(w - tf.constant(NDArray.FromFlat(target, new Shape(n))))) / 2f;
        var train = tf.train.AdamOptimizer(0.01).minimize(loss);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var (x, m, v) = ((float[])w0.Clone(), new float[n], new float[n]);
        float b1p = 0.9f, b2p = 0.999f;
        for (var s = 0; s < steps; s++)
        {
            var g = x.Select((xi, i) => xi - target[i]).ToArray();
            Reference(x, m, v, g, 0.01f, 0.9f, 0.999f, 1e-8f, b1p, b2p, nesterov: false);
            b1p *= 0.9f;
            b2p *= 0.999f;
            sess.run(train);
            var actual = sess.run(w).ToArray<float>();
            for (var i = 0; i < n; i++)
                Assert.True(BitConverter.SingleToInt32Bits(x[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"step {s}, w[{i}]: {actual[i]} against {x[i]}");
        }
    }
}
