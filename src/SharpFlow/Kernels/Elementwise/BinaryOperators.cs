using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>
/// A binary arithmetic operator over every numeric element type. The span overloads default to scalar loops;
/// operators that <see cref="TensorPrimitives"/> vectorizes override them.
/// </summary>
public interface IBinaryOperator<TSelf> where TSelf : IBinaryOperator<TSelf>
{
    /// <summary>The scalar rule.</summary>
    static abstract T Invoke<T>(T x, T y) where T : unmanaged, INumber<T>;

    /// <summary>Vector-vector.</summary>
    static virtual void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(x[i], y[i]);
    }

    /// <summary>Vector-scalar.</summary>
    static virtual void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(x[i], y);
    }

    /// <summary>Scalar-vector.</summary>
    static virtual void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < d.Length; i++) d[i] = TSelf.Invoke(x, y[i]);
    }
}

/// <summary>A comparison producing booleans.</summary>
public interface IComparisonOperator<TSelf> where TSelf : IComparisonOperator<TSelf>
{
    /// <summary>The scalar rule.</summary>
    static abstract bool Invoke<T>(T x, T y) where T : unmanaged, INumber<T>;
}

/// <summary><c>x + y</c>.</summary>
public readonly struct AddOperator : IBinaryOperator<AddOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x + y;
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Add(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Add(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Add(y, x, d);
}

/// <summary><c>x - y</c>.</summary>
public readonly struct SubtractOperator : IBinaryOperator<SubtractOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x - y;
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Subtract(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Subtract(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Subtract(x, y, d);
}

/// <summary><c>x * y</c>.</summary>
public readonly struct MultiplyOperator : IBinaryOperator<MultiplyOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x * y;
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(y, x, d);
}

/// <summary>Floating-point division <c>x / y</c> (TensorFlow's RealDiv); only used with float32/float64.</summary>
public readonly struct DivideOperator : IBinaryOperator<DivideOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x / y;
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Divide(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Divide(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Divide(x, y, d);
}

/// <summary>Division that gives 0 wherever the divisor is 0 (TensorFlow's DivNoNan); only used with float32/float64.</summary>
public readonly struct DivNoNanOperator : IBinaryOperator<DivNoNanOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => y == T.Zero ? T.Zero : x / y;
}

/// <summary>
/// Division rounded towards negative infinity (TensorFlow's FloorDiv). Integer division by zero throws
/// <see cref="DivideByZeroException"/>, which the op turns into "Integer division by zero".
/// </summary>
public readonly struct FloorDivideOperator : IBinaryOperator<FloorDivideOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) return T.CreateTruncating(MathF.Floor(float.CreateTruncating(x) / float.CreateTruncating(y)));
        if (typeof(T) == typeof(double)) return T.CreateTruncating(Math.Floor(double.CreateTruncating(x) / double.CreateTruncating(y)));
        if (y == T.Zero) throw new DivideByZeroException();
        var q = x / y;
        if (x % y != T.Zero && (x < T.Zero) != (y < T.Zero)) q -= T.One;
        return q;
    }
}

/// <summary>Remainder with the sign of the divisor (TensorFlow's FloorMod, Python's <c>%</c>).</summary>
public readonly struct FloorModOperator : IBinaryOperator<FloorModOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T>
    {
        if (y == T.Zero && typeof(T) != typeof(float) && typeof(T) != typeof(double)) throw new DivideByZeroException();
        var r = x % y;
        return r != T.Zero && (r < T.Zero) != (y < T.Zero) ? r + y : r;
    }
}

/// <summary><c>max(x, y)</c>; NaN wins, as IEEE 754 maximum.</summary>
public readonly struct MaximumOperator : IBinaryOperator<MaximumOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => T.Max(x, y);
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Max(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Max(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Max(y, x, d);
}

/// <summary><c>min(x, y)</c>; NaN wins, as IEEE 754 minimum.</summary>
public readonly struct MinimumOperator : IBinaryOperator<MinimumOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => T.Min(x, y);
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Min(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Min(x, y, d);
    /// <inheritdoc/>
    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, INumber<T> => TensorPrimitives.Min(y, x, d);
}

/// <summary>
/// <c>x ** y</c>. Floats use the C library's pow; integers use exact repeated squaring and reject negative
/// exponents, as TensorFlow does ("Integers to negative integer powers are not allowed").
/// </summary>
public readonly struct PowOperator : IBinaryOperator<PowOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) return T.CreateTruncating(MathF.Pow(float.CreateTruncating(x), float.CreateTruncating(y)));
        if (typeof(T) == typeof(double)) return T.CreateTruncating(Math.Pow(double.CreateTruncating(x), double.CreateTruncating(y)));
        if (y < T.Zero) throw new ArithmeticException("Integers to negative integer powers are not allowed");
        T result = T.One, b = x, e = y;
        var two = T.One + T.One;
        while (e > T.Zero)
        {
            if (e % two == T.One) result *= b;
            b *= b;
            e /= two;
        }
        return result;
    }
}

/// <summary><c>x == y</c>.</summary>
public readonly struct EqualOperator : IComparisonOperator<EqualOperator>
{
    /// <inheritdoc/>
    public static bool Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x == y;
}

/// <summary><c>x != y</c>.</summary>
public readonly struct NotEqualOperator : IComparisonOperator<NotEqualOperator>
{
    /// <inheritdoc/>
    public static bool Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x != y;
}

/// <summary><c>x &lt; y</c>.</summary>
public readonly struct LessOperator : IComparisonOperator<LessOperator>
{
    /// <inheritdoc/>
    public static bool Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x < y;
}

/// <summary><c>x &lt;= y</c>.</summary>
public readonly struct LessEqualOperator : IComparisonOperator<LessEqualOperator>
{
    /// <inheritdoc/>
    public static bool Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x <= y;
}

/// <summary><c>x &gt; y</c>.</summary>
public readonly struct GreaterOperator : IComparisonOperator<GreaterOperator>
{
    /// <inheritdoc/>
    public static bool Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x > y;
}

/// <summary><c>x &gt;= y</c>.</summary>
public readonly struct GreaterEqualOperator : IComparisonOperator<GreaterEqualOperator>
{
    /// <inheritdoc/>
    public static bool Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x >= y;
}

/// <summary>Logical and on booleans stored as bytes 0/1.</summary>
public readonly struct LogicalAndOperator : IBinaryOperator<LogicalAndOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x != T.Zero && y != T.Zero ? T.One : T.Zero;
}

/// <summary>Logical or on booleans stored as bytes 0/1.</summary>
public readonly struct LogicalOrOperator : IBinaryOperator<LogicalOrOperator>
{
    /// <inheritdoc/>
    public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x != T.Zero || y != T.Zero ? T.One : T.Zero;
}
