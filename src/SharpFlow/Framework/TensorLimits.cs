using System.Globalization;

namespace SharpFlow;

/// <summary>
/// The largest tensor SharpFlow will allocate. Element counts and byte sizes are computed with checked arithmetic,
/// and a shape beyond the limit is refused before anything is allocated: when an op is added to the graph (its
/// inferred output shape is fully known) or when a kernel is about to allocate a shape computed at run time (a fed
/// shape for <c>tf.fill</c>, say). The limit defaults to the largest buffer .NET can address as one span,
/// <see cref="HardMaxBytes"/>; set <see cref="MaxBytes"/>, or the environment variable
/// <c>SHARPFLOW_MAX_TENSOR_BYTES</c> before the first use, to refuse smaller tensors (a server bounding requests).
/// </summary>
public static class TensorLimits
{
    /// <summary>The largest byte size a tensor can have: one .NET span's length, 2 GiB − 1.</summary>
    public const long HardMaxBytes = int.MaxValue;

    private static long _maxBytes; // 0: not read from the environment yet

    /// <summary>The largest tensor, in bytes, that may be created (1 to <see cref="HardMaxBytes"/>).</summary>
    /// <exception cref="ArgumentException"><c>SHARPFLOW_MAX_TENSOR_BYTES</c> is not a byte count in range.</exception>
    public static long MaxBytes
    {
        get
        {
            var value = Volatile.Read(ref _maxBytes);
            if (value != 0) return value;
            Interlocked.CompareExchange(ref _maxBytes, FromEnvironment(), 0);
            return Volatile.Read(ref _maxBytes);
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, HardMaxBytes);
            Volatile.Write(ref _maxBytes, value);
        }
    }

    private static long FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("SHARPFLOW_MAX_TENSOR_BYTES");
        if (string.IsNullOrEmpty(text)) return HardMaxBytes;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= HardMaxBytes
            ? value
            : throw new ArgumentException($"SHARPFLOW_MAX_TENSOR_BYTES is '{text}': expected a byte count from 1 to {HardMaxBytes}");
    }

    /// <summary>
    /// Why a value of <paramref name="dtype"/> and fully known <paramref name="shape"/> may not be created, or null
    /// when it may: its element count or byte size overflows, or its byte size exceeds <see cref="MaxBytes"/>.
    /// </summary>
    public static string? Violation(Shape shape, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape.AsSpan())
            if (d <= 0) return null; // not fully known (checked when the shape is), or no elements at all
        foreach (var d in shape.AsSpan())
        {
            if (count > long.MaxValue / d) return $"the element count of shape {shape} overflows a 64-bit integer";
            count *= d;
        }
        var elementSize = dtype == DType.@string ? 1 : dtype.size;
        if (count > long.MaxValue / elementSize) return $"the byte size of a {dtype.name} tensor of shape {shape} overflows a 64-bit integer";
        var bytes = count * elementSize;
        var max = MaxBytes;
        return bytes > max
            ? $"a {dtype.name} tensor of shape {shape} takes {bytes:N0} bytes, more than the limit of {max:N0} (TensorLimits.MaxBytes, SHARPFLOW_MAX_TENSOR_BYTES)"
            : null;
    }
}
