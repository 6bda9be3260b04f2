using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>A unary operator over every numeric element type.</summary>
public interface IUnaryOperator<TSelf> where TSelf : IUnaryOperator<TSelf>
{
    /// <summary>The scalar rule.</summary>
    static abstract T Invoke<T>(T x) where T : unmanaged, INumber<T>;

    /// <summary>The span rule (a scalar loop unless overridden).</summary>
    static virtual void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(x[i]);
    }
}

/// <summary>A unary operator defined on float32 and float64 only.</summary>
public interface IFloatUnaryOperator<TSelf> where TSelf : IFloatUnaryOperator<TSelf>
{
    /// <summary>The span rule.</summary>
    static abstract void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary><c>-x</c> (wrapping for the most negative integer, as C++).</summary>
public readonly struct NegateOperator : IUnaryOperator<NegateOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x) where T : unmanaged, INumber<T> => T.Zero - x;
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double)) TensorPrimitives.Negate(x, d);
        else for (var i = 0; i < d.Length; i++) d[i] = T.Zero - x[i];
    }
}

/// <summary><c>|x|</c> (wrapping for the most negative integer, as C++).</summary>
public readonly struct AbsOperator : IUnaryOperator<AbsOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x) where T : unmanaged, INumber<T> => x < T.Zero ? T.Zero - x : x;
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double)) TensorPrimitives.Abs(x, d);
        else for (var i = 0; i < d.Length; i++) d[i] = x[i] < T.Zero ? T.Zero - x[i] : x[i];
    }
}

/// <summary><c>x * x</c>.</summary>
public readonly struct SquareOperator : IUnaryOperator<SquareOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x) where T : unmanaged, INumber<T> => x * x;
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(x, x, d);
}

/// <summary>Square root.</summary>
public readonly struct SqrtOperator : IFloatUnaryOperator<SqrtOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, d);
}

/// <summary>Natural exponential.</summary>
public readonly struct ExpOperator : IFloatUnaryOperator<ExpOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, d);
}

/// <summary>Natural logarithm.</summary>
public readonly struct LogOperator : IFloatUnaryOperator<LogOperator>
{
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, d);
}
