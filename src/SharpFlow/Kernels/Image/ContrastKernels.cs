namespace SharpFlow.Kernels.Image;

/// <summary>
/// AdjustContrastv2's arithmetic (adjust_contrast_op.cc): images seen as <c>[batch, height, width, channels]</c>,
/// every channel of every image moved away from its mean over height and width: <c>(x - mean) · factor + mean</c>,
/// in float32 (half images are widened and narrowed back, as TensorFlow's half kernel does).
/// </summary>
internal static class ContrastKernels
{
    public static void AdjustContrast(ReadOnlySpan<float> x, Span<float> y, int batch, int height, int width, int channels, float factor)
    {
        var plane = height * width;
        var mean = new double[channels];
        for (var b = 0; b < batch; b++)
        {
            var offset = b * plane * channels;
            Array.Clear(mean);
            for (var p = 0; p < plane; p++)
                for (var c = 0; c < channels; c++) mean[c] += x[offset + p * channels + c];
            for (var c = 0; c < channels; c++)
            {
                var m = (float)(mean[c] / plane);
                for (var p = 0; p < plane; p++)
                {
                    var i = offset + p * channels + c;
                    y[i] = (x[i] - m) * factor + m;
                }
            }
        }
    }

    public static void AdjustContrast(ReadOnlySpan<Half> x, Span<Half> y, int batch, int height, int width, int channels, float factor)
    {
        var wide = new float[x.Length];
        for (var i = 0; i < wide.Length; i++) wide[i] = (float)x[i];
        var result = new float[x.Length];
        AdjustContrast(wide, result, batch, height, width, channels, factor);
        for (var i = 0; i < result.Length; i++) y[i] = (Half)result[i];
    }
}
