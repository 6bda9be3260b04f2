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

    /// <summary><paramref name="output"/>[N, outH, outW, C] from <paramref name="input"/>[N, inH, inW, C].</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, Span<float> output, int batch, int inH, int inW, int channels, int outH, int outW,
        bool alignCorners, bool halfPixelCenters) where T : unmanaged, INumber<T>
    {
        var ys = Axis.Of(inH, outH, alignCorners, halfPixelCenters);
        var xs = Axis.Of(inW, outW, alignCorners, halfPixelCenters);
        for (var n = 0; n < batch; n++)
            for (var y = 0; y < outH; y++)
            {
                var top = ((long)n * inH + ys.Lower[y]) * inW;
                var bottom = ((long)n * inH + ys.Upper[y]) * inW;
                var dy = ys.Lerp[y];
                for (var x = 0; x < outW; x++)
                {
                    var (left, right, dx) = (xs.Lower[x], xs.Upper[x], xs.Lerp[x]);
                    var o = (((long)n * outH + y) * outW + x) * channels;
                    for (var c = 0; c < channels; c++)
                    {
                        var tl = float.CreateTruncating(input[(int)((top + left) * channels + c)]);
                        var tr = float.CreateTruncating(input[(int)((top + right) * channels + c)]);
                        var bl = float.CreateTruncating(input[(int)((bottom + left) * channels + c)]);
                        var br = float.CreateTruncating(input[(int)((bottom + right) * channels + c)]);
                        var topValue = tl + (tr - tl) * dx;
                        var bottomValue = bl + (br - bl) * dx;
                        output[(int)(o + c)] = topValue + (bottomValue - topValue) * dy;
                    }
                }
            }
    }

    /// <summary><paramref name="inputGrad"/>[N, inH, inW, C] (overwritten) from <paramref name="outputGrad"/>[N, outH, outW, C].</summary>
    public static void Backward<T>(ReadOnlySpan<float> outputGrad, Span<T> inputGrad, int batch, int inH, int inW, int channels, int outH, int outW,
        bool alignCorners, bool halfPixelCenters) where T : unmanaged, INumber<T>
    {
        inputGrad.Clear();
        var ys = Axis.Of(inH, outH, alignCorners, halfPixelCenters);
        var xs = Axis.Of(inW, outW, alignCorners, halfPixelCenters);
        for (var n = 0; n < batch; n++)
            for (var y = 0; y < outH; y++)
            {
                var top = ((long)n * inH + ys.Lower[y]) * inW;
                var bottom = ((long)n * inH + ys.Upper[y]) * inW;
                var dy = ys.Lerp[y];
                for (var x = 0; x < outW; x++)
                {
                    var (left, right, dx) = (xs.Lower[x], xs.Upper[x], xs.Lerp[x]);
                    var o = (((long)n * outH + y) * outW + x) * channels;
                    for (var c = 0; c < channels; c++)
                    {
                        var g = outputGrad[(int)(o + c)];
                        Add(inputGrad, (top + left) * channels + c, g * (1 - dy) * (1 - dx));
                        Add(inputGrad, (top + right) * channels + c, g * (1 - dy) * dx);
                        Add(inputGrad, (bottom + left) * channels + c, g * dy * (1 - dx));
                        Add(inputGrad, (bottom + right) * channels + c, g * dy * dx);
                    }
                }
            }
    }

    private static void Add<T>(Span<T> target, long index, float value) where T : unmanaged, INumber<T> =>
        target[(int)index] += T.CreateTruncating(value);
}
