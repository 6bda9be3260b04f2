namespace SharpFlow.Kernels.Convolution;

/// <summary>Zero-padded copies of NHWC images, which the direct convolution kernels read windows of in place.</summary>
internal static unsafe class ZeroPadded
{
    /// <summary>
    /// Copies images <c>[batch, height, width, channels]</c> into <paramref name="dst"/> <c>[batch, rows, columns,
    /// channels]</c>, shifted by the padding (<paramref name="padTop"/>, <paramref name="padLeft"/>), zeros elsewhere and
    /// in the <paramref name="slack"/> floats past the last image; input rows and columns past the copy's are left out.
    /// </summary>
    public static void Copy(float* src, int batch, int height, int width, int channels, int padTop, int padLeft, float* dst, int rows, int columns,
        int slack = 0)
    {
        var imageSize = (long)rows * columns * channels;
        new Span<float>(dst, checked((int)(batch * imageSize + slack))).Clear();
        var count = Math.Min(width, columns - padLeft) * channels;
        if (count <= 0) return;
        for (var n = 0; n < batch; n++)
            for (var ih = 0; ih < height; ih++)
            {
                var r = ih + padTop;
                if (r >= rows) break;
                new ReadOnlySpan<float>(src + ((long)n * height + ih) * width * channels, count)
                    .CopyTo(new Span<float>(dst + n * imageSize + ((long)r * columns + padLeft) * channels, count));
            }
    }
}
