using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>BatchDatasetV2: <c>batch(batch_size, drop_remainder)</c>, consecutive elements stacked along a new first axis.</summary>
internal sealed class BatchDatasetV2 : DatasetOp
{
    public static readonly BatchDatasetV2 Def = new();

    public override string Type => "BatchDatasetV2";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "batch_size", DType.int64);
        CheckScalar(ctx, 2, "drop_remainder", DType.@bool);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var batchSize = Int64(ctx, 1, "batch_size");
        if (batchSize <= 0) throw ctx.InvalidArgument("Batch size must be greater than zero.");
        return new BatchDataset(InputDataset(ctx, 0), batchSize, ctx.Input(2).AsSpan<bool>()[0], Shapes(op), op.name);
    }

    /// <summary>The batched dataset; <paramref name="shapes"/> are the input's shapes with the batch axis in front.</summary>
    public static Tensor Build(Tensor input, TensorLike batchSize, TensorLike dropRemainder, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "BatchDatasetV2", input, batchSize, dropRemainder);
        return Def.Create(b, [b.Convert(input, "input_dataset"), b.Convert(batchSize, "batch_size", DType.int64),
            b.Convert(dropRemainder, "drop_remainder", DType.@bool)], types, shapes);
    }
}
