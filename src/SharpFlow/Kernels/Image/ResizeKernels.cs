using System.Numerics;

namespace SharpFlow.Kernels.Image;

/// <summary>
/// Nearest-neighbour, bicubic and area resizing of NHWC images and their gradients, as TensorFlow's CPU kernels
/// (core/kernels/resize_nearest_neighbor_op.cc, resize_bicubic_op.cc, resize_area_op.cc, image_resizer_state.h).
/// The scale along an axis is <c>in/out</c>, or <c>(in - 1)/(out - 1)</c> when aligning corners; TF 1.x's legacy
/// rule maps output index <c>i</c> to <c>i·scale</c>, the half-pixel rule to <c>(i + 0.5)·scale</c> (nearest) or
/// <c>(i + 0.5)·scale - 0.5</c> (bicubic).
/// </summary>
internal static class ResizeKernels
{
    public static float Scale(int inSize, int outSize, bool alignCorners) =>
        alignCorners && outSize > 1 ? (inSize - 1) / (float)(outSize - 1) : inSize / (float)outSize;

    /// <summary>For each output index, the input index nearest to it by TensorFlow's rule.</summary>
    public static int[] NearestIndices(int inSize, int outSize, bool alignCorners, bool halfPixelCenters)
    {
        var scale = Scale(inSize, outSize, alignCorners);
        var index = new int[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var source = halfPixelCenters ? (i + 0.5f) * scale : i * scale;
            var k = alignCorners ? (long)MathF.Round(source, MidpointRounding.AwayFromZero) : (long)MathF.Floor(source);
            if (halfPixelCenters) k = System.Math.Max(0, k);
            index[i] = (int)System.Math.Min(k, inSize - 1);
        }
        return index;
    }

    /// <summary>ResizeNearestNeighbor: y[n, i, j, c] = x[n, rows[i], cols[j], c].</summary>
    public static void Nearest<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int inH, int inW, int channels, int outH, int outW, bool align, bool half)
    {
        var (rows, cols) = (NearestIndices(inH, outH, align, half), NearestIndices(inW, outW, align, half));
        var o = 0;
        for (var n = 0; n < batch; n++)
            for (var i = 0; i < outH; i++)
                for (var j = 0; j < outW; j++, o += channels)
                    x.Slice(((n * inH + rows[i]) * inW + cols[j]) * channels, channels).CopyTo(y.Slice(o, channels));
    }

    /// <summary>ResizeNearestNeighborGrad: each output gradient is added to the input pixel it was copied from.</summary>
    public static void NearestGrad<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int inH, int inW, int channels, int outH, int outW, bool align, bool half)
        where T : INumber<T>
    {
        dx.Clear();
        var (rows, cols) = (NearestIndices(inH, outH, align, half), NearestIndices(inW, outW, align, half));
        var o = 0;
        for (var n = 0; n < batch; n++)
            for (var i = 0; i < outH; i++)
                for (var j = 0; j < outW; j++, o += channels)
                {
                    var target = ((n * inH + rows[i]) * inW + cols[j]) * channels;
                    for (var c = 0; c < channels; c++) dx[target + c] += dy[o + c];
                }
    }

    private const int TableSize = 1024;

    /// <summary>TensorFlow's table of cubic convolution weights (Keys' a = -0.5 with half-pixel centers, -0.75 otherwise).</summary>
    private static float[] CoefficientTable(float a)
    {
        var table = new float[(TableSize + 1) * 2];
        for (var i = 0; i <= TableSize; i++)
        {
            var x = i / (float)TableSize;
            table[i * 2] = ((a + 2) * x - (a + 3)) * x * x + 1;
            x += 1;
            table[i * 2 + 1] = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return table;
    }

    private static readonly float[] LegacyTable = CoefficientTable(-0.75f), KeysTable = CoefficientTable(-0.5f);

    /// <summary>The four source indices and weights of every output index along an axis (GetWeightsAndIndices).</summary>
    private static (int[] Index, float[] Weight) CubicAxis(int inSize, int outSize, bool align, bool half)
    {
        var scale = Scale(inSize, outSize, align);
        var (index, weight) = (new int[outSize * 4], new float[outSize * 4]);
        var table = half ? KeysTable : LegacyTable;
        for (var i = 0; i < outSize; i++)
        {
            var source = half ? (i + 0.5f) * scale - 0.5f : i * scale;
            var floor = (long)MathF.Floor(source);
            var delta = source - floor;
            var offset = (int)MathF.Round(delta * TableSize, MidpointRounding.ToEven);
            var w = (table[offset * 2 + 1], table[offset * 2], table[(TableSize - offset) * 2], table[(TableSize - offset) * 2 + 1]);
            Span<float> ws = [w.Item1, w.Item2, w.Item3, w.Item4];
            for (var k = 0; k < 4; k++)
            {
                var src = floor - 1 + k;
                index[i * 4 + k] = (int)System.Math.Clamp(src, 0, inSize - 1);
                // With Keys' kernel TensorFlow drops taps outside the image and renormalizes the rest.
                weight[i * 4 + k] = half && (src < 0 || src >= inSize) ? 0 : ws[k];
            }
            if (half)
            {
                var sum = weight[i * 4] + weight[i * 4 + 1] + weight[i * 4 + 2] + weight[i * 4 + 3];
                if (MathF.Abs(sum) >= 1000 * float.Epsilon)
                    for (var k = 0; k < 4; k++) weight[i * 4 + k] /= sum;
            }
        }
        return (index, weight);
    }

    /// <summary>ResizeBicubic: float32 output, rows then columns interpolated with the cubic weights.</summary>
    public static void Bicubic<T>(ReadOnlySpan<T> x, Span<float> y, int batch, int inH, int inW, int channels, int outH, int outW, bool align, bool half)
        where T : INumber<T>
    {
        var (ri, rw) = CubicAxis(inH, outH, align, half);
        var (ci, cw) = CubicAxis(inW, outW, align, half);
        var o = 0;
        for (var n = 0; n < batch; n++)
            for (var i = 0; i < outH; i++)
                for (var j = 0; j < outW; j++, o += channels)
                    for (var c = 0; c < channels; c++)
                    {
                        var sum = 0f;
                        for (var a = 0; a < 4; a++)
                        {
                            var row = 0f;
                            var rowBase = (n * inH + ri[i * 4 + a]) * inW;
                            for (var b = 0; b < 4; b++) row += cw[j * 4 + b] * float.CreateTruncating(x[(rowBase + ci[j * 4 + b]) * channels + c]);
                            sum += rw[i * 4 + a] * row;
                        }
                        y[o + c] = sum;
                    }
    }

    /// <summary>ResizeBicubicGrad: each output gradient spread over its 16 source pixels with the same weights.</summary>
    public static void BicubicGrad<T>(ReadOnlySpan<float> dy, Span<T> dx, int batch, int inH, int inW, int channels, int outH, int outW, bool align, bool half)
        where T : INumber<T>
    {
        dx.Clear();
        var (ri, rw) = CubicAxis(inH, outH, align, half);
        var (ci, cw) = CubicAxis(inW, outW, align, half);
        var o = 0;
        for (var n = 0; n < batch; n++)
            for (var i = 0; i < outH; i++)
                for (var j = 0; j < outW; j++, o += channels)
                    for (var c = 0; c < channels; c++)
                    {
                        var g = dy[o + c];
                        for (var a = 0; a < 4; a++)
                        {
                            var rowBase = (n * inH + ri[i * 4 + a]) * inW;
                            for (var b = 0; b < 4; b++) dx[(rowBase + ci[j * 4 + b]) * channels + c] += T.CreateTruncating(g * rw[i * 4 + a] * cw[j * 4 + b]);
                        }
                    }
    }

    /// <summary>
    /// ResizeArea: each output pixel is the mean of the input area it covers, [i·scale, (i+1)·scale) along each axis,
    /// partly covered pixels weighted by their overlap.
    /// </summary>
    public static void Area<T>(ReadOnlySpan<T> x, Span<float> y, int batch, int inH, int inW, int channels, int outH, int outW, bool align)
        where T : INumber<T>
    {
        var (sy, sx) = (Scale(inH, outH, align), Scale(inW, outW, align));
        var xs = new List<(int Index, float Weight)>[outW];
        for (var j = 0; j < outW; j++) xs[j] = Spans(j, sx, inW);
        var scale = 1f / (sy * sx);
        var sum = new float[channels];
        var o = 0;
        for (var n = 0; n < batch; n++)
            for (var i = 0; i < outH; i++)
            {
                var ys = Spans(i, sy, inH);
                for (var j = 0; j < outW; j++, o += channels)
                {
                    System.Array.Clear(sum);
                    foreach (var (r, wr) in ys)
                        foreach (var (col, wc) in xs[j])
                        {
                            var p = ((n * inH + r) * inW + col) * channels;
                            for (var c = 0; c < channels; c++) sum[c] += wr * wc * float.CreateTruncating(x[p + c]);
                        }
                    for (var c = 0; c < channels; c++) y[o + c] = sum[c] * scale;
                }
            }
    }

    private static List<(int, float)> Spans(int i, float scale, int size)
    {
        var (start, end) = (i * scale, (i + 1) * scale);
        var list = new List<(int, float)>();
        for (var k = (long)MathF.Floor(start); k < (long)MathF.Ceiling(end); k++)
            list.Add(((int)System.Math.Min(k, size - 1), MathF.Min(k + 1, end) - MathF.Max(k, start)));
        return list;
    }
}
