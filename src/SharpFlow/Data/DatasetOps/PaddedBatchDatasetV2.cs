using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// PaddedBatchDatasetV2: <c>padded_batch(batch_size, padded_shapes, padding_values, drop_remainder)</c>; inputs
/// <c>input_dataset, batch_size, padded_shapes</c> (N int64 vectors, -1 pads to the batch's largest size),
/// <c>padding_values</c> (N scalars), <c>drop_remainder</c>.
/// </summary>
internal sealed class PaddedBatchDatasetV2 : DatasetOp
{
    public static readonly PaddedBatchDatasetV2 Def = new();

    private static readonly OpAttr<int> NAttr = new("N");

    public override string Type => "PaddedBatchDatasetV2";

    protected override void Check(InferenceContext ctx)
    {
        var n = NAttr.Of(ctx);
        if (ctx.Inputs.Count != 3 + 2 * n) throw ctx.Error($"expected {3 + 2 * n} inputs, got {ctx.Inputs.Count}");
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "batch_size", DType.int64);
        for (var i = 0; i < n; i++)
        {
            if (ctx.InputShape(2 + i) is { IsKnownRank: true, ndims: not 1 } s) throw ctx.Error($"Shape must be rank 1 but is rank {s.ndims} for 'padded_shapes'");
            if (ctx.InputShape(2 + n + i) is { IsKnownRank: true, ndims: not 0 } v) throw ctx.Error($"Shape must be rank 0 but is rank {v.ndims} for 'padding_values'");
        }
        CheckScalar(ctx, 2 + 2 * n, "drop_remainder", DType.@bool);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var n = NAttr.Of(op);
        var batchSize = Int64(ctx, 1, "batch_size");
        if (batchSize <= 0) throw ctx.InvalidArgument("Batch size must be greater than zero.");
        var padded = new long[n][];
        var values = new NDArray[n];
        for (var i = 0; i < n; i++)
        {
            padded[i] = ctx.Input(2 + i).ToArray<long>();
            values[i] = ctx.Input(2 + n + i).Copy();
        }
        return new PaddedBatchDataset(InputDataset(ctx, 0), batchSize, padded, values, ctx.Input(2 + 2 * n).AsSpan<bool>()[0], Shapes(op), op.name);
    }

    /// <summary>The padded batches.</summary>
    public static Tensor Build(Tensor input, TensorLike batchSize, Tensor[] paddedShapes, Tensor[] paddingValues, TensorLike dropRemainder,
        DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "PaddedBatchDatasetV2", input, batchSize);
        var inputs = new List<Tensor> { b.Convert(input, "input_dataset"), b.Convert(batchSize, "batch_size", DType.int64) };
        inputs.AddRange(paddedShapes.Select(s => b.Convert(s, "padded_shapes", DType.int64)));
        inputs.AddRange(paddingValues.Select((v, i) => b.Convert(v, "padding_values", types[i])));
        inputs.Add(b.Convert(dropRemainder, "drop_remainder", DType.@bool));
        return Def.Create(b, [.. inputs], types, shapes, new() { { NAttr, types.Length } }, typesAttr: ToutputTypes);
    }
}
