using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>CacheDataset: <c>cache(filename)</c>; the empty name keeps the elements in memory.</summary>
internal sealed class CacheDataset : DatasetOp
{
    public static readonly CacheDataset Def = new();

    public override string Type => "CacheDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "filename", DType.@string);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) =>
        new Data.Pipeline.CacheDataset(InputDataset(ctx, 0), System.Text.Encoding.UTF8.GetString(ctx.Input(1).StringBytes()));

    /// <summary>The cached dataset.</summary>
    public static Tensor Build(Tensor input, TensorLike filename, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "CacheDataset", input, filename);
        return Def.Create(b, [b.Convert(input, "input_dataset"), b.Convert(filename, "filename", DType.@string)], types, shapes);
    }
}
