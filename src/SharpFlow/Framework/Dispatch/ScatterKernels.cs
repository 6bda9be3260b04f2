using System.Numerics;

using SharpFlow.Kernels;

namespace SharpFlow.Framework.Dispatch;

/// <summary>How a scatter combines an update with the slice it lands on.</summary>
public enum ScatterMode
{
    /// <summary>Replaces the slice (the last of repeated positions wins).</summary>
    Update,
    /// <summary><c>slice += update</c>.</summary>
    Add,
    /// <summary><c>slice -= update</c>.</summary>
    Sub,
    /// <summary><c>slice *= update</c>.</summary>
    Mul,
    /// <summary><c>slice /= update</c>.</summary>
    Div,
    /// <summary><c>slice = min(slice, update)</c>.</summary>
    Min,
    /// <summary><c>slice = max(slice, update)</c>.</summary>
    Max,
}

/// <summary>
/// The kernels of the variable scatter ops (ScatterUpdate, ScatterAdd, ..., ScatterNdUpdate): slices of
/// <c>slice</c> elements of updates combined, in order, into slices of a variable at validated slice numbers.
/// </summary>
public static class ScatterKernels
{
    /// <summary>
    /// Combines slice i of <paramref name="updates"/> (or, with <paramref name="scalar"/>, its one element) into
    /// slice <c>positions[i]</c> of <paramref name="target"/>, in place. Integer division by zero throws
    /// <see cref="DivideByZeroException"/>.
    /// </summary>
    public static void Apply(NDArray target, NDArray updates, ReadOnlySpan<int> positions, int slice, bool scalar, ScatterMode mode)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(updates);
        switch (target.dtype.Id)
        {
            case DataType.Float: Apply(target.AsSpan<float>(), updates.AsReadOnlySpan<float>(), positions, slice, scalar, mode); break;
            case DataType.Double: Apply(target.AsSpan<double>(), updates.AsReadOnlySpan<double>(), positions, slice, scalar, mode); break;
            case DataType.Int32: Apply(target.AsSpan<int>(), updates.AsReadOnlySpan<int>(), positions, slice, scalar, mode); break;
            case DataType.Int64: Apply(target.AsSpan<long>(), updates.AsReadOnlySpan<long>(), positions, slice, scalar, mode); break;
            case DataType.UInt8: Apply(target.AsSpan<byte>(), updates.AsReadOnlySpan<byte>(), positions, slice, scalar, mode); break;
            default:
                if (mode != ScatterMode.Update) throw new NotSupportedException($"cannot scatter {target.dtype.name} values with {mode}");
                var size = target.dtype.size;
                var dst = target.AsWritableBytes();
                var src = updates.AsBytes();
                for (var i = 0; i < positions.Length; i++)
                    for (var j = 0; j < slice; j++)
                        src.Slice((scalar ? 0 : i * slice + j) * size, size).CopyTo(dst.Slice((positions[i] * slice + j) * size, size));
                break;
        }
    }

    private static void Apply<T>(Span<T> target, ReadOnlySpan<T> updates, ReadOnlySpan<int> positions, int slice, bool scalar, ScatterMode mode)
        where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < positions.Length; i++)
        {
            var dst = target.Slice(positions[i] * slice, slice);
            for (var j = 0; j < slice; j++)
            {
                var u = scalar ? updates[0] : updates[i * slice + j];
                dst[j] = mode switch
                {
                    ScatterMode.Update => u,
                    ScatterMode.Add => dst[j] + u,
                    ScatterMode.Sub => dst[j] - u,
                    ScatterMode.Mul => dst[j] * u,
                    ScatterMode.Div => dst[j] / u,
                    // A NaN update wins, so a NaN stays visible.
                    ScatterMode.Min => T.IsNaN(u) || u < dst[j] ? u : dst[j],
                    ScatterMode.Max => T.IsNaN(u) || u > dst[j] ? u : dst[j],
                    _ => throw new ArgumentOutOfRangeException(nameof(mode)),
                };
            }
        }
    }
}
