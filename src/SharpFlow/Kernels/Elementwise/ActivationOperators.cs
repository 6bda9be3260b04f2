using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>A same-shape binary rule on float32 and float64 (activation gradients).</summary>
public interface IFloatBinaryOperator<TSelf> where TSelf : IFloatBinaryOperator<TSelf>
{
    /// <summary>The span rule: <c>d[i] = op(a[i], b[i])</c>.</summary>
    static abstract void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>sign(x): -1, 0 or 1 (NaN stays NaN).</summary>
public readonly struct SignOperator : IUnaryOperator<SignOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x) where T : unmanaged, INumber<T> => x > T.Zero ? T.One : x < T.Zero ? T.Zero - T.One : x;
}

/// <summary>log(1 + x), accurate for small x (Goldberg's correction of the rounded 1 + x).</summary>
public readonly struct Log1pOperator : IFloatUnaryOperator<Log1pOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++)
        {
            var u = T.One + x[i];
            d[i] = u == T.One ? x[i] : T.IsPositiveInfinity(u) ? u : T.Log(u) * x[i] / (u - T.One);
        }
    }
}

/// <summary>Largest integer not greater than x.</summary>
public readonly struct FloorOperator : IFloatUnaryOperator<FloorOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Floor(x, d);
}

/// <summary>1 / (1 + e^-x).</summary>
public readonly struct SigmoidOperator : IFloatUnaryOperator<SigmoidOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, d);
}

/// <summary>Hyperbolic tangent.</summary>
public readonly struct TanhOperator : IFloatUnaryOperator<TanhOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, d);
}

/// <summary>max(x, 0).</summary>
public readonly struct ReluOperator : IFloatUnaryOperator<ReluOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, d);
}

/// <summary>min(max(x, 0), 6).</summary>
public readonly struct Relu6Operator : IFloatUnaryOperator<Relu6Operator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var six = T.CreateChecked(6);
        for (var i = 0; i < d.Length; i++) d[i] = T.Min(T.Max(x[i], T.Zero), six);
    }
}

/// <summary>
/// log(1 + e^x), computed as TensorFlow's functor does: x itself above a threshold, e^x below its negative,
/// log1p(e^x) between, so that it neither overflows nor loses small values.
/// </summary>
public readonly struct SoftplusOperator : IFloatUnaryOperator<SoftplusOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var threshold = T.Log(typeof(T) == typeof(float) ? T.CreateChecked(1.1920929e-07f) : T.CreateChecked(2.220446049250313e-16)) + T.CreateChecked(2);
        for (var i = 0; i < d.Length; i++)
        {
            var v = x[i];
            if (v > -threshold) d[i] = v;
            else if (v < threshold) d[i] = T.Exp(v);
            else
            {
                var e = T.Exp(v);
                var u = T.One + e;
                d[i] = u == T.One ? e : T.Log(u) * e / (u - T.One);
            }
        }
    }
}

/// <summary>ReluGrad(a = gradients, b = features) = a where b &gt; 0, else 0.</summary>
public readonly struct ReluGradOperator : IFloatBinaryOperator<ReluGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            // A lane keeps its gradient where the feature compares greater than zero (false for NaN, as below).
            var width = System.Numerics.Vector<T>.Count;
            for (; i <= d.Length - width; i += width)
            {
                var features = new System.Numerics.Vector<T>(b.Slice(i, width));
                System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.GreaterThan(features, System.Numerics.Vector<T>.Zero),
                    new System.Numerics.Vector<T>(a.Slice(i, width)), System.Numerics.Vector<T>.Zero).CopyTo(d.Slice(i, width));
            }
        }
        for (; i < d.Length; i++) d[i] = b[i] > T.Zero ? a[i] : T.Zero;
    }
}

/// <summary>Relu6Grad(a = gradients, b = features) = a where 0 &lt; b &lt; 6, else 0.</summary>
public readonly struct Relu6GradOperator : IFloatBinaryOperator<Relu6GradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var six = T.CreateChecked(6);
        for (var i = 0; i < d.Length; i++) d[i] = b[i] > T.Zero && b[i] < six ? a[i] : T.Zero;
    }
}

/// <summary>SoftplusGrad(a = gradients, b = features) = a / (1 + e^-b).</summary>
public readonly struct SoftplusGradOperator : IFloatBinaryOperator<SoftplusGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = a[i] / (T.One + T.Exp(-b[i]));
    }
}

/// <summary>SigmoidGrad(a = y, b = dy) = dy * y * (1 - y), from the output y.</summary>
public readonly struct SigmoidGradOperator : IFloatBinaryOperator<SigmoidGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = b[i] * (a[i] * (T.One - a[i]));
    }
}

/// <summary>TanhGrad(a = y, b = dy) = dy * (1 - y²), from the output y.</summary>
public readonly struct TanhGradOperator : IFloatBinaryOperator<TanhGradOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = b[i] * (T.One - a[i] * a[i]);
    }
}

/// <summary>(x - y)².</summary>
public readonly struct SquaredDifferenceOperator : IBinaryOperator<SquaredDifferenceOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => (x - y) * (x - y);
}
