using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// SlidingWindowDataset (<c>tf.contrib.data.sliding_window_batch</c>): windows of <c>window_size</c> elements, every
/// <c>window_stride</c>-th, starting <c>window_shift</c> elements apart, each stacked into a batch.
/// </summary>
internal sealed class SlidingWindowDataset : DatasetOp
{
    public static readonly SlidingWindowDataset Def = new();

    public override string Type => "SlidingWindowDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "window_size", DType.int64);
        CheckScalar(ctx, 2, "window_shift", DType.int64);
        CheckScalar(ctx, 3, "window_stride", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var size = Int64(ctx, 1, "window_size");
        var shift = Int64(ctx, 2, "window_shift");
        var stride = Int64(ctx, 3, "window_stride");
        if (size <= 0) throw ctx.InvalidArgument($"Window size must be greater than zero, but got {size}.");
        if (shift <= 0) throw ctx.InvalidArgument($"Window shift must be greater than zero, but got {shift}.");
        if (stride <= 0) throw ctx.InvalidArgument($"Window stride must be greater than zero, but got {stride}.");
        if ((size - 1) * stride + 1 > int.MaxValue) throw ctx.InvalidArgument($"A window of {size} elements {stride} apart is too large.");
        return new Data.Pipeline.SlidingWindowDataset(InputDataset(ctx, 0), size, shift, stride, Shapes(op), op.name);
    }

    /// <summary>The windowed dataset; <paramref name="shapes"/> are the input's with a leading unknown dimension.</summary>
    public static Tensor Build(Tensor input, TensorLike windowSize, TensorLike windowShift, TensorLike windowStride, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "SlidingWindowDataset", input, windowSize, windowShift, windowStride);
        return Def.Create(b, [b.Convert(input, "input_dataset"), b.Convert(windowSize, "window_size", DType.int64),
            b.Convert(windowShift, "window_shift", DType.int64), b.Convert(windowStride, "window_stride", DType.int64)], types, shapes);
    }
}
