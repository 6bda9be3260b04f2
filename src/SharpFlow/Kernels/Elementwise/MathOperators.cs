using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>Applies a float64 scalar function to every element (float32 rounds the float64 result once).</summary>
internal static class ScalarLoop
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d, Func<double, double> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = T.CreateTruncating(f(double.CreateTruncating(x[i])));
    }
}

/// <summary>Sine.</summary>
public readonly struct SinOperator : IFloatUnaryOperator<SinOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, d);
}

/// <summary>Cosine.</summary>
public readonly struct CosOperator : IFloatUnaryOperator<CosOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, d);
}

/// <summary>Tangent.</summary>
public readonly struct TanOperator : IFloatUnaryOperator<TanOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tan(x, d);
}

/// <summary>Arcsine (NaN outside [-1, 1]).</summary>
public readonly struct AsinOperator : IFloatUnaryOperator<AsinOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Asin(x, d);
}

/// <summary>Arccosine (NaN outside [-1, 1]).</summary>
public readonly struct AcosOperator : IFloatUnaryOperator<AcosOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Acos(x, d);
}

/// <summary>Arctangent.</summary>
public readonly struct AtanOperator : IFloatUnaryOperator<AtanOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Atan(x, d);
}

/// <summary>Hyperbolic sine.</summary>
public readonly struct SinhOperator : IFloatUnaryOperator<SinhOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sinh(x, d);
}

/// <summary>Hyperbolic cosine.</summary>
public readonly struct CoshOperator : IFloatUnaryOperator<CoshOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cosh(x, d);
}

/// <summary>1/√x.</summary>
public readonly struct RsqrtOperator : IFloatUnaryOperator<RsqrtOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = T.One / T.Sqrt(x[i]);
    }
}

/// <summary>Round half to even (banker's rounding), as TensorFlow's Round.</summary>
public readonly struct RoundOperator : IFloatUnaryOperator<RoundOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = T.Round(x[i], MidpointRounding.ToEven);
    }
}

/// <summary>Smallest integer not less than x.</summary>
public readonly struct CeilOperator : IFloatUnaryOperator<CeilOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Ceiling(x, d);
}

/// <summary>The error function.</summary>
public readonly struct ErfOperator : IFloatUnaryOperator<ErfOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => ScalarLoop.Apply(x, d, SpecialFunctions.Erf);
}

/// <summary>The complementary error function.</summary>
public readonly struct ErfcOperator : IFloatUnaryOperator<ErfcOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => ScalarLoop.Apply(x, d, SpecialFunctions.Erfc);
}

/// <summary>log|Γ(x)|.</summary>
public readonly struct LgammaOperator : IFloatUnaryOperator<LgammaOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => ScalarLoop.Apply(x, d, SpecialFunctions.Lgamma);
}

/// <summary>ψ(x), the derivative of lgamma.</summary>
public readonly struct DigammaOperator : IFloatUnaryOperator<DigammaOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => ScalarLoop.Apply(x, d, SpecialFunctions.Digamma);
}

/// <summary>e^x - 1, accurate near 0.</summary>
public readonly struct Expm1Operator : IFloatUnaryOperator<Expm1Operator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => ScalarLoop.Apply(x, d, SpecialFunctions.Expm1);
}

/// <summary>1/x for every numeric type (integer division for integers, as TensorFlow's Reciprocal).</summary>
public readonly struct ReciprocalOperator : IUnaryOperator<ReciprocalOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x) where T : unmanaged, INumber<T> => T.One / x;
}

/// <summary>max(x, 0) for integers.</summary>
public readonly struct IntegerReluOperator : IUnaryOperator<IntegerReluOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x) where T : unmanaged, INumber<T> => x > T.Zero ? x : T.Zero;
}

/// <summary>min(max(x, 0), 6) for integers.</summary>
public readonly struct IntegerRelu6Operator : IUnaryOperator<IntegerRelu6Operator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x) where T : unmanaged, INumber<T>
    {
        var six = T.CreateTruncating(6);
        return x < T.Zero ? T.Zero : x > six ? six : x;
    }
}

/// <summary>atan2(y, x): the angle of the point (x, y), with broadcasting (float32 and float64).</summary>
public readonly struct Atan2Operator : IBinaryOperator<Atan2Operator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) return T.CreateTruncating(MathF.Atan2(float.CreateTruncating(x), float.CreateTruncating(y)));
        return T.CreateTruncating(Math.Atan2(double.CreateTruncating(x), double.CreateTruncating(y)));
    }
}

/// <summary>ψ⁽ⁿ⁾(x) with broadcasting (a = n, b = x).</summary>
public readonly struct PolygammaOperator : IBinaryOperator<PolygammaOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> =>
        T.CreateTruncating(SpecialFunctions.Polygamma(double.CreateTruncating(x), double.CreateTruncating(y)));
}

/// <summary>The Hurwitz zeta function ζ(x, q) with broadcasting.</summary>
public readonly struct ZetaOperator : IBinaryOperator<ZetaOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> =>
        T.CreateTruncating(SpecialFunctions.Zeta(double.CreateTruncating(x), double.CreateTruncating(y)));
}

/// <summary>RsqrtGrad(a = y, b = dy) = dy * -0.5 * y³, from the output y.</summary>
public readonly struct RsqrtGradOperator : IFloatBinaryOperator<RsqrtGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.CreateTruncating(-0.5);
        for (var i = 0; i < d.Length; i++) d[i] = a[i] * a[i] * a[i] * half * b[i];
    }
}

/// <summary>ReciprocalGrad(a = y, b = dy) = -dy * y², from the output y.</summary>
public readonly struct ReciprocalGradOperator : IFloatBinaryOperator<ReciprocalGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = -b[i] * a[i] * a[i];
    }
}
