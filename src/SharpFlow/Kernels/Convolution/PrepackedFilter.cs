namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// The prepacked forms of one constant float32 HWIO filter, made the first time a convolution path needs them and
/// kept for every later call: the GEMM panels of the <c>[kh·kw·in, out]</c> matrix (im2col and 1×1 products), the
/// Winograd-transformed filter of F(4×4, 3×3) and of F(2×2, 3×3) with each of its products' panels, the one-dimensional
/// F(4, 7)'s and F(2, 7)'s of a 1×7 or 7×1 filter, and the
/// small-channel kernel's layout, and the direct kernel's. Only the caller knows the filter is constant (an op whose filter comes from a
/// Const): it keeps one per filter and passes it with that filter, and the kernels use it for exactly the filter
/// they are given, so it must never be passed with another one. Each form is published once it is complete;
/// threads that race to make one make equal ones and one wins, so any number of calls may use it at once.
/// </summary>
internal sealed class PrepackedFilter
{
    private PackedMatrix? _gemm;
    private Winograd.TransformedFilter? _f4;
    private Winograd.TransformedFilter? _f2;
    private Winograd.TransformedFilter? _line4;
    private Winograd.TransformedFilter? _line2;
    private float[]? _smallChannel;
    private float[]? _direct;

    /// <summary>The bytes the forms made so far take (for reports and tests).</summary>
    public long Bytes =>
        (Volatile.Read(ref _gemm)?.Bytes ?? 0) + (Volatile.Read(ref _f4)?.Bytes ?? 0) + (Volatile.Read(ref _f2)?.Bytes ?? 0) + (Volatile.Read(ref _line4)?.Bytes ?? 0) + (Volatile.Read(ref _line2)?.Bytes ?? 0)
        + ((Volatile.Read(ref _smallChannel)?.LongLength ?? 0) + (Volatile.Read(ref _direct)?.LongLength ?? 0)) * sizeof(float);

    /// <summary>How many forms have been made (each at most once).</summary>
    public int Forms =>
        (Volatile.Read(ref _gemm) is null ? 0 : 1) + (Volatile.Read(ref _f4) is null ? 0 : 1) + (Volatile.Read(ref _f2) is null ? 0 : 1) + (Volatile.Read(ref _line4) is null ? 0 : 1) + (Volatile.Read(ref _line2) is null ? 0 : 1)
        + (Volatile.Read(ref _smallChannel) is null ? 0 : 1) + (Volatile.Read(ref _direct) is null ? 0 : 1);

    private static T Publish<T>(ref T? slot, T value) where T : class => Interlocked.CompareExchange(ref slot, value, null) ?? value;

    /// <summary>The GEMM panels of the filter as a k×n matrix (k = kh·kw·in, n = out); null where the packed kernel does not run.</summary>
    internal PackedMatrix? Gemm(ReadOnlySpan<float> filter, int k, int n)
    {
        var packed = Volatile.Read(ref _gemm);
        if (packed is not null) return packed.Fits(k, n, false) ? packed : null;
        var made = PackedMatrix.Pack(filter, k, n, false);
        return made is null ? null : Publish(ref _gemm, made);
    }

    /// <summary>The filter [3, 3, channels, outChannels] transformed for F(m×m, 3×3), m = <paramref name="tileSize"/>, its products' panels packed.</summary>
    internal Winograd.TransformedFilter? Winograd(ReadOnlySpan<float> filter, int channels, int outChannels, int tileSize) =>
        Transformed(ref tileSize == 4 ? ref _f4 : ref _f2, filter, channels, outChannels, tileSize, Convolution.Winograd.TransformFilter);

    /// <summary>
    /// The filter [1, 7, channels, outChannels] or [7, 1, …] transformed for F(m, 7), m = <paramref name="tileSize"/>
    /// (<see cref="WinogradLine"/>), its products' panels packed.
    /// </summary>
    internal Winograd.TransformedFilter? WinogradLine(ReadOnlySpan<float> filter, int channels, int outChannels, int tileSize) =>
        Transformed(ref tileSize == 4 ? ref _line4 : ref _line2, filter, channels, outChannels, tileSize, Convolution.WinogradLine.TransformFilter);

    /// <summary>How a Winograd kernel transforms a filter (null where its products cannot run).</summary>
    private delegate Winograd.TransformedFilter? Transform(ReadOnlySpan<float> filter, int channels, int outChannels, int tileSize);

    /// <summary>The transformed filter in <paramref name="slot"/>, made by <paramref name="transform"/> the first time; null when it does not fit these sizes.</summary>
    private static Winograd.TransformedFilter? Transformed(ref Winograd.TransformedFilter? slot, ReadOnlySpan<float> filter, int channels, int outChannels,
        int tileSize, Transform transform)
    {
        var transformed = Volatile.Read(ref slot);
        if (transformed is not null) return transformed.Fits(tileSize, channels, outChannels) ? transformed : null;
        var made = transform(filter, channels, outChannels, tileSize);
        return made is null ? null : Publish(ref slot, made);
    }

    /// <summary>The small-channel kernel's layout of the filter (<see cref="SmallChannelConv.PackFilter"/>).</summary>
    internal float[] SmallChannelLayout(ReadOnlySpan<float> filter, int patchSize, int outChannels) =>
        Volatile.Read(ref _smallChannel) ?? Publish(ref _smallChannel, SmallChannelConv.PackFilter(filter, patchSize, outChannels));

    /// <summary>The direct kernel's layout of the filter (<see cref="DirectConv.PackFilter"/>).</summary>
    internal float[] DirectLayout(ReadOnlySpan<float> filter, int taps, int channels, int outChannels) =>
        Volatile.Read(ref _direct) ?? Publish(ref _direct, DirectConv.PackFilter(filter, taps, channels, outChannels));
}
