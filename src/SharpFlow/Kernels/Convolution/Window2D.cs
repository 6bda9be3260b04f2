namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// The geometry of a 2-D window sliding over NHWC images (a convolution's filter, a pooling window): sizes,
/// strides, dilations, the padding before the first row and column, and the output size. TensorFlow's rules
/// (<c>GetWindowedOutputSizeVerbose</c>): with an effective window <c>k' = (k - 1)·d + 1</c>, VALID gives
/// <c>(in - k' + s) / s</c> outputs and no padding; SAME gives <c>ceil(in / s)</c> outputs and pads
/// <c>max(0, (out - 1)·s + k' - in)</c> in total, half of it (rounded down) before and the rest after.
/// </summary>
internal readonly record struct Window2D(
    int Batch, int InHeight, int InWidth, int Channels,
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
    int PadTop, int PadLeft, int OutHeight, int OutWidth)
{
    /// <summary>
    /// The output size along one axis and the padding before the first element, or an error message when the
    /// window does not fit (<c>null</c> when it does).
    /// </summary>
    public static string? OutputSize(long input, int kernel, int stride, int dilation, bool same, out int output, out int padBefore)
    {
        output = 0;
        padBefore = 0;
        if (stride <= 0) return $"stride must be positive, got {stride}";
        if (dilation <= 0) return $"dilation rate must be positive, got {dilation}";
        if (kernel <= 0) return $"window size must be positive, got {kernel}";
        var effective = (long)(kernel - 1) * dilation + 1;
        long outSize;
        if (same)
        {
            outSize = (input + stride - 1) / stride;
            var needed = Math.Max(0, (outSize - 1) * stride + effective - input);
            padBefore = (int)(needed / 2);
        }
        else
        {
            outSize = (input - effective + stride) / stride; // C++ division truncates toward zero, as here
        }
        if (outSize < 0) return $"computed output size would be negative: {outSize} [input: {input}, window: {effective}, stride: {stride}]";
        output = checked((int)outSize);
        return null;
    }

    /// <summary>Builds the geometry; throws <see cref="ArgumentException"/> when the window does not fit.</summary>
    public static Window2D Create(int batch, int height, int width, int channels, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, bool same)
    {
        var rows = OutputSize(height, kernelHeight, strideHeight, dilationHeight, same, out var outH, out var top);
        if (rows is not null) throw new ArgumentException(rows);
        var cols = OutputSize(width, kernelWidth, strideWidth, dilationWidth, same, out var outW, out var left);
        if (cols is not null) throw new ArgumentException(cols);
        return new Window2D(batch, height, width, channels, kernelHeight, kernelWidth, strideHeight, strideWidth,
            dilationHeight, dilationWidth, top, left, outH, outW);
    }

    /// <summary>
    /// Builds the geometry of an explicitly padded window (TensorFlow's <c>padding="EXPLICIT"</c>): the output size is
    /// VALID's over the input with <paramref name="padTop"/>/<paramref name="padBottom"/> rows and
    /// <paramref name="padLeft"/>/<paramref name="padRight"/> columns added; throws <see cref="ArgumentException"/>
    /// when the window does not fit.
    /// </summary>
    public static Window2D CreateExplicit(int batch, int height, int width, int channels, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int padTop, int padBottom, int padLeft, int padRight)
    {
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) throw new ArgumentException("All elements of explicit_paddings must be nonnegative");
        var rows = OutputSize((long)height + padTop + padBottom, kernelHeight, strideHeight, dilationHeight, false, out var outH, out _);
        if (rows is not null) throw new ArgumentException(rows);
        var cols = OutputSize((long)width + padLeft + padRight, kernelWidth, strideWidth, dilationWidth, false, out var outW, out _);
        if (cols is not null) throw new ArgumentException(cols);
        return new Window2D(batch, height, width, channels, kernelHeight, kernelWidth, strideHeight, strideWidth,
            dilationHeight, dilationWidth, padTop, padLeft, outH, outW);
    }

    /// <summary>
    /// True when a 1×1, stride-1 window without top or left padding still pads at the bottom or right (explicit
    /// padding): the output is larger than the input, so the input is not the patch matrix.
    /// </summary>
    public bool PointwisePaddedAfter =>
        KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 && PadTop == 0 && PadLeft == 0
        && (OutHeight != InHeight || OutWidth != InWidth);

    /// <summary>Elements of one image.</summary>
    public int InImageSize => InHeight * InWidth * Channels;

    /// <summary>Output positions of one image.</summary>
    public int OutPositions => OutHeight * OutWidth;

    /// <summary>Elements one window covers (<c>kh·kw·channels</c>): a row of the im2col matrix.</summary>
    public int PatchSize => KernelHeight * KernelWidth * Channels;

    /// <summary>
    /// The range <c>[first, last)</c> of window columns <c>kw</c> that fall inside the image for the window whose
    /// left edge is at input column <paramref name="left"/> (dilation 1).
    /// </summary>
    internal (int First, int Last) ValidColumns(int left)
    {
        var first = Math.Min(KernelWidth, Math.Max(0, -left));
        var last = Math.Min(KernelWidth, InWidth - left);
        return (first, Math.Max(first, last));
    }

    /// <summary>Like <see cref="ValidColumns"/> for rows, any dilation: <c>kh</c> with <c>0 ≤ top + kh·d &lt; H</c>.</summary>
    internal (int First, int Last) ValidRows(int top) => Valid(top, KernelHeight, DilationHeight, InHeight);

    /// <summary>Window columns inside the image, any dilation.</summary>
    internal (int First, int Last) ValidColumnsDilated(int left) => Valid(left, KernelWidth, DilationWidth, InWidth);

    private static (int, int) Valid(int start, int kernel, int dilation, int size)
    {
        var first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
        var last = start >= size ? 0 : Math.Min(kernel, (size - 1 - start) / dilation + 1);
        first = Math.Min(first, kernel);
        return (first, Math.Max(first, last));
    }

    /// <summary>The part of the window at output (<paramref name="oh"/>, <paramref name="ow"/>) of image <paramref name="n"/> that lies inside the image.</summary>
    internal WindowBounds Bounds(int n, int oh, int ow)
    {
        var top = oh * StrideHeight - PadTop;
        var left = ow * StrideWidth - PadLeft;
        var (firstRow, lastRow) = ValidRows(top);
        var (first, last) = ValidColumnsDilated(left);
        return new WindowBounds(n, top, left, firstRow, lastRow, first, last);
    }
}

/// <summary>The taps <c>[FirstRow, LastRow) × [First, Last)</c> of one window that lie inside the image.</summary>
internal readonly record struct WindowBounds(int N, int Top, int Left, int FirstRow, int LastRow, int First, int Last)
{
    /// <summary>Number of taps inside the image.</summary>
    public int Count => (LastRow - FirstRow) * (Last - First);

    /// <summary>Flat NHWC offset of channel 0 of the input element under tap (kh, kw).</summary>
    public long Offset(in Window2D g, int kh, int kw) =>
        (((long)N * g.InHeight + Top + kh * g.DilationHeight) * g.InWidth + Left + kw * g.DilationWidth) * g.Channels;
}
