namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>
/// The element-wise math ops (Sin … Expm1, IsNan, IsInf, IsFinite, Round, Ceil, Reciprocal, Rsqrt, Atan2, the
/// special functions, integer Relu): forward against float64 reference functions in float32 and float64, values
/// from TensorFlow's kernel tests and from tables, and the errors.
/// </summary>
public class UnaryMathTests
{
    private static readonly double[] Points = [-2.7, -1.3, -0.9, -0.4, -1e-6, 0, 3e-7, 0.25, 0.5, 0.8, 1, 1.7, 2.2, 3.9];

    public static TheoryData<string> UnaryNames() => [.. Unary.Keys];

    private static readonly Dictionary<string, (Func<Tensor, Tensor> Op, Func<double, double> Reference, Func<double, bool> Domain)> Unary = new()
    {
        ["sin"] = (t => tf.sin(t), Math.Sin, _ => true),
        ["cos"] = (t => tf.cos(t), Math.Cos, _ => true),
        ["tan"] = (t => tf.tan(t), Math.Tan, _ => true),
        ["asin"] = (t => tf.asin(t), Math.Asin, v => Math.Abs(v) <= 1),
        ["acos"] = (t => tf.acos(t), Math.Acos, v => Math.Abs(v) <= 1),
        ["atan"] = (t => tf.atan(t), Math.Atan, _ => true),
        ["sinh"] = (t => tf.sinh(t), Math.Sinh, _ => true),
        ["cosh"] = (t => tf.cosh(t), Math.Cosh, _ => true),
        ["rsqrt"] = (t => tf.rsqrt(t), v => 1 / Math.Sqrt(v), v => v > 0),
        ["reciprocal"] = (t => tf.reciprocal(t), v => 1 / v, v => v != 0),
        ["ceil"] = (t => tf.ceil(t), Math.Ceiling, _ => true),
        ["round"] = (t => tf.round(t), v => Math.Round(v, MidpointRounding.ToEven), _ => true),
        ["expm1"] = (t => tf.expm1(t), ReferenceExpm1, _ => true),
        ["erf"] = (t => tf.erf(t), ReferenceErf, _ => true),
        ["erfc"] = (t => tf.erfc(t), v => 1 - ReferenceErf(v), v => v < 1.5),
        ["lgamma"] = (t => tf.lgamma(t), ReferenceLgamma, v => v != 0),
        ["digamma"] = (t => tf.digamma(t), ReferenceDigamma, v => v > 0),
    };

    /// <summary>erf by its Taylor series, summed in decimal (slow and plain).</summary>
    private static double ReferenceErf(double x)
    {
        decimal sum = 0, term = (decimal)x, x2 = (decimal)(x * x);
        for (var n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term = -term * x2 / (n + 1);
            if (Math.Abs(term) < 1e-26m) break;
        }
        return (double)sum * 2 / Math.Sqrt(Math.PI);
    }

    private static double ReferenceExpm1(double x)
    {
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1;
        double sum = 0, term = x;
        for (var n = 2; n < 40; n++)
        {
            sum += term;
            term *= x / n;
        }
        return sum;
    }

    /// <summary>lgamma from Γ(x+n) = Γ(x)·x(x+1)…(x+n-1) and Stirling's series at x+n ≥ 30.</summary>
    private static double ReferenceLgamma(double x)
    {
        var logProduct = 0.0;
        while (x < 30)
        {
            logProduct += Math.Log(Math.Abs(x));
            x += 1;
        }
        var stirling = (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * Math.Pow(x, 5));
        return stirling - logProduct;
    }

    /// <summary>ψ(x) as the central difference of the reference lgamma would be too coarse: recurrence to x ≥ 30, then the series.</summary>
    private static double ReferenceDigamma(double x)
    {
        var shift = 0.0;
        while (x < 30)
        {
            shift -= 1 / x;
            x += 1;
        }
        var z = 1 / (x * x);
        return shift + Math.Log(x) - 0.5 / x - z / 12 + z * z / 120 - z * z * z / 252;
    }

    private static Tensor D(params double[] v) => tf.constant(v, tf.float64);

    [Theory, MemberData(nameof(UnaryNames))]
    public void MatchesTheFloat64Reference(string name)
    {
        var (op, reference, domain) = Unary[name];
        var xs = Points.Where(domain).ToArray();
        using var g = TestGraph.Enter();
        var d = g.Eval(op(tf.constant(xs, tf.float64)));
        var f = g.Eval(op(tf.constant(xs.Select(v => (float)v).ToArray())));
        Assert.Equal(DType.float64, d.dtype);
        Assert.Equal(DType.float32, f.dtype);
        var dv = d.ToArray<double>();
        var fv = f.ToArray<float>();
        for (var i = 0; i < xs.Length; i++)
        {
            var e = reference(xs[i]);
            Assert.True(Math.Abs(dv[i] - e) <= 1e-13 * Math.Max(1, Math.Abs(e)), $"{name}({xs[i]}) float64: expected {e:R}, got {dv[i]:R}");
            var ef = reference((float)xs[i]);
            Assert.True(Math.Abs(fv[i] - ef) <= 4e-7 * Math.Max(1, Math.Abs(ef)), $"{name}({xs[i]}) float32: expected {ef:R}, got {fv[i]:R}");
        }
    }

    [Fact]
    public void RoundIsBankersRoundingAsInTensorFlowsTest()
    {
        // cwise_ops_unary_test.py testRound: halves go to the even neighbour.
        using var g = TestGraph.Enter();
        var x = new[] { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f, 3.7f, -3.7f, 0.49999997f };
        AssertArray.Equal(new[] { -2f, -2f, -0f, 0f, 2f, 2f, 4f, 4f, -4f, 0f }, g.Eval(tf.round(x)));
        AssertArray.Equal(new[] { -3, 0, 7 }, g.Eval(tf.round(new[] { -3, 0, 7 })));
    }

    [Fact]
    public void SpecialFunctionsMatchTables()
    {
        using var g = TestGraph.Enter();
        void Check(Tensor t, double[] expected, double tolerance = 1e-14)
            => AssertArray.Close(NDArray.FromFlat(expected, new Shape(expected.Length)), g.Eval(t), tolerance);
        Check(tf.erf(D(0.5, 1, 2, 3, -2.5, 6.5)), [0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, -0.9995930479825550, 1]);
        Check(tf.erfc(D(3.0, 5, 10, -1, 0)), [2.209049699858544e-05, 1.5374597944280349e-12, 2.088487583762545e-45, 1.8427007929497148, 1], 1e-13);
        Assert.True(Math.Abs(g.Eval(tf.erfc(D(10.0))).ToArray<double>()[0] / 2.088487583762545e-45 - 1) < 1e-12, "erfc keeps relative precision in the tail");
        Check(tf.lgamma(D(0.5, 3, 10, -0.5, 100, 1, 2)), [0.5723649429247001, 0.6931471805599453, 12.801827480081469, 1.2655121234846454, 359.1342053695754, 0, 0], 1e-13);
        Check(tf.digamma(D(1.0, 0.5, 10, -0.5)), [-0.5772156649015329, -1.9635100260214235, 2.251752589066721, 0.03648997397857652], 1e-13);
        Check(tf.polygamma(D(1.0, 2, 0), D(1.0, 1, 1)), [1.6449340668482264, -2.4041138063191885, -0.5772156649015329], 1e-13);
        Check(tf.zeta(D(2.0, 3), D(1.0, 2)), [1.6449340668482264, 0.2020569031595942], 1e-13);
        Check(tf.expm1(D(1e-10, -1e-10, 1e-3, 50)), [1.00000000005e-10, -9.9999999995e-11, 1.0005001667083417e-3, 5.184705528587072e21], 1e-14);
    }

    [Fact]
    public void PolesAndDomainEdges()
    {
        using var g = TestGraph.Enter();
        var lg = g.Eval(tf.lgamma(D(0.0, -1, -2, double.PositiveInfinity))).ToArray<double>();
        Assert.All(lg, v => Assert.Equal(double.PositiveInfinity, v));
        Assert.True(double.IsNaN(g.Eval(tf.digamma(D(-2.0))).ToArray<double>()[0]));
        Assert.True(double.IsNaN(g.Eval(tf.polygamma(D(1.5), D(2.0))).ToArray<double>()[0]), "non-integer order");
        Assert.True(double.IsNaN(g.Eval(tf.asin(1.5f)).ToArray<float>()[0]));
        Assert.Equal(float.PositiveInfinity, g.Eval(tf.rsqrt(0f)).ToArray<float>()[0]);
        Assert.Equal(float.PositiveInfinity, g.Eval(tf.reciprocal(0f)).ToArray<float>()[0]);
        Assert.Equal(-1.0, g.Eval(tf.expm1(D(-800.0))).ToArray<double>()[0]);
        Assert.Equal(double.PositiveInfinity, g.Eval(tf.expm1(D(800.0))).ToArray<double>()[0]);
    }

    [Fact]
    public void Atan2CoversEveryQuadrantAndBroadcasts()
    {
        using var g = TestGraph.Enter();
        double[] y = [1, 1, -1, -1, 0, 0], x = [1, -1, -1, 1, -1, 1];
        var expected = y.Select((v, i) => Math.Atan2(v, x[i])).ToArray();
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(6)), g.Eval(tf.atan2(D(y), D(x))), 1e-15);
        var b = tf.atan2(tf.constant(new[,] { { 1f }, { -2f } }), tf.constant(new[] { 1f, -1f, 3f }));
        Assert.Equal(new Shape(2, 3), b.shape);
        var bv = g.Eval(b).ToArray<float>();
        Assert.Equal(MathF.Atan2(-2, 3), bv[5]);
        Assert.Equal("Atan2", b.op.type);
    }

    [Fact]
    public void IsNanIsInfIsFinite()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -3f });
        AssertArray.Equal(new[] { false, true, false, false, false, false }, g.Eval(tf.is_nan(x)));
        AssertArray.Equal(new[] { false, false, true, true, false, false }, g.Eval(tf.is_inf(x)));
        AssertArray.Equal(new[] { true, false, false, false, true, true }, g.Eval(tf.is_finite(x)));
        Assert.Equal(DType.@bool, tf.is_nan(D(1.0)).dtype);
    }

    [Fact]
    public void IntegerReluAndRelu6AndReciprocal()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 0, 0, 3, 9 }, g.Eval(tf.nn.relu(tf.constant(new[] { -5, 0, 3, 9 }))));
        AssertArray.Equal(new[] { 0L, 0, 3, 6 }, g.Eval(tf.nn.relu6(tf.constant(new long[] { -5, 0, 3, 9 }))));
        AssertArray.Equal(new[] { 1, 0, 0, -1 }, g.Eval(tf.reciprocal(new[] { 1, 2, -3, -1 })));
    }

    [Fact]
    public void BadDTypesAreRefusedNamingTheOp()
    {
        using var g = TestGraph.Enter();
        foreach (var (op, build) in new (string, Func<Tensor>)[]
                 {
                     ("Sin", () => tf.sin(tf.constant(new[] { 1 }))), ("Erf", () => tf.erf(tf.constant(new[] { 1 }))),
                     ("Ceil", () => tf.ceil(tf.constant(new[] { 1 }))), ("IsNan", () => tf.is_nan(tf.constant(new[] { 1 }))),
                     ("Relu", () => tf.nn.relu(tf.constant(new[] { true }))), ("Atan2", () => tf.atan2(tf.constant(new[] { 1 }), tf.constant(new[] { 1 }))),
                     ("Round", () => tf.round(tf.constant(new[] { true }))),
                 })
        {
            var e = Assert.Throws<TypeError>(build);
            Assert.Contains(op, e.Message, StringComparison.Ordinal);
            Assert.Contains("not supported", e.Message, StringComparison.Ordinal);
        }
        var shapes = Assert.Throws<ValueError>(() => tf.atan2(tf.constant(new[] { 1f, 2f }), tf.constant(new[] { 1f, 2f, 3f })));
        Assert.Contains("Atan2", shapes.Message, StringComparison.Ordinal);
        var p = tf.placeholder(tf.int32);
        var div = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.reciprocal(p, name: "inv"), new FeedDict { [p] = new[] { 0 } }));
        Assert.Contains("Integer division by zero", div.Message, StringComparison.Ordinal);
        Assert.Contains("inv", div.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTfMathAliasesBuildTheSameOps()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 0.5f, -1.5f, 2f });
        foreach (var (alias, type) in new (Tensor, string)[]
                 {
                     (tf.math.sin(x), "Sin"), (tf.math.erf(x), "Erf"), (tf.math.is_nan(x), "IsNan"), (tf.math.reduce_logsumexp(x), "Add"),
                     (tf.math.top_k(x, 2).values, "TopKV2"), (tf.math.reduce_any(tf.math.is_finite(x)), "Any"), (tf.math.softsign(x), "Softsign"),
                 })
            Assert.Equal(type, alias.op.type);
        AssertArray.Equal(g.Eval(tf.erf(x)).ToArray<float>(), g.Eval(tf.math.erf(x)));
    }
}
