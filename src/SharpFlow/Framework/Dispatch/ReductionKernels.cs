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
