using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>
/// TensorFlow's fused batch normalization (fused_batch_norm_op.cc, CPU) over a tensor seen as
/// <c>[outer, channels, inner]</c>: channels last (NHWC, NDHWC) is <c>inner = 1</c>, channels first (NCHW, NCDHW)
/// is <c>outer = N</c>, <c>inner = H·W</c>. Channels-last rows are processed whole with SIMD over the channels;
/// channels-first planes are contiguous runs of one channel. Per-channel sums are accumulated in blocks of
/// <see cref="Block"/> rows in the element type and then in float64, so a large batch loses no precision.
/// </summary>
public static unsafe class FusedBatchNormKernels
{
    private const int Block = 256;

    /// <summary>
    /// Training's statistics: each channel's <paramref name="batchMean"/> and biased <paramref name="batchVariance"/>
    /// (two passes: the mean, then the mean of the squared deviations).
    /// </summary>
    public static void Moments<T>(ReadOnlySpan<T> x, int outer, int channels, int inner, Span<T> batchMean, Span<T> batchVariance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = (double)outer * inner;
        Span<double> acc = channels <= 512 ? stackalloc double[channels] : new double[channels];
        SumPerChannel(x, default, outer, channels, inner, acc, centered: false);
        for (var c = 0; c < channels; c++) batchMean[c] = T.CreateChecked(acc[c] / count);
        SumPerChannel(x, batchMean, outer, channels, inner, acc, centered: true);
        for (var c = 0; c < channels; c++) batchVariance[c] = T.CreateChecked(acc[c] / count);
    }

    /// <summary>y = (x - mean) · (scale / sqrt(variance + epsilon)) + offset, per channel.</summary>
    public static void Normalize<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> scale, ReadOnlySpan<T> offset, ReadOnlySpan<T> mean, ReadOnlySpan<T> variance,
        T epsilon, int outer, int channels, int inner, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scratch = ArrayPool<T>.Shared.Rent(channels);
        try
        {
            var factor = scratch.AsSpan(0, channels);
            for (var c = 0; c < channels; c++) factor[c] = scale[c] / T.Sqrt(variance[c] + epsilon);
            if (inner == 1)
            {
                // Rows are independent: split them over the threads (the same operations on each row).
                fixed (T* px = x)
                fixed (T* pm = mean)
                fixed (T* pf = factor)
                fixed (T* po = offset)
                fixed (T* py = y)
                {
                    Partition.For(outer, 3L * channels, new RowJob((nint)px, (nint)pm, (nint)pf, (nint)po, (nint)py, channels), static (in RowJob j, int start, int end) =>
                    {
                        var rented = ArrayPool<T>.Shared.Rent(j.Channels);
                        var centered = rented.AsSpan(0, j.Channels);
                        var mean = new ReadOnlySpan<T>((T*)j.Mean, j.Channels);
                        var factor = new ReadOnlySpan<T>((T*)j.Factor, j.Channels);
                        var offset = new ReadOnlySpan<T>((T*)j.Offset, j.Channels);
                        for (var r = start; r < end; r++)
                        {
                            TensorPrimitives.Subtract(new ReadOnlySpan<T>((T*)j.X + (long)r * j.Channels, j.Channels), mean, centered);
                            TensorPrimitives.FusedMultiplyAdd(centered, factor, offset, new Span<T>((T*)j.Y + (long)r * j.Channels, j.Channels));
                        }
                        ArrayPool<T>.Shared.Return(rented);
                    });
                }
                return;
            }
            for (var o = 0; o < outer; o++)
                for (var c = 0; c < channels; c++)
                {
                    var start = (o * channels + c) * inner;
                    var dst = y.Slice(start, inner);
                    TensorPrimitives.Subtract(x.Slice(start, inner), mean[c], dst);
                    TensorPrimitives.Multiply(dst, factor[c], dst);
                    TensorPrimitives.Add(dst, offset[c], dst);
                }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The gradients of fused batch norm: <paramref name="scaleBackprop"/> = Σ dy·(x - mean)·rsqrt(var + eps),
    /// <paramref name="offsetBackprop"/> = Σ dy; with <paramref name="isTraining"/> (mean and variance are the batch's)
    /// dx = scale·rsqrt(var + eps)·(dy - mean(dy) - (x - mean)·mean(dy·(x - mean))/(var + eps)), otherwise (population
    /// statistics, constants) dx = dy·scale·rsqrt(var + eps).
    /// </summary>
    public static void Grad<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> scale, ReadOnlySpan<T> mean, ReadOnlySpan<T> variance, T epsilon,
        bool isTraining, int outer, int channels, int inner, Span<T> dx, Span<T> scaleBackprop, Span<T> offsetBackprop)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = (double)outer * inner;
        // Scratch from the shared pool, so a training step's gradients allocate nothing.
        var sums = ArrayPool<double>.Shared.Rent(2 * channels);
        // a, b and d, then (channels first) one plane's deviations; the channels-last loops rent their own rows.
        var scratch = ArrayPool<T>.Shared.Rent(checked(3 * channels + (inner == 1 ? 0 : inner)));
        try
        {
            GradWith(dy, x, scale, mean, variance, epsilon, isTraining, outer, channels, inner, dx, scaleBackprop, offsetBackprop, count,
                sums.AsSpan(0, 2 * channels), scratch);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static void GradWith<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> scale, ReadOnlySpan<T> mean, ReadOnlySpan<T> variance, T epsilon,
        bool isTraining, int outer, int channels, int inner, Span<T> dx, Span<T> scaleBackprop, Span<T> offsetBackprop, double count,
        Span<double> sums, T[] scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        sums.Clear();
        var sumDy = sums[..channels];
        var sumDyXc = sums[channels..];
        var a = scratch.AsSpan(0, channels);
        var b = scratch.AsSpan(channels, channels);
        var d = scratch.AsSpan(2 * channels, channels);
        if (inner == 1)
        {
            // Each block's two sums in the element type, the blocks spread over the threads, then added in order in
            // float64: the same sums as one thread gives.
            var blocks = (outer + Block - 1) / Block;
            var partial = ArrayPool<T>.Shared.Rent(checked(blocks * 2 * channels));
            try
            {
                fixed (T* pdy = dy)
                fixed (T* px = x)
                fixed (T* pm = mean)
                fixed (T* pp = partial)
                {
                    Partition.For(blocks, 2L * Block * channels, new GradJob((nint)pdy, (nint)px, (nint)pm, 0, 0, 0, (nint)pp, channels, outer),
                        static (in GradJob j, int start, int end) =>
                        {
                            var rented = ArrayPool<T>.Shared.Rent(j.Channels);
                            var centered = rented.AsSpan(0, j.Channels);
                            var mean = new ReadOnlySpan<T>((T*)j.Mean, j.Channels);
                            for (var blk = start; blk < end; blk++)
                            {
                                var blockDy = new Span<T>((T*)j.Out + (long)blk * 2 * j.Channels, j.Channels);
                                var blockDyXc = new Span<T>((T*)j.Out + ((long)blk * 2 + 1) * j.Channels, j.Channels);
                                blockDy.Clear();
                                blockDyXc.Clear();
                                var r1 = System.Math.Min(j.Outer, (blk + 1) * Block);
                                for (var r = blk * Block; r < r1; r++)
                                {
                                    var g = new ReadOnlySpan<T>((T*)j.Dy + (long)r * j.Channels, j.Channels);
                                    TensorPrimitives.Add(blockDy, g, blockDy);
                                    TensorPrimitives.Subtract(new ReadOnlySpan<T>((T*)j.X + (long)r * j.Channels, j.Channels), mean, centered);
                                    TensorPrimitives.FusedMultiplyAdd(g, centered, blockDyXc, blockDyXc);
                                }
                            }
                            ArrayPool<T>.Shared.Return(rented);
                        });
                }
                for (var blk = 0; blk < blocks; blk++)
                    for (var c = 0; c < channels; c++)
                    {
                        sumDy[c] += double.CreateChecked(partial[(blk * 2) * channels + c]);
                        sumDyXc[c] += double.CreateChecked(partial[(blk * 2 + 1) * channels + c]);
                    }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(partial);
            }
        }
        else
        {
            var centered = scratch.AsSpan(3 * channels, inner);
            for (var o = 0; o < outer; o++)
                for (var c = 0; c < channels; c++)
                {
                    var start = (o * channels + c) * inner;
                    sumDy[c] += double.CreateChecked(TensorPrimitives.Sum(dy.Slice(start, inner)));
                    TensorPrimitives.Subtract(x.Slice(start, inner), mean[c], centered);
                    sumDyXc[c] += double.CreateChecked(TensorPrimitives.Dot(dy.Slice(start, inner), centered));
                }
        }

        // dx = a·dy + b·(x - mean) + d per channel: a = scale·rsqrt, and while training
        // b = -scale·rsqrt³·mean(dy·(x - mean)), d = -scale·rsqrt·mean(dy).
        for (var c = 0; c < channels; c++)
        {
            var rsqrt = 1.0 / System.Math.Sqrt(double.CreateChecked(variance[c] + epsilon));
            var s = double.CreateChecked(scale[c]);
            scaleBackprop[c] = T.CreateChecked(sumDyXc[c] * rsqrt);
            offsetBackprop[c] = T.CreateChecked(sumDy[c]);
            a[c] = T.CreateChecked(s * rsqrt);
            b[c] = isTraining && count > 0 ? T.CreateChecked(-s * rsqrt * rsqrt * rsqrt * sumDyXc[c] / count) : T.Zero;
            d[c] = isTraining && count > 0 ? T.CreateChecked(-s * rsqrt * sumDy[c] / count) : T.Zero;
        }
        if (inner == 1)
        {
            // Rows are independent: split them over the threads (the same operations on each row).
            fixed (T* pdy = dy)
            fixed (T* px = x)
            fixed (T* pm = mean)
            fixed (T* pa = a)
            fixed (T* pb = b)
            fixed (T* pd = d)
            fixed (T* pdx = dx)
            {
                Partition.For(outer, 4L * channels, new GradJob((nint)pdy, (nint)px, (nint)pm, (nint)pa, (nint)pb, (nint)pd, (nint)pdx, channels, outer),
                    static (in GradJob j, int start, int end) =>
                    {
                        var rented = ArrayPool<T>.Shared.Rent(j.Channels);
                        var centered = rented.AsSpan(0, j.Channels);
                        var mean = new ReadOnlySpan<T>((T*)j.Mean, j.Channels);
                        var a = new ReadOnlySpan<T>((T*)j.A, j.Channels);
                        var b = new ReadOnlySpan<T>((T*)j.B, j.Channels);
                        var d = new ReadOnlySpan<T>((T*)j.D, j.Channels);
                        for (var r = start; r < end; r++)
                        {
                            TensorPrimitives.Subtract(new ReadOnlySpan<T>((T*)j.X + (long)r * j.Channels, j.Channels), mean, centered);
                            TensorPrimitives.FusedMultiplyAdd(centered, b, d, centered);
                            TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<T>((T*)j.Dy + (long)r * j.Channels, j.Channels), a, centered,
                                new Span<T>((T*)j.Out + (long)r * j.Channels, j.Channels));
                        }
                        ArrayPool<T>.Shared.Return(rented);
                    });
            }
            return;
        }
        for (var o = 0; o < outer; o++)
            for (var c = 0; c < channels; c++)
            {
                var start = (o * channels + c) * inner;
                var dst = dx.Slice(start, inner);
                // b·(x - mean) + d = b·x + (d - b·mean)
                TensorPrimitives.Multiply(x.Slice(start, inner), b[c], dst);
                TensorPrimitives.Add(dst, d[c] - b[c] * mean[c], dst);
                TensorPrimitives.MultiplyAdd(dy.Slice(start, inner), a[c], dst, dst);
            }
    }

    // acc[c] = Σ x (or Σ (x - mean)² when centered) over every position of channel c.
    private static void SumPerChannel<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mean, int outer, int channels, int inner, Span<double> acc, bool centered)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        acc.Clear();
        if (inner == 1)
        {
            // Each block's sums in the element type, the blocks spread over the threads, then added in order in
            // float64: the same sums as one thread gives.
            var blocks = (outer + Block - 1) / Block;
            var partial = ArrayPool<T>.Shared.Rent(checked(blocks * channels));
            try
            {
                fixed (T* px = x)
                fixed (T* pm = mean)
                fixed (T* pp = partial)
                {
                    Partition.For(blocks, (long)Block * channels, new RowJob((nint)px, (nint)pm, 0, 0, (nint)pp, channels, outer, centered),
                        static (in RowJob j, int start, int end) =>
                        {
                            var rented = ArrayPool<T>.Shared.Rent(j.Channels);
                            var tmp = rented.AsSpan(0, j.Channels);
                            var mean = new ReadOnlySpan<T>((T*)j.Mean, j.Mean == 0 ? 0 : j.Channels);
                            for (var b = start; b < end; b++)
                            {
                                var block = new Span<T>((T*)j.Y + (long)b * j.Channels, j.Channels);
                                block.Clear();
                                var r1 = System.Math.Min(j.Outer, (b + 1) * Block);
                                for (var r = b * Block; r < r1; r++)
                                {
                                    var row = new ReadOnlySpan<T>((T*)j.X + (long)r * j.Channels, j.Channels);
                                    if (!j.Centered) TensorPrimitives.Add(block, row, block);
                                    else
                                    {
                                        TensorPrimitives.Subtract(row, mean, tmp);
                                        TensorPrimitives.FusedMultiplyAdd(tmp, tmp, block, block);
                                    }
                                }
                            }
                            ArrayPool<T>.Shared.Return(rented);
                        });
                }
                for (var b = 0; b < blocks; b++)
                    for (var c = 0; c < channels; c++) acc[c] += double.CreateChecked(partial[b * channels + c]);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(partial);
            }
            return;
        }
        var buffer = centered ? new T[inner] : null;
        for (var o = 0; o < outer; o++)
            for (var c = 0; c < channels; c++)
            {
                var plane = x.Slice((o * channels + c) * inner, inner);
                if (!centered) acc[c] += double.CreateChecked(TensorPrimitives.Sum(plane));
                else
                {
                    TensorPrimitives.Subtract(plane, mean[c], buffer);
                    acc[c] += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(buffer));
                }
            }
    }

    /// <summary>
    /// A gradient loop over channels-last rows: dy, x, the mean, the per-channel factors a, b, d (0 when unused) and
    /// the output (dx, or the blocks' partial sums).
    /// </summary>
    private readonly record struct GradJob(nint Dy, nint X, nint Mean, nint A, nint B, nint D, nint Out, int Channels, int Outer);

    /// <summary>
    /// A loop over channels-last rows: the input, the per-channel vectors (mean, factor, offset; 0 when unused), the
    /// output (or the blocks' partial sums), and for the sums the row count and whether they are of squared deviations.
    /// </summary>
    private readonly record struct RowJob(nint X, nint Mean, nint Factor, nint Offset, nint Y, int Channels, int Outer = 0, bool Centered = false);
}
