using System.Numerics;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// The geometry of a 3-D window over NDHWC volumes (TensorFlow's Conv3D and 3-D pooling): sizes, strides,
/// dilations, the padding before the first plane, row and column (TensorFlow's SAME/VALID rules, as
/// <see cref="Window2D.OutputSize"/>), and the output size.
/// </summary>
internal readonly record struct Volume(
    int Batch, int InDepth, int InHeight, int InWidth, int Channels,
    int KernelDepth, int KernelHeight, int KernelWidth,
    int StrideDepth, int StrideHeight, int StrideWidth,
    int DilationDepth, int DilationHeight, int DilationWidth,
    int PadFront, int PadTop, int PadLeft, int OutDepth, int OutHeight, int OutWidth)
{
    /// <summary>Builds the geometry; throws <see cref="ArgumentException"/> when the window does not fit.</summary>
    public static Volume Create(int batch, int depth, int height, int width, int channels, int kd, int kh, int kw,
        int sd, int sh, int sw, int dd, int dh, int dw, bool same)
    {
        int Axis(int size, int k, int s, int d, out int pad)
        {
            var problem = Window2D.OutputSize(size, k, s, d, same, out var output, out pad);
            return problem is null ? output : throw new ArgumentException(problem);
        }
        var od = Axis(depth, kd, sd, dd, out var front);
        var oh = Axis(height, kh, sh, dh, out var top);
        var ow = Axis(width, kw, sw, dw, out var left);
        return new Volume(batch, depth, height, width, channels, kd, kh, kw, sd, sh, sw, dd, dh, dw, front, top, left, od, oh, ow);
    }

    internal int InIndex(int n, int z, int y, int x) => (((n * InDepth + z) * InHeight + y) * InWidth + x) * Channels;

    internal int OutIndex(int n, int z, int y, int x, int channels) => (((n * OutDepth + z) * OutHeight + y) * OutWidth + x) * channels;

    /// <summary>The input position of tap (a, b, c) of output (z, y, x), or false when it lies in the padding.</summary>
    internal bool Tap(int z, int y, int x, int a, int b, int c, out int iz, out int iy, out int ix)
    {
        iz = z * StrideDepth - PadFront + a * DilationDepth;
        iy = y * StrideHeight - PadTop + b * DilationHeight;
        ix = x * StrideWidth - PadLeft + c * DilationWidth;
        return iz >= 0 && iz < InDepth && iy >= 0 && iy < InHeight && ix >= 0 && ix < InWidth;
    }
}

/// <summary>
/// Conv3D, its two backprops, and 3-D max and average pooling with their gradients, as plain loops (sums in
/// double): filters are <c>[kd, kh, kw, in, out]</c>; average pooling divides by the taps inside the volume.
/// </summary>
internal static class VolumeKernels
{
    private static double D<T>(T v) where T : INumberBase<T> => double.CreateTruncating(v);

    public static void Conv3D<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> f, Span<T> y, Volume g, int outChannels) where T : unmanaged, INumberBase<T>
    {
        var cin = g.Channels;
        var acc = new double[outChannels];
        for (var n = 0; n < g.Batch; n++)
            for (var z = 0; z < g.OutDepth; z++)
                for (var r = 0; r < g.OutHeight; r++)
                    for (var c = 0; c < g.OutWidth; c++)
                    {
                        System.Array.Clear(acc);
                        for (var a = 0; a < g.KernelDepth; a++)
                            for (var b = 0; b < g.KernelHeight; b++)
                                for (var e = 0; e < g.KernelWidth; e++)
                                {
                                    if (!g.Tap(z, r, c, a, b, e, out var iz, out var iy, out var ix)) continue;
                                    var xi = g.InIndex(n, iz, iy, ix);
                                    var fi = ((a * g.KernelHeight + b) * g.KernelWidth + e) * cin * outChannels;
                                    for (var q = 0; q < cin; q++)
                                    {
                                        var v = D(x[xi + q]);
                                        for (var o = 0; o < outChannels; o++) acc[o] += v * D(f[fi + q * outChannels + o]);
                                    }
                                }
                        var yi = g.OutIndex(n, z, r, c, outChannels);
                        for (var o = 0; o < outChannels; o++) y[yi + o] = T.CreateTruncating(acc[o]);
                    }
    }

    public static void Conv3DBackpropInput<T>(ReadOnlySpan<T> f, ReadOnlySpan<T> dy, Span<T> dx, Volume g, int outChannels) where T : unmanaged, INumberBase<T>
    {
        var cin = g.Channels;
        var acc = new double[dx.Length];
        for (var n = 0; n < g.Batch; n++)
            for (var z = 0; z < g.OutDepth; z++)
                for (var r = 0; r < g.OutHeight; r++)
                    for (var c = 0; c < g.OutWidth; c++)
                    {
                        var yi = g.OutIndex(n, z, r, c, outChannels);
                        for (var a = 0; a < g.KernelDepth; a++)
                            for (var b = 0; b < g.KernelHeight; b++)
                                for (var e = 0; e < g.KernelWidth; e++)
                                {
                                    if (!g.Tap(z, r, c, a, b, e, out var iz, out var iy, out var ix)) continue;
                                    var xi = g.InIndex(n, iz, iy, ix);
                                    var fi = ((a * g.KernelHeight + b) * g.KernelWidth + e) * cin * outChannels;
                                    for (var q = 0; q < cin; q++)
                                    {
                                        var s = 0.0;
                                        for (var o = 0; o < outChannels; o++) s += D(dy[yi + o]) * D(f[fi + q * outChannels + o]);
                                        acc[xi + q] += s;
                                    }
                                }
                    }
        for (var i = 0; i < dx.Length; i++) dx[i] = T.CreateTruncating(acc[i]);
    }

    public static void Conv3DBackpropFilter<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> df, Volume g, int outChannels) where T : unmanaged, INumberBase<T>
    {
        var cin = g.Channels;
        var acc = new double[df.Length];
        for (var n = 0; n < g.Batch; n++)
            for (var z = 0; z < g.OutDepth; z++)
                for (var r = 0; r < g.OutHeight; r++)
                    for (var c = 0; c < g.OutWidth; c++)
                    {
                        var yi = g.OutIndex(n, z, r, c, outChannels);
                        for (var a = 0; a < g.KernelDepth; a++)
                            for (var b = 0; b < g.KernelHeight; b++)
                                for (var e = 0; e < g.KernelWidth; e++)
                                {
                                    if (!g.Tap(z, r, c, a, b, e, out var iz, out var iy, out var ix)) continue;
                                    var xi = g.InIndex(n, iz, iy, ix);
                                    var fi = ((a * g.KernelHeight + b) * g.KernelWidth + e) * cin * outChannels;
                                    for (var q = 0; q < cin; q++)
                                    {
                                        var v = D(x[xi + q]);
                                        for (var o = 0; o < outChannels; o++) acc[fi + q * outChannels + o] += v * D(dy[yi + o]);
                                    }
                                }
                    }
        for (var i = 0; i < df.Length; i++) df[i] = T.CreateTruncating(acc[i]);
    }

    /// <summary>Max (<paramref name="max"/>) or average pooling; for max, the first maximum in (d, h, w) order wins.</summary>
    public static void Pool<T>(ReadOnlySpan<T> x, Span<T> y, Volume g, bool max) where T : unmanaged, INumberBase<T>
    {
        var ch = g.Channels;
        for (var n = 0; n < g.Batch; n++)
            for (var z = 0; z < g.OutDepth; z++)
                for (var r = 0; r < g.OutHeight; r++)
                    for (var c = 0; c < g.OutWidth; c++)
                        for (var q = 0; q < ch; q++)
                        {
                            var best = double.NegativeInfinity;
                            var sum = 0.0;
                            var count = 0;
                            for (var a = 0; a < g.KernelDepth; a++)
                                for (var b = 0; b < g.KernelHeight; b++)
                                    for (var e = 0; e < g.KernelWidth; e++)
                                    {
                                        if (!g.Tap(z, r, c, a, b, e, out var iz, out var iy, out var ix)) continue;
                                        var v = D(x[g.InIndex(n, iz, iy, ix) + q]);
                                        if (count == 0 || v > best) best = v;
                                        sum += v;
                                        count++;
                                    }
                            y[g.OutIndex(n, z, r, c, ch) + q] = T.CreateTruncating(max ? best : count == 0 ? 0 : sum / count);
                        }
    }

    /// <summary>MaxPool3DGrad: each output's gradient goes to its window's first maximum.</summary>
    public static void MaxPoolGrad<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, Volume g) where T : unmanaged, INumberBase<T>
    {
        var ch = g.Channels;
        var acc = new double[dx.Length];
        for (var n = 0; n < g.Batch; n++)
            for (var z = 0; z < g.OutDepth; z++)
                for (var r = 0; r < g.OutHeight; r++)
                    for (var c = 0; c < g.OutWidth; c++)
                        for (var q = 0; q < ch; q++)
                        {
                            var best = double.NegativeInfinity;
                            var at = -1;
                            for (var a = 0; a < g.KernelDepth; a++)
                                for (var b = 0; b < g.KernelHeight; b++)
                                    for (var e = 0; e < g.KernelWidth; e++)
                                    {
                                        if (!g.Tap(z, r, c, a, b, e, out var iz, out var iy, out var ix)) continue;
                                        var i = g.InIndex(n, iz, iy, ix) + q;
                                        var v = D(x[i]);
                                        if (at < 0 || v > best) (best, at) = (v, i);
                                    }
                            if (at >= 0) acc[at] += D(dy[g.OutIndex(n, z, r, c, ch) + q]);
                        }
        for (var i = 0; i < dx.Length; i++) dx[i] = T.CreateTruncating(acc[i]);
    }

    /// <summary>AvgPool3DGrad: each output's gradient spread evenly over its window's taps inside the volume.</summary>
    public static void AvgPoolGrad<T>(ReadOnlySpan<T> dy, Span<T> dx, Volume g) where T : unmanaged, INumberBase<T>
    {
        var ch = g.Channels;
        var acc = new double[dx.Length];
        for (var n = 0; n < g.Batch; n++)
            for (var z = 0; z < g.OutDepth; z++)
                for (var r = 0; r < g.OutHeight; r++)
                    for (var c = 0; c < g.OutWidth; c++)
                    {
                        var count = 0;
                        for (var a = 0; a < g.KernelDepth; a++)
                            for (var b = 0; b < g.KernelHeight; b++)
                                for (var e = 0; e < g.KernelWidth; e++)
                                    if (g.Tap(z, r, c, a, b, e, out _, out _, out _)) count++;
                        if (count == 0) continue;
                        for (var a = 0; a < g.KernelDepth; a++)
                            for (var b = 0; b < g.KernelHeight; b++)
                                for (var e = 0; e < g.KernelWidth; e++)
                                {
                                    if (!g.Tap(z, r, c, a, b, e, out var iz, out var iy, out var ix)) continue;
                                    var xi = g.InIndex(n, iz, iy, ix);
                                    var yi = g.OutIndex(n, z, r, c, ch);
                                    for (var q = 0; q < ch; q++) acc[xi + q] += D(dy[yi + q]) / count;
                                }
                    }
        for (var i = 0; i < dx.Length; i++) dx[i] = T.CreateTruncating(acc[i]);
    }
}
