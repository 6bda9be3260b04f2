using System.Numerics;

namespace SharpFlow.Kernels.Image;

/// <summary>
/// Colour-space conversions over the last axis of size 3 (TensorFlow's colorspace_op.h and adjust_hue /
/// adjust_saturation kernels): HSV with hue in [0, 1).
/// </summary>
internal static class ColorKernels
{
    public static (T H, T S, T V) RgbToHsv<T>(T r, T g, T b) where T : IFloatingPoint<T>
    {
        var v = T.Max(r, T.Max(g, b));
        var range = v - T.Min(r, T.Min(g, b));
        var s = v > T.Zero ? range / v : T.Zero;
        var norm = T.One / (T.CreateTruncating(6) * range);
        var h = r == v ? norm * (g - b)
            : g == v ? norm * (b - r) + T.CreateTruncating(2.0 / 6.0)
            : norm * (r - g) + T.CreateTruncating(4.0 / 6.0);
        h = range > T.Zero ? h : T.Zero;
        if (h < T.Zero) h += T.One;
        return (h, s, v);
    }

    public static (T R, T G, T B) HsvToRgb<T>(T h, T s, T v) where T : IFloatingPoint<T>
    {
        var (two, three, four) = (T.CreateTruncating(2), T.CreateTruncating(3), T.CreateTruncating(4));
        var dh = h * T.CreateTruncating(6);
        var dr = T.Clamp(T.Abs(dh - three) - T.One, T.Zero, T.One);
        var dg = T.Clamp(two - T.Abs(dh - two), T.Zero, T.One);
        var db = T.Clamp(two - T.Abs(dh - four), T.Zero, T.One);
        var oneMinusS = T.One - s;
        return ((oneMinusS + s * dr) * v, (oneMinusS + s * dg) * v, (oneMinusS + s * db) * v);
    }

    public static void RgbToHsv<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPoint<T>
    {
        for (var i = 0; i + 2 < x.Length; i += 3) (y[i], y[i + 1], y[i + 2]) = RgbToHsv(x[i], x[i + 1], x[i + 2]);
    }

    public static void HsvToRgb<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPoint<T>
    {
        for (var i = 0; i + 2 < x.Length; i += 3) (y[i], y[i + 1], y[i + 2]) = HsvToRgb(x[i], x[i + 1], x[i + 2]);
    }

    /// <summary>AdjustHue: the hue of every pixel moved by <paramref name="delta"/> (a fraction of the circle) and wrapped into [0, 1).</summary>
    public static void AdjustHue<T>(ReadOnlySpan<T> x, Span<T> y, T delta) where T : IFloatingPoint<T>
    {
        for (var i = 0; i + 2 < x.Length; i += 3)
        {
            var (h, s, v) = RgbToHsv(x[i], x[i + 1], x[i + 2]);
            h += delta;
            h -= T.Floor(h);
            (y[i], y[i + 1], y[i + 2]) = HsvToRgb(h, s, v);
        }
    }

    /// <summary>AdjustSaturation: the saturation of every pixel multiplied by <paramref name="scale"/> and clamped into [0, 1].</summary>
    public static void AdjustSaturation<T>(ReadOnlySpan<T> x, Span<T> y, T scale) where T : IFloatingPoint<T>
    {
        for (var i = 0; i + 2 < x.Length; i += 3)
        {
            var (h, s, v) = RgbToHsv(x[i], x[i + 1], x[i + 2]);
            (y[i], y[i + 1], y[i + 2]) = HsvToRgb(h, T.Clamp(s * scale, T.Zero, T.One), v);
        }
    }
}
