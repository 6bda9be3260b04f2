using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>TakeDataset: <c>take(count)</c>: the first count elements, -1 for all.</summary>
internal sealed class TakeDataset : DatasetOp
{
    public static readonly TakeDataset Def = new();

    public override string Type => "TakeDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "count", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) =>
        new Data.Pipeline.TakeDataset(InputDataset(ctx, 0), Int64(ctx, 1, "count"));

    /// <summary>The transformed dataset; <paramref name="types"/> and <paramref name="shapes"/> are the input's.</summary>
    public static Tensor Build(Tensor input, TensorLike count, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TakeDataset", input, count);
        return Def.Create(b, [b.Convert(input, "input_dataset"), b.Convert(count, "count", DType.int64)], types, shapes);
    }
}
