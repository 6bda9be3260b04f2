using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>PrefetchDataset: <c>prefetch(buffer_size)</c>: a background thread reads ahead into a bounded buffer.</summary>
internal sealed class PrefetchDataset : DatasetOp
{
    public static readonly PrefetchDataset Def = new();

    public override string Type => "PrefetchDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "buffer_size", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) =>
        Int64(ctx, 1, "buffer_size") is var n && n < -1 ? throw ctx.InvalidArgument("buffer_size must be >= 0 or set buffer_size to be -1 (AUTOTUNE)") : new Data.Pipeline.PrefetchDataset(InputDataset(ctx, 0), n);

    /// <summary>The transformed dataset; <paramref name="types"/> and <paramref name="shapes"/> are the input's.</summary>
    public static Tensor Build(Tensor input, TensorLike buffer_size, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "PrefetchDataset", input, buffer_size);
        return Def.Create(b, [b.Convert(input, "input_dataset"), b.Convert(buffer_size, "buffer_size", DType.int64)], types, shapes);
    }
}
