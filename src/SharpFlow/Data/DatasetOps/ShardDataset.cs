using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>ShardDataset: <c>shard(num_shards, index)</c>, every <c>num_shards</c>-th element from position <c>index</c>.</summary>
internal sealed class ShardDataset : DatasetOp
{
    public static readonly ShardDataset Def = new();
    
    private static readonly OpAttr<bool> RequireNonEmpty = new("require_non_empty", false);

    public override string Type => "ShardDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "num_shards", DType.int64);
        CheckScalar(ctx, 2, "index", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var numShards = Int64(ctx, 1, "num_shards");
        if (numShards <= 0)
            throw ctx.InvalidArgument($"Number of shards must be greater than zero (currently num_shards = {numShards}).");
        var index = Int64(ctx, 2, "index");
        if (index < 0 || index >= numShards)
            throw ctx.InvalidArgument($"Index must be between 0 and {numShards - 1} (currently index = {index}).");
        return new Data.Pipeline.ShardDataset(InputDataset(ctx, 0), numShards, index);
    }

    /// <summary>The shard; <paramref name="types"/> and <paramref name="shapes"/> are the input's.</summary>
    public static Tensor Build(Tensor input, TensorLike numShards, TensorLike index, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ShardDataset", input, numShards, index);
        return Def.Create(b, [b.Convert(input, "input_dataset"), b.Convert(numShards, "num_shards", DType.int64), b.Convert(index, "index", DType.int64)],
            types, shapes, new() { { RequireNonEmpty, false } });
    }
}
