using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>RepeatDataset: <c>repeat(count)</c>: the input's elements count times, -1 for ever.</summary>
internal sealed class RepeatDataset : DatasetOp
{
    public static readonly RepeatDataset Def = new();

    public override string Type => "RepeatDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "count", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) =>
        new Data.Pipeline.RepeatDataset(InputDataset(ctx, 0), Int64(ctx, 1, "count"));

    /// <summary>The transformed dataset; <paramref name="types"/> and <paramref name="shapes"/> are the input's.</summary>
    public static Tensor Build(Tensor input, TensorLike count, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "RepeatDataset", input, count);
        return Def.Create(b, [b.Convert(input, "input_dataset"), b.Convert(count, "count", DType.int64)], types, shapes);
    }
}
