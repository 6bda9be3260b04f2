using System.Numerics;
using System.Runtime.InteropServices;

using SharpFlow.Kernels;

namespace SharpFlow.Framework.Dispatch;

/// <summary>
/// Runs element-wise operators on NDArrays: chooses the element type once, then hands typed spans to
/// <see cref="Broadcast"/>. Callers (the op files) have already checked dtypes and computed the output.
/// </summary>
public static class ElementwiseKernels
{
    /// <summary><c>z = op(x, y)</c> with broadcasting, for any numeric dtype (bool as 0/1 bytes).</summary>
    public static void Binary<TOp>(NDArray x, NDArray y, NDArray z) where TOp : IBinaryOperator<TOp>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(z);
        switch (z.dtype.Id)
        {
            case DataType.Float: Run<float, TOp>(x, y, z); break;
            case DataType.Double: Run<double, TOp>(x, y, z); break;
            case DataType.Int32: Run<int, TOp>(x, y, z); break;
            case DataType.Int64: Run<long, TOp>(x, y, z); break;
            case DataType.UInt8: Run<byte, TOp>(x, y, z); break;
            case DataType.UInt16: Run<ushort, TOp>(x, y, z); break;
            case DataType.Int8: Run<sbyte, TOp>(x, y, z); break;
            case DataType.Int16: Run<short, TOp>(x, y, z); break;
            case DataType.UInt32: Run<uint, TOp>(x, y, z); break;
            case DataType.UInt64: Run<ulong, TOp>(x, y, z); break;
            case DataType.Half: HalfPrecision.ViaFloat32(x, y, z, Binary<TOp>); break;
            case DataType.Bool:
                Broadcast.Apply(Bytes(x), x.shape.AsSpan(), Bytes(y), y.shape.AsSpan(),
                    MemoryMarshal.Cast<bool, byte>(z.AsSpan<bool>()), z.shape.AsSpan(), default(NumericLoop<byte, TOp>));
                break;
            default: throw new UnimplementedError($"No kernel for dtype {z.dtype}.");
        }
    }

    private static void Run<T, TOp>(NDArray x, NDArray y, NDArray z) where T : unmanaged, INumber<T> where TOp : IBinaryOperator<TOp> =>
        Broadcast.Apply(x.AsReadOnlySpan<T>(), x.shape.AsSpan(), y.AsReadOnlySpan<T>(), y.shape.AsSpan(),
            z.AsSpan<T>(), z.shape.AsSpan(), default(NumericLoop<T, TOp>));

    /// <summary><c>z = x ? y</c> as booleans, with broadcasting.</summary>
    public static void Compare<TOp>(NDArray x, NDArray y, NDArray z) where TOp : IComparisonOperator<TOp>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(z);
        var zs = z.AsSpan<bool>();
        switch (x.dtype.Id)
        {
            case DataType.Float: RunCompare<float, TOp>(x.AsReadOnlySpan<float>(), x, y.AsReadOnlySpan<float>(), y, zs, z); break;
            case DataType.Double: RunCompare<double, TOp>(x.AsReadOnlySpan<double>(), x, y.AsReadOnlySpan<double>(), y, zs, z); break;
            case DataType.Int32: RunCompare<int, TOp>(x.AsReadOnlySpan<int>(), x, y.AsReadOnlySpan<int>(), y, zs, z); break;
            case DataType.Int64: RunCompare<long, TOp>(x.AsReadOnlySpan<long>(), x, y.AsReadOnlySpan<long>(), y, zs, z); break;
            case DataType.UInt8: RunCompare<byte, TOp>(x.AsReadOnlySpan<byte>(), x, y.AsReadOnlySpan<byte>(), y, zs, z); break;
            case DataType.UInt16: RunCompare<ushort, TOp>(x.AsReadOnlySpan<ushort>(), x, y.AsReadOnlySpan<ushort>(), y, zs, z); break;
            case DataType.Int8: RunCompare<sbyte, TOp>(x.AsReadOnlySpan<sbyte>(), x, y.AsReadOnlySpan<sbyte>(), y, zs, z); break;
            case DataType.Int16: RunCompare<short, TOp>(x.AsReadOnlySpan<short>(), x, y.AsReadOnlySpan<short>(), y, zs, z); break;
            case DataType.UInt32: RunCompare<uint, TOp>(x.AsReadOnlySpan<uint>(), x, y.AsReadOnlySpan<uint>(), y, zs, z); break;
            case DataType.UInt64: RunCompare<ulong, TOp>(x.AsReadOnlySpan<ulong>(), x, y.AsReadOnlySpan<ulong>(), y, zs, z); break;
            case DataType.Half: Compare<TOp>(x.Cast(DType.float32), y.Cast(DType.float32), z); break;
            case DataType.Bool: RunCompare<byte, TOp>(Bytes(x), x, Bytes(y), y, zs, z); break;
            default: throw new UnimplementedError($"No comparison kernel for dtype {x.dtype}.");
        }
    }

    private static void RunCompare<T, TOp>(ReadOnlySpan<T> xs, NDArray x, ReadOnlySpan<T> ys, NDArray y, Span<bool> zs, NDArray z)
        where T : unmanaged, INumber<T> where TOp : IComparisonOperator<TOp> =>
        Broadcast.Apply(xs, x.shape.AsSpan(), ys, y.shape.AsSpan(), zs, z.shape.AsSpan(), default(CompareLoop<T, TOp>));

    /// <summary><c>d = op(x)</c> for any numeric dtype.</summary>
    public static void Unary<TOp>(NDArray x, NDArray d) where TOp : IUnaryOperator<TOp>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(d);
        switch (x.dtype.Id)
        {
            case DataType.Float: TOp.Invoke<float>(x.AsReadOnlySpan<float>(), d.AsSpan<float>()); break;
            case DataType.Double: TOp.Invoke<double>(x.AsReadOnlySpan<double>(), d.AsSpan<double>()); break;
            case DataType.Int32: TOp.Invoke<int>(x.AsReadOnlySpan<int>(), d.AsSpan<int>()); break;
            case DataType.Int64: TOp.Invoke<long>(x.AsReadOnlySpan<long>(), d.AsSpan<long>()); break;
            case DataType.UInt8: TOp.Invoke<byte>(x.AsReadOnlySpan<byte>(), d.AsSpan<byte>()); break;
            case DataType.UInt16: TOp.Invoke<ushort>(x.AsReadOnlySpan<ushort>(), d.AsSpan<ushort>()); break;
            case DataType.Int8: TOp.Invoke<sbyte>(x.AsReadOnlySpan<sbyte>(), d.AsSpan<sbyte>()); break;
            case DataType.Int16: TOp.Invoke<short>(x.AsReadOnlySpan<short>(), d.AsSpan<short>()); break;
            case DataType.UInt32: TOp.Invoke<uint>(x.AsReadOnlySpan<uint>(), d.AsSpan<uint>()); break;
            case DataType.UInt64: TOp.Invoke<ulong>(x.AsReadOnlySpan<ulong>(), d.AsSpan<ulong>()); break;
            case DataType.Half: HalfPrecision.ViaFloat32(x, d, Unary<TOp>); break;
            default: throw new UnimplementedError($"No kernel for dtype {x.dtype}.");
        }
    }

    /// <summary><c>d = op(x)</c> for float32 and float64.</summary>
    public static void FloatUnary<TOp>(NDArray x, NDArray d) where TOp : IFloatUnaryOperator<TOp>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(d);
        switch (x.dtype.Id)
        {
            case DataType.Float: Chunked<float, TOp>(x.AsReadOnlySpan<float>(), d.AsSpan<float>()); break;
            case DataType.Double: Chunked<double, TOp>(x.AsReadOnlySpan<double>(), d.AsSpan<double>()); break;
            case DataType.Half: HalfPrecision.ViaFloat32(x, d, FloatUnary<TOp>); break;
            default: throw new UnimplementedError($"No kernel for dtype {x.dtype}; a float32 or float64 input is needed.");
        }
    }

    /// <summary><c>d = op(a, b)</c> for float32 and float64 inputs of one shape.</summary>
    public static void FloatBinary<TOp>(NDArray a, NDArray b, NDArray d) where TOp : IFloatBinaryOperator<TOp>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(d);
        switch (a.dtype.Id)
        {
            case DataType.Float: Chunked<float, TOp>(a.AsReadOnlySpan<float>(), b.AsReadOnlySpan<float>(), d.AsSpan<float>()); break;
            case DataType.Double: Chunked<double, TOp>(a.AsReadOnlySpan<double>(), b.AsReadOnlySpan<double>(), d.AsSpan<double>()); break;
            case DataType.Half: HalfPrecision.ViaFloat32(a, b, d, FloatBinary<TOp>); break;
            default: throw new UnimplementedError($"No kernel for dtype {a.dtype}; float32 or float64 inputs are needed.");
        }
    }

    private const int ChunkElements = 1 << 15; // elements per parallel chunk: large enough to hide the scheduling

    /// <summary>A float unary operator over contiguous chunks in parallel (each element depends only on its own input).</summary>
    private static unsafe void Chunked<T, TOp>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> where TOp : IFloatUnaryOperator<TOp>
    {
        if (d.Length != x.Length) throw new ArgumentException($"element-wise kernel: input of {x.Length} elements, output of {d.Length}");
        if (x.Length < 2 * ChunkElements)
        {
            TOp.Invoke(x, d);
            return;
        }
        fixed (T* px = x)
        fixed (T* pd = d)
        {
            var n = x.Length;
            Partition.For((n + ChunkElements - 1) / ChunkElements, ChunkElements, new Pointers((nint)px, 0, (nint)pd, n), static (in Pointers p, int s, int e) =>
            {
                var (start, length) = p.Range(s, e);
                TOp.Invoke(new ReadOnlySpan<T>((T*)p.X + start, length), new Span<T>((T*)p.Output + start, length));
            });
        }
    }

    /// <summary>A float binary operator over contiguous chunks in parallel.</summary>
    private static unsafe void Chunked<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> where TOp : IFloatBinaryOperator<TOp>
    {
        if (b.Length != a.Length || d.Length != a.Length)
            throw new ArgumentException($"element-wise kernel: inputs of {a.Length} and {b.Length} elements, output of {d.Length}");
        if (a.Length < 2 * ChunkElements)
        {
            TOp.Invoke(a, b, d);
            return;
        }
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pd = d)
        {
            var n = a.Length;
            Partition.For((n + ChunkElements - 1) / ChunkElements, ChunkElements, new Pointers((nint)pa, (nint)pb, (nint)pd, n), static (in Pointers p, int s, int e) =>
            {
                var (start, length) = p.Range(s, e);
                TOp.Invoke(new ReadOnlySpan<T>((T*)p.X + start, length), new ReadOnlySpan<T>((T*)p.Y + start, length), new Span<T>((T*)p.Output + start, length));
            });
        }
    }

    /// <summary>The buffers of a chunked element-wise loop over <see cref="Length"/> elements.</summary>
    private readonly record struct Pointers(nint X, nint Y, nint Output, int Length)
    {
        /// <summary>The first element and the element count of chunks <c>[s, e)</c>.</summary>
        public (long Start, int Length) Range(int s, int e)
        {
            var start = (long)s * ChunkElements;
            return (start, (int)(Math.Min(Length, (long)e * ChunkElements) - start));
        }
    }

    private static ReadOnlySpan<byte> Bytes(NDArray a) => MemoryMarshal.Cast<bool, byte>(a.AsReadOnlySpan<bool>());

    private readonly struct NumericLoop<T, TOp> : IBroadcastLoop<T, T, T>
        where T : unmanaged, INumber<T> where TOp : IBinaryOperator<TOp>
    {
        public void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) => TOp.Invoke(x, y, z);
        public void VS(ReadOnlySpan<T> x, T y, Span<T> z) => TOp.Invoke(x, y, z);
        public void SV(T x, ReadOnlySpan<T> y, Span<T> z) => TOp.Invoke(x, y, z);
    }

    private readonly struct CompareLoop<T, TOp> : IBroadcastLoop<T, T, bool>
        where T : unmanaged, INumber<T> where TOp : IComparisonOperator<TOp>
    {
        public void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<bool> z)
        {
            for (var i = 0; i < z.Length; i++) z[i] = TOp.Invoke(x[i], y[i]);
        }

        public void VS(ReadOnlySpan<T> x, T y, Span<bool> z)
        {
            for (var i = 0; i < z.Length; i++) z[i] = TOp.Invoke(x[i], y);
        }

        public void SV(T x, ReadOnlySpan<T> y, Span<bool> z)
        {
            for (var i = 0; i < z.Length; i++) z[i] = TOp.Invoke(x, y[i]);
        }
    }
}
