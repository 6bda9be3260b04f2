using System.Numerics;

namespace SharpFlow.Kernels;

/// <summary>x where x &gt; 0, e^x - 1 elsewhere (ELU).</summary>
public readonly struct EluOperator : IFloatUnaryOperator<EluOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = x[i] > T.Zero ? x[i] : T.CreateTruncating(SpecialFunctions.Expm1(double.CreateTruncating(x[i])));
    }
}

/// <summary>EluGrad(a = gradients, b = outputs) = a where b &gt; 0, else a·(b + 1).</summary>
public readonly struct EluGradOperator : IFloatBinaryOperator<EluGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = b[i] > T.Zero ? a[i] : a[i] * (b[i] + T.One);
    }
}

/// <summary>SELU's constants (Klambauer et al.), as TensorFlow's functor spells them.</summary>
internal static class Selu
{
    public const double Scale = 1.0507009873554804934193349852946;
    public const double ScaleAlpha = 1.7580993408473768599402175208123;
}

/// <summary>scale·x where x &gt; 0, scale·α·(e^x - 1) elsewhere (SELU).</summary>
public readonly struct SeluOperator : IFloatUnaryOperator<SeluOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = T.CreateTruncating(Selu.Scale);
        var scaleAlpha = T.CreateTruncating(Selu.ScaleAlpha);
        for (var i = 0; i < d.Length; i++)
            d[i] = x[i] > T.Zero ? scale * x[i] : scaleAlpha * T.CreateTruncating(SpecialFunctions.Expm1(double.CreateTruncating(x[i])));
    }
}

/// <summary>SeluGrad(a = gradients, b = outputs) = a·scale where b &gt; 0, else a·(b + scale·α).</summary>
public readonly struct SeluGradOperator : IFloatBinaryOperator<SeluGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = T.CreateTruncating(Selu.Scale);
        var scaleAlpha = T.CreateTruncating(Selu.ScaleAlpha);
        for (var i = 0; i < d.Length; i++) d[i] = b[i] > T.Zero ? a[i] * scale : a[i] * (b[i] + scaleAlpha);
    }
}

/// <summary>x / (1 + |x|).</summary>
public readonly struct SoftsignOperator : IFloatUnaryOperator<SoftsignOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = x[i] / (T.One + T.Abs(x[i]));
    }
}

/// <summary>SoftsignGrad(a = gradients, b = features) = a / (1 + |b|)².</summary>
public readonly struct SoftsignGradOperator : IFloatBinaryOperator<SoftsignGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++)
        {
            var s = T.One + T.Abs(b[i]);
            d[i] = a[i] / (s * s);
        }
    }
}

/// <summary>Leaky ReLU with a run-time slope: x where x &gt; 0, α·x elsewhere, and its gradient.</summary>
public static class LeakyReluKernels
{
    /// <summary>d = x &gt; 0 ? x : α·x.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> d, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = x[i] > T.Zero ? x[i] : x[i] * alpha;
    }

    /// <summary>d = features &gt; 0 ? gradients : α·gradients.</summary>
    public static void Gradient<T>(ReadOnlySpan<T> gradients, ReadOnlySpan<T> features, Span<T> d, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = features[i] > T.Zero ? gradients[i] : gradients[i] * alpha;
    }
}
