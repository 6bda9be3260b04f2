namespace SharpFlow.Kernels;

/// <summary>
/// The special functions of TensorFlow's element-wise ops (erf, erfc, lgamma, digamma, Hurwitz zeta, polygamma,
/// expm1) in float64; float32 kernels round the float64 result once.
/// </summary>
public static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double InvSqrtPi = 0.5641895835477563;

    /// <summary>The error function.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        var a = Math.Abs(x);
        if (a >= 6) return Math.Sign(x);
        if (a > 2.5) return Math.Sign(x) * (1 - ErfcContinuedFraction(a));
        // erf(x) = 2/√π·e^(-x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)): every term is positive, so nothing cancels.
        var term = a;
        var sum = a;
        var x2 = a * a;
        for (var n = 1; n < 200 && term > sum * 1e-17; n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return Math.Sign(x) * TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    /// <summary>The complementary error function 1 - erf(x), accurate where it is tiny.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 2) return 1 - Erf(x);
        if (x > 27.3) return 0;
        return ErfcContinuedFraction(x);
    }

    /// <summary>erfc(x) for x &gt; 2 from its continued fraction e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))).</summary>
    private static double ErfcContinuedFraction(double x)
    {
        // Modified Lentz evaluation of b0 + a1/(b1 + a2/(b2 + …)) with b = x and a_k = k/2.
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var k = 1; k < 500; k++)
        {
            var ak = k * 0.5;
            d = x + ak * d;
            if (d == 0) d = tiny;
            c = x + ak / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) * InvSqrtPi / f;
    }

    /// <summary>The Lanczos coefficients of <see cref="Lgamma"/> (g = 7, 9 terms), for code that computes it as the kernel does.</summary>
    public static ReadOnlySpan<double> LanczosCoefficients => Lanczos;

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>log|Γ(x)|: +inf at the poles (0, -1, -2, …), as TensorFlow.</summary>
    public static double Lgamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x)) return double.PositiveInfinity;
        if (x <= 0 && x == Math.Floor(x)) return double.PositiveInfinity;
        if (x == 1 || x == 2) return 0;
        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1-x) = π/sin(πx).
            return Math.Log(Math.PI / Math.Abs(SinPi(x))) - Lgamma(1 - x);
        }
        if (x > 1e7)
        {
            // Stirling's series; the Lanczos sum adds nothing at this size.
            return (x - 0.5) * Math.Log(x) - x + 0.91893853320467274 + 1 / (12 * x);
        }
        x -= 1;
        var a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < Lanczos.Length; i++) a += Lanczos[i] / (x + i);
        return 0.91893853320467274 + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>sin(πx), the argument reduced first to [-1, 1] exactly, so that it is exact at the integers and half-integers.</summary>
    private static double SinPi(double x)
    {
        var r = x - 2 * Math.Round(x / 2);
        if (r == 0 || Math.Abs(r) == 1) return 0;
        if (Math.Abs(r) == 0.5) return Math.Sign(r);
        return Math.Sin(Math.PI * r);
    }

    /// <summary>cos(πx), reduced as <see cref="SinPi"/>.</summary>
    private static double CosPi(double x)
    {
        var r = x - 2 * Math.Round(x / 2);
        if (Math.Abs(r) == 0.5) return 0;
        return Math.Cos(Math.PI * r);
    }

    /// <summary>ψ(x) = Γ'(x)/Γ(x): NaN at the poles.</summary>
    public static double Digamma(double x)
    {
        if (double.IsNaN(x) || double.IsNegativeInfinity(x)) return double.NaN;
        if (double.IsPositiveInfinity(x)) return x;
        var result = 0.0;
        if (x <= 0)
        {
            if (x == Math.Floor(x)) return double.NaN;
            // Reflection: ψ(1-x) - ψ(x) = π cot(πx).
            var s = SinPi(x);
            var c = CosPi(x);
            result = -Math.PI * c / s;
            x = 1 - x;
        }
        while (x < 10)
        {
            result -= 1 / x;
            x += 1;
        }
        // The asymptotic series ln x - 1/(2x) - Σ B₂ₖ/(2k x²ᵏ).
        var inv2 = 1 / (x * x);
        var series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))));
        return result + Math.Log(x) - 0.5 / x - series;
    }

    /// <summary>B₂ₖ/(2k)! for k = 1..12: the Euler–Maclaurin correction terms of the Hurwitz zeta function, as <see cref="Zeta"/> uses them.</summary>
    public static ReadOnlySpan<double> ZetaCorrections => BernoulliOverFactorial;

    private static readonly double[] BernoulliOverFactorial = BuildBernoulliOverFactorial();

    private static double[] BuildBernoulliOverFactorial()
    {
        double[] b = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510, 43867.0 / 798, -174611.0 / 330, 854513.0 / 138, -236364091.0 / 2730];
        var result = new double[b.Length];
        var factorial = 1.0;
        for (var k = 1; k <= b.Length; k++)
        {
            factorial *= (2 * k - 1) * (2 * k);
            result[k - 1] = b[k - 1] / factorial;
        }
        return result;
    }

    /// <summary>The Hurwitz zeta function ζ(s, q) = Σₖ (q + k)^-s, for s &gt; 1 (NaN for s &lt; 1, +inf for s = 1).</summary>
    public static double Zeta(double s, double q)
    {
        if (double.IsNaN(s) || double.IsNaN(q)) return double.NaN;
        if (s == 1) return double.PositiveInfinity;
        if (s < 1) return double.NaN;
        if (q <= 0)
        {
            if (q == Math.Floor(q)) return double.PositiveInfinity;
            if (s != Math.Floor(s)) return double.NaN; // (q + k)^-s of a negative base is not real
        }
        // Euler-Maclaurin: the first terms summed, the tail from N on as an integral plus Bernoulli corrections.
        var sum = 0.0;
        var a = q;
        while (a < 10 || a < s)
        {
            sum += Math.Pow(a, -s);
            a += 1;
        }
        sum += Math.Pow(a, 1 - s) / (s - 1) + 0.5 * Math.Pow(a, -s);
        var rising = s; // s(s+1)…(s+2k-2)
        var power = Math.Pow(a, -s - 1);
        var inv2 = 1 / (a * a);
        for (var k = 0; k < BernoulliOverFactorial.Length; k++)
        {
            var term = BernoulliOverFactorial[k] * rising * power;
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * 1e-17) break;
            rising *= (s + 2 * k + 1) * (s + 2 * k + 2);
            power *= inv2;
        }
        return sum;
    }

    /// <summary>ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function: NaN unless n is a non-negative integer.</summary>
    public static double Polygamma(double n, double x)
    {
        if (double.IsNaN(n) || double.IsNaN(x) || n < 0 || n != Math.Floor(n)) return double.NaN;
        if (n == 0) return Digamma(x);
        var factorial = 1.0;
        for (var i = 2; i <= n; i++) factorial *= i;
        var sign = ((long)n % 2 == 1) ? 1.0 : -1.0;
        return sign * factorial * Zeta(n + 1, x);
    }

    /// <summary>e^x - 1, accurate near 0 (Kahan's correction of the rounded e^x).</summary>
    public static double Expm1(double x)
    {
        if (Math.Abs(x) < 1e-5) return x + 0.5 * x * x + x * x * x / 6;
        var u = Math.Exp(x);
        if (u == 1) return x;
        var um1 = u - 1;
        if (um1 == -1) return -1;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }
}
