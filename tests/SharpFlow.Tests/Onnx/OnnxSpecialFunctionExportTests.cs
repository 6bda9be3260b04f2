using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Lgamma, Digamma, Zeta and Polygamma exported to ONNX as element-wise operators (ONNX has no special functions),
/// run in ONNX Runtime against SharpFlow's own run within 1e-5 relative in float32 over wide
/// ranges (1e-7 in float64: next to a pole, sin(πx) of the rounded product πx is ill-conditioned, and ONNX Runtime's
/// sin and .NET's differ there beyond float64's rounding): negative non-integers, values next to the poles, tiny and huge arguments, a negative q with an integer s;
/// the same infinities and NaNs at the poles, at ±∞ and for NaN; and against plain values (π²/6, Euler's γ, ...), at
/// opsets 13 and 17.
/// </summary>
public sealed class OnnxSpecialFunctionExportTests
{
    private static readonly float[] Wide =
    [
        0.5f, 1f, 2f, 3f, 1.5f, 1.4616321f, 2.5f, 3.7f, 9.99f, 10f, 10.5f, 57.3f, 1e3f, 1.2345e5f, 9.9e6f, 1e7f, 2e7f, 1e12f, 1e30f, 3e38f,
        1e-30f, 1e-7f, 0.1f, 0.9999999f, 1.0000001f, 1.9999999f, 2.0000002f,
        -0.5f, -1.5f, -2.4570248f, -2.5f, -0.1f, -10.3f, -100.25f, -1234.5f, -99999.5f, -0.9999999f, -1.0000001f, -2.9999998f, -3.0000002f, -1e-7f,
        0f, -1f, -2f, -3f, -50f, -1e6f, float.PositiveInfinity, float.NegativeInfinity, float.NaN,
    ];

    /// <summary>
    /// Each value within <paramref name="rtol"/> of SharpFlow's, relative (plus <paramref name="atol"/>, for float64
    /// values next to a zero of the function); NaN where SharpFlow's is NaN, the same infinities.
    /// </summary>
    private static void Close(NDArray expected, NDArray actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape.Dims, actual.shape.Dims);
        var (e, a) = (expected.Cast(DType.float64).ToArray<double>(), actual.Cast(DType.float64).ToArray<double>());
        for (var i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) && double.IsNaN(a[i]) || e[i] == a[i]) continue;
            Assert.True(System.Math.Abs(e[i] - a[i]) <= rtol * System.Math.Abs(e[i]) + atol, $"{what}: element {i}: SharpFlow {e[i]:R}, ONNX Runtime {a[i]:R}");
        }
    }

    /// <summary>Exports <paramref name="y"/> of the placeholders, runs it in ONNX Runtime and compares with SharpFlow's run; returns SharpFlow's values.</summary>
    private static NDArray Agrees(Tensor y, (Tensor Placeholder, NDArray Value)[] feeds, int opset, double rtol, double atol = 0)
    {
        using var sess = tf.Session();
        var inputs = feeds.ToDictionary(f => f.Placeholder.op.name, f => f.Placeholder);
        var model = OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["y"] = y }, opset);
        Assert.Equal(opset, model.Opset);
        var dict = new FeedDict();
        foreach (var (p, v) in feeds) dict[p] = v;
        var ours = sess.run(y, dict);
        var ort = RunOnnxRuntime(model.ToByteArray(), [.. feeds.Select(f => (f.Placeholder.op.name, f.Value))], ["y"])[0];
        Close(ours, ort, rtol, atol, $"{y.op.type} (opset {opset})");
        return ort;
    }

    private static NDArray Vector(float[] values) => NDArray.FromFlat(values, new Shape(values.Length));

    private static NDArray Vector(double[] values) => NDArray.FromFlat(values, new Shape(values.Length));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void LgammaAgreesWithSharpFlowOverWideRangesAndAtThePoles(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1), name: "x");
        var y = Agrees(tf.lgamma(x), [(x, Vector(Wide))], opset, 1e-5).ToArray<float>();
        // Plain values: lgamma(1/2) = log √π, lgamma(-1/2) = log 2√π, 0 at 1 and 2, +∞ at the poles and at ±∞, NaN for NaN.
        Assert.Equal(0.5723649429247001, y[0], 6);
        Assert.Equal(1.2655121234846454, y[Array.IndexOf(Wide, -0.5f)], 6);
        Assert.Equal((0f, 0f), (y[1], y[2]));
        Assert.Equal(System.Math.Log(2), y[3], 6);
        foreach (var pole in new[] { 0f, -1f, -2f, -3f, -50f, -1e6f, float.PositiveInfinity, float.NegativeInfinity })
            Assert.Equal(float.PositiveInfinity, y[Array.IndexOf(Wide, pole)]);
        Assert.True(float.IsNaN(y[^1]));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void DigammaAgreesWithSharpFlowOverWideRangesAndAtThePoles(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1), name: "x");
        var y = Agrees(tf.digamma(x), [(x, Vector(Wide))], opset, 1e-5).ToArray<float>();
        // ψ(1) = -γ, ψ(1/2) = -γ - 2 log 2, ψ(-1/2) = ψ(1/2) + 2; NaN at the poles, at -∞ and for NaN, +∞ at +∞.
        Assert.Equal(-0.5772156649015329, y[1], 6);
        Assert.Equal(-1.9635100260214235, y[0], 6);
        Assert.Equal(0.036489973978576, y[Array.IndexOf(Wide, -0.5f)], 5);
        foreach (var pole in new[] { 0f, -1f, -2f, -3f, -50f, -1e6f, float.NegativeInfinity, float.NaN })
            Assert.True(float.IsNaN(y[Array.IndexOf(Wide, pole)]), $"digamma({pole})");
        Assert.Equal(float.PositiveInfinity, y[Array.IndexOf(Wide, float.PositiveInfinity)]);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void LgammaAndDigammaAgreeInFloat64AndFloat16(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float64, new Shape(-1), name: "x");
        var values = Wide.Select(v => (double)v).Concat([1e100, -1e100 + 0.5, 1e300, 4.9e-324, -7.000000001, 170.5]).ToArray();
        Agrees(tf.lgamma(x), [(x, Vector(values))], opset, 1e-7, 1e-14);
        Agrees(tf.digamma(x), [(x, Vector(values))], opset, 1e-7, 1e-14);
        var h = tf.placeholder(tf.float16, new Shape(-1), name: "h");
        var halves = NDArray.FromFlat(new[] { 0.5, 3.25, -1.5, 0, 100, -2.25 }.Select(v => (Half)v).ToArray(), new Shape(6));
        Agrees(tf.lgamma(h), [(h, halves)], opset, 1e-3);
        Agrees(tf.digamma(h), [(h, halves)], opset, 1e-3);
    }

    /// <summary>Every (s, q) pair of the two lists, as two vectors.</summary>
    private static (float[] S, float[] Q) Pairs(float[] s, float[] q) =>
        ([.. s.SelectMany(a => q.Select(_ => a))], [.. s.SelectMany(_ => q)]);

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ZetaAgreesWithSharpFlowOverWideRangesAndAtThePoles(int opset)
    {
        using var g = TestGraph.Enter();
        var s = tf.placeholder(tf.float32, new Shape(-1), name: "s");
        var q = tf.placeholder(tf.float32, new Shape(-1), name: "q");
        var (sv, qv) = Pairs(
            [1f, 1.0001f, 1.5f, 2f, 3f, 4.5f, 7f, 10f, 12f, 25f, 60f, 150f, 0.5f, 0f, -2f, float.NaN],
            [1e-6f, 0.1f, 0.5f, 1f, 2.5f, 9.9f, 10f, 37f, 1e3f, 1e6f, 3e38f, -0.5f, -2.5f, -20.5f, -1234.25f, 0f, -1f, -7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity]);
        var y = Agrees(tf.zeta(s, q), [(s, Vector(sv)), (q, Vector(qv))], opset, 1e-5).ToArray<float>();
        float At(float a, float b) => y[Enumerable.Range(0, sv.Length).First(i => sv[i].Equals(a) && qv[i].Equals(b))];
        // ζ(2) = π²/6, ζ(2, 1/2) = 3ζ(2) = π²/2, ζ(3) (Apéry's constant); +∞ at s = 1 and at a pole of q, NaN below s = 1 and for a negative base.
        Assert.Equal(System.Math.PI * System.Math.PI / 6, At(2f, 1f), 5);
        Assert.Equal(System.Math.PI * System.Math.PI / 2, At(2f, 0.5f), 5);
        Assert.Equal(1.2020569031595942, At(3f, 1f), 5);
        Assert.Equal(float.PositiveInfinity, At(1f, 2.5f));
        Assert.Equal(float.PositiveInfinity, At(3f, -7f));
        Assert.True(float.IsNaN(At(0.5f, 1f)) && float.IsNaN(At(1.5f, -0.5f)) && float.IsNaN(At(2f, float.NaN)));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ZetaBroadcastsAndAgreesInFloat64(int opset)
    {
        using var g = TestGraph.Enter();
        var s = tf.placeholder(tf.float64, new Shape(-1, 1), name: "s");
        var q = tf.placeholder(tf.float64, new Shape(-1), name: "q");
        var sv = NDArray.FromFlat(new[] { 1.1, 2, 3.5, 8, 40 }, new Shape(5, 1));
        var qv = Vector([0.001, 0.75, 3, 11.5, 400, -3.5, -15.5]);
        Agrees(tf.zeta(s, q), [(s, sv), (q, qv)], opset, 1e-7, 1e-14);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void PolygammaAgreesWithSharpFlowForEveryOrder(int opset)
    {
        using var g = TestGraph.Enter();
        var n = tf.placeholder(tf.float32, new Shape(-1), name: "n");
        var x = tf.placeholder(tf.float32, new Shape(-1), name: "x");
        var (nv, xv) = Pairs([0f, 1f, 2f, 3f, 5f, 10f, 1.5f, -1f, float.NaN],
            [1f, 0.5f, 2.5f, 0.01f, 7.25f, 30f, 1e4f, -0.5f, -3.75f, -20.5f, 0f, -2f, float.NaN]);
        var y = Agrees(tf.polygamma(n, x), [(n, Vector(nv)), (x, Vector(xv))], opset, 1e-5).ToArray<float>();
        float At(float a, float b) => y[Enumerable.Range(0, nv.Length).First(i => nv[i].Equals(a) && xv[i].Equals(b))];
        // ψ(1) = -γ, ψ'(1) = π²/6, ψ''(1) = -2ζ(3), ψ'(-1/2) = π²/2 + 4; NaN for a non-integer or negative order.
        Assert.Equal(-0.5772156649015329, At(0f, 1f), 5);
        Assert.Equal(System.Math.PI * System.Math.PI / 6, At(1f, 1f), 5);
        Assert.Equal(-2.4041138063191885, At(2f, 1f), 5);
        Assert.Equal(System.Math.PI * System.Math.PI / 2 + 4, At(1f, -0.5f), 4);
        Assert.True(float.IsNaN(At(1.5f, 1f)) && float.IsNaN(At(-1f, 1f)) && float.IsNaN(At(float.NaN, 1f)));
        var d = tf.placeholder(tf.float64, new Shape(-1), name: "d");
        Agrees(tf.polygamma(tf.constant(new[] { 0.0, 1, 4 }, tf.float64), tf.reshape(d, new[] { -1, 1 })), [(d, Vector([0.3, 6.5, -1.25, 123.0]))], opset, 1e-7, 1e-14);
    }
}
