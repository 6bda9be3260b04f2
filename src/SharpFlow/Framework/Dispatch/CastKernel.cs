using System.Numerics;
using System.Numerics.Tensors;

using SharpFlow.Kernels;

namespace SharpFlow.Framework.Dispatch;

/// <summary>
/// Element type conversion with C++'s <c>static_cast</c> rules, as TensorFlow's Cast: floats to integers truncate
/// towards zero, integers wrap, any non-zero number becomes <c>true</c>, booleans become 0 or 1.
/// </summary>
public static class CastKernel
{
    /// <summary>A converted copy of <paramref name="x"/>.</summary>
    public static NDArray Cast(NDArray x, DType to)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = NDArray.Zeros(to, x.shape);
        Cast(x, result);
        return result;
    }

    /// <summary>Converts <paramref name="x"/> into the (same-sized) buffer of <paramref name="d"/>.</summary>
    public static void Cast(NDArray x, NDArray d)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(d);
        switch (x.dtype.Id)
        {
            case DataType.Float: From(x.AsReadOnlySpan<float>(), d); break;
            case DataType.Double: From(x.AsReadOnlySpan<double>(), d); break;
            case DataType.Int32: From(x.AsReadOnlySpan<int>(), d); break;
            case DataType.Int64: From(x.AsReadOnlySpan<long>(), d); break;
            case DataType.UInt8: From(x.AsReadOnlySpan<byte>(), d); break;
            case DataType.UInt16: From(x.AsReadOnlySpan<ushort>(), d); break;
            case DataType.Int8: From(x.AsReadOnlySpan<sbyte>(), d); break;
            case DataType.Int16: From(x.AsReadOnlySpan<short>(), d); break;
            case DataType.UInt32: From(x.AsReadOnlySpan<uint>(), d); break;
            case DataType.UInt64: From(x.AsReadOnlySpan<ulong>(), d); break;
            case DataType.Half: From(x.AsReadOnlySpan<Half>(), d); break;
            case DataType.Bool:
                {
                    var src = x.AsReadOnlySpan<bool>();
                    if (d.dtype == DType.@bool) { src.CopyTo(d.AsSpan<bool>()); break; }
                    var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(src.Length);
                    for (var i = 0; i < src.Length; i++) bytes[i] = src[i] ? (byte)1 : (byte)0;
                    From<byte>(bytes.AsSpan(0, src.Length), d);
                    System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
                    break;
                }
            default: throw new UnimplementedError($"Cast from {x.dtype} is not supported.");
        }
    }

    private static void From<TFrom>(ReadOnlySpan<TFrom> src, NDArray d) where TFrom : unmanaged, INumber<TFrom>
    {
        switch (d.dtype.Id)
        {
            case DataType.Float: Convert(src, d.AsSpan<float>()); break;
            case DataType.Double: Convert(src, d.AsSpan<double>()); break;
            case DataType.Int32: Convert(src, d.AsSpan<int>()); break;
            case DataType.Int64: Convert(src, d.AsSpan<long>()); break;
            case DataType.UInt8: Convert(src, d.AsSpan<byte>()); break;
            case DataType.UInt16: Convert(src, d.AsSpan<ushort>()); break;
            case DataType.Int8: Convert(src, d.AsSpan<sbyte>()); break;
            case DataType.Int16: Convert(src, d.AsSpan<short>()); break;
            case DataType.UInt32: Convert(src, d.AsSpan<uint>()); break;
            case DataType.UInt64: Convert(src, d.AsSpan<ulong>()); break;
            case DataType.Half: Convert(src, d.AsSpan<Half>()); break;
            case DataType.Bool:
                {
                    var dst = d.AsSpan<bool>();
                    for (var i = 0; i < dst.Length; i++) dst[i] = src[i] != TFrom.Zero;
                    break;
                }
            default: throw new UnimplementedError($"Cast to {d.dtype} is not supported.");
        }
    }

    private static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> src, Span<TTo> dst)
        where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
    {
        if (typeof(TFrom) == typeof(TTo))
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(src).CopyTo(dst);
            return;
        }
        var fromFloat = typeof(TFrom) == typeof(float) || typeof(TFrom) == typeof(double) || typeof(TFrom) == typeof(Half);
        var toInteger = typeof(TTo) != typeof(float) && typeof(TTo) != typeof(double) && typeof(TTo) != typeof(Half);
        if (typeof(TTo) == typeof(Half) && typeof(TFrom) != typeof(float))
        {
            // Eigen's half(T) is half(static_cast<float>(value)): doubles and integers round to float first.
            var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<TTo, Half>(dst);
            for (var i = 0; i < halves.Length; i++) halves[i] = (Half)float.CreateTruncating(src[i]);
            return;
        }
        if (fromFloat && toInteger)
        {
            // Truncate towards zero; NaN becomes 0 and out-of-range values saturate (defined, unlike C++).
            for (var i = 0; i < dst.Length; i++) dst[i] = TTo.CreateSaturating(Math.Truncate(double.CreateTruncating(src[i])));
            return;
        }
        TensorPrimitives.ConvertTruncating(src, dst);
    }
}
