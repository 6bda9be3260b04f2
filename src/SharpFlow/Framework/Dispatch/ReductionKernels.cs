using System.Numerics;
using System.Numerics.Tensors;

using SharpFlow.Kernels;

namespace SharpFlow.Framework.Dispatch;

/// <summary>Dtype dispatch for <see cref="Reduction"/> on NDArrays.</summary>
public static class ReductionKernels
{
    /// <summary>Reduces <paramref name="x"/> over the flagged axes into <paramref name="z"/>.</summary>
    public static void Reduce<TOp>(NDArray x, bool[] reduce, NDArray z) where TOp : IReduceOperator<TOp>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(z);
        switch (x.dtype.Id)
        {
            case DataType.Float: Reduction.Reduce<float, TOp>(x.AsReadOnlySpan<float>(), x.shape.AsSpan(), reduce, z.AsSpan<float>()); break;
            case DataType.Double: Reduction.Reduce<double, TOp>(x.AsReadOnlySpan<double>(), x.shape.AsSpan(), reduce, z.AsSpan<double>()); break;
            case DataType.Int32: Reduction.Reduce<int, TOp>(x.AsReadOnlySpan<int>(), x.shape.AsSpan(), reduce, z.AsSpan<int>()); break;
            case DataType.Int64: Reduction.Reduce<long, TOp>(x.AsReadOnlySpan<long>(), x.shape.AsSpan(), reduce, z.AsSpan<long>()); break;
            case DataType.UInt8: Reduction.Reduce<byte, TOp>(x.AsReadOnlySpan<byte>(), x.shape.AsSpan(), reduce, z.AsSpan<byte>()); break;
            case DataType.UInt16: Reduction.Reduce<ushort, TOp>(x.AsReadOnlySpan<ushort>(), x.shape.AsSpan(), reduce, z.AsSpan<ushort>()); break;
            case DataType.Int8: Reduction.Reduce<sbyte, TOp>(x.AsReadOnlySpan<sbyte>(), x.shape.AsSpan(), reduce, z.AsSpan<sbyte>()); break;
            case DataType.Int16: Reduction.Reduce<short, TOp>(x.AsReadOnlySpan<short>(), x.shape.AsSpan(), reduce, z.AsSpan<short>()); break;
            case DataType.UInt32: Reduction.Reduce<uint, TOp>(x.AsReadOnlySpan<uint>(), x.shape.AsSpan(), reduce, z.AsSpan<uint>()); break;
            case DataType.UInt64: Reduction.Reduce<ulong, TOp>(x.AsReadOnlySpan<ulong>(), x.shape.AsSpan(), reduce, z.AsSpan<ulong>()); break;
            case DataType.Half:
                // Accumulated in float32 and rounded once, as TensorFlow's half reductions accumulate in float.
                HalfPrecision.ViaFloat32(x, z, (wide, sums) => Reduce<TOp>(wide, reduce, sums));
                break;
            default: throw new UnimplementedError($"No reduction kernel for dtype {x.dtype}.");
        }
    }

    /// <summary>Divides every element by <paramref name="count"/> (truncating for integers; an empty mean of floats is NaN).</summary>
    public static void DivideInPlace(NDArray z, long count)
    {
        ArgumentNullException.ThrowIfNull(z);
        switch (z.dtype.Id)
        {
            case DataType.Float: TensorPrimitives.Divide(z.AsSpan<float>(), (float)count, z.AsSpan<float>()); break;
            case DataType.Double: TensorPrimitives.Divide(z.AsSpan<double>(), count, z.AsSpan<double>()); break;
            case DataType.Int32: DivideIntegers(z.AsSpan<int>(), count); break;
            case DataType.Int64: DivideIntegers(z.AsSpan<long>(), count); break;
            case DataType.UInt8: DivideIntegers(z.AsSpan<byte>(), count); break;
            case DataType.UInt16: DivideIntegers(z.AsSpan<ushort>(), count); break;
            case DataType.Int8: DivideIntegers(z.AsSpan<sbyte>(), count); break;
            case DataType.Int16: DivideIntegers(z.AsSpan<short>(), count); break;
            case DataType.UInt32: DivideIntegers(z.AsSpan<uint>(), count); break;
            case DataType.UInt64: DivideIntegers(z.AsSpan<ulong>(), count); break;
            case DataType.Half:
                HalfPrecision.ViaFloat32(z, z, (wide, quotients) => TensorPrimitives.Divide(wide.AsSpan<float>(), (float)count, quotients.AsSpan<float>()));
                break;
            default: throw new UnimplementedError($"No mean kernel for dtype {z.dtype}.");
        }
    }

    private static void DivideIntegers<T>(Span<T> z, long count) where T : unmanaged, INumber<T>
    {
        if (count == 0) return;
        var c = T.CreateTruncating(count);
        for (var i = 0; i < z.Length; i++) z[i] /= c;
    }
}
