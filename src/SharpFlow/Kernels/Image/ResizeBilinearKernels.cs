using System.Numerics;

namespace SharpFlow.Kernels.Image;

/// <summary>
/// Bilinear resizing of NHWC images, TensorFlow's <c>ResizeBilinear</c> CPU kernel: along each axis the source
/// coordinate of output index <c>i</c> is <c>i·scale</c> (or <c>(i + 0.5)·scale - 0.5</c> with half-pixel centers),
/// with <c>scale = in/out</c> (or <c>(in - 1)/(out - 1)</c> when aligning corners); the value interpolates between
/// the floor and the ceiling of that coordinate, both clamped into the image. The gradient adds each output's
/// gradient back to those four pixels with the same weights.
/// </summary>
internal static class ResizeBilinearKernels
{
    /// <summary>The two source indices and the weight of the upper one, for every output index along an axis.</summary>
    private readonly record struct Axis(int[] Lower, int[] Upper, float[] Lerp)
    {
        public static Axis Of(int inSize, int outSize, bool alignCorners, bool halfPixelCenters)
        {
            var scale = alignCorners && outSize > 1 ? (inSize - 1) / (float)(outSize - 1) : inSize / (float)outSize;
            var (lower, upper, lerp) = (new int[outSize], new int[outSize], new float[outSize]);
            for (var i = 0; i < outSize; i++)
            {
                var source = halfPixelCenters ? (i + 0.5f) * scale - 0.5f : i * scale;
                var floor = MathF.Floor(source);
                lower[i] = Math.Max((int)floor, 0);
                upper[i] = Math.Min((int)MathF.Ceiling(source), inSize - 1);
                lerp[i] = source - floor;
            }
            return new Axis(lower, upper, lerp);
        }
    }

    /// <summary>The four source pixels (offsets of their channel 0) and the two weights of one output pixel.</summary>
    private readonly record struct Corners(long TopLeft, long TopRight, long BottomLeft, long BottomRight, float Dy, float Dx);

    /// <summary>Runs <paramref name="body"/> for every output pixel (its offset and its corners), in row-major order.</summary>
    private static void ForEachPixel<TBody>(ref TBody body, int batch, int inH, int inW, int channels, int outH, int outW,
        bool alignCorners, bool halfPixelCenters) where TBody : struct, IPixelBody
    {
        var ys = Axis.Of(inH, outH, alignCorners, halfPixelCenters);
        var xs = Axis.Of(inW, outW, alignCorners, halfPixelCenters);
        for (var n = 0; n < batch; n++)
            for (var y = 0; y < outH; y++)
            {
                var top = ((long)n * inH + ys.Lower[y]) * inW;
                var bottom = ((long)n * inH + ys.Upper[y]) * inW;
                for (var x = 0; x < outW; x++)
                {
                    var (left, right) = (xs.Lower[x], xs.Upper[x]);
                    body.Pixel((((long)n * outH + y) * outW + x) * channels,
                        new Corners((top + left) * channels, (top + right) * channels, (bottom + left) * channels, (bottom + right) * channels, ys.Lerp[y], xs.Lerp[x]));
                }
            }
    }

    private interface IPixelBody
    {
        void Pixel(long output, in Corners corners);
    }

    /// <summary><paramref name="output"/>[N, outH, outW, C] from <paramref name="input"/>[N, inH, inW, C].</summary>
    public static unsafe void Forward<T>(ReadOnlySpan<T> input, Span<float> output, int batch, int inH, int inW, int channels, int outH, int outW,
        bool alignCorners, bool halfPixelCenters) where T : unmanaged, INumber<T>
    {
        fixed (T* x = input)
        fixed (float* y = output)
        {
            var body = new Interpolate<T>(x, y, channels);
            ForEachPixel(ref body, batch, inH, inW, channels, outH, outW, alignCorners, halfPixelCenters);
        }
    }

    /// <summary><paramref name="inputGrad"/>[N, inH, inW, C] (overwritten) from <paramref name="outputGrad"/>[N, outH, outW, C].</summary>
    public static unsafe void Backward<T>(ReadOnlySpan<float> outputGrad, Span<T> inputGrad, int batch, int inH, int inW, int channels, int outH, int outW,
        bool alignCorners, bool halfPixelCenters) where T : unmanaged, INumber<T>
    {
        inputGrad.Clear();
        fixed (float* dy = outputGrad)
        fixed (T* dx = inputGrad)
        {
            var body = new Scatter<T>(dy, dx, channels);
            ForEachPixel(ref body, batch, inH, inW, channels, outH, outW, alignCorners, halfPixelCenters);
        }
    }

    private readonly unsafe struct Interpolate<T>(T* input, float* output, int channels) : IPixelBody where T : unmanaged, INumber<T>
    {
        public void Pixel(long o, in Corners p)
        {
            for (var c = 0; c < channels; c++)
            {
                var tl = float.CreateTruncating(input[p.TopLeft + c]);
                var tr = float.CreateTruncating(input[p.TopRight + c]);
                var bl = float.CreateTruncating(input[p.BottomLeft + c]);
                var br = float.CreateTruncating(input[p.BottomRight + c]);
                var topValue = tl + (tr - tl) * p.Dx;
                var bottomValue = bl + (br - bl) * p.Dx;
                output[o + c] = topValue + (bottomValue - topValue) * p.Dy;
            }
        }
    }

    /// <summary>Each output gradient goes back to its four source pixels with the interpolation's weights.</summary>
    private readonly unsafe struct Scatter<T>(float* outputGrad, T* inputGrad, int channels) : IPixelBody where T : unmanaged, INumber<T>
    {
        public void Pixel(long o, in Corners p)
        {
            for (var c = 0; c < channels; c++)
            {
                var g = outputGrad[o + c];
                inputGrad[p.TopLeft + c] += T.CreateTruncating(g * (1 - p.Dy) * (1 - p.Dx));
                inputGrad[p.TopRight + c] += T.CreateTruncating(g * (1 - p.Dy) * p.Dx);
                inputGrad[p.BottomLeft + c] += T.CreateTruncating(g * p.Dy * (1 - p.Dx));
                inputGrad[p.BottomRight + c] += T.CreateTruncating(g * p.Dy * p.Dx);
            }
        }
    }
}
