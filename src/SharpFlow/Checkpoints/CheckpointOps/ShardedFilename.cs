using System.Text;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Checkpoints.CheckpointOps;

/// <summary>
/// ShardedFilename (TensorFlow's io_ops, used by sharded savers): <c>basename-SSSSS-of-NNNNN</c> for shard
/// <c>shard</c> of <c>num_shards</c>.
/// </summary>
internal sealed class ShardedFilename : OpDef
{
    public static readonly ShardedFilename Def = new();

    public override string Type => "ShardedFilename";

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"Input 'basename' must be a string tensor, got {ctx.InputDType(0).name}");
        for (var i = 1; i < 3; i++)
            if (ctx.InputDType(i) != DType.int32) throw ctx.TypeError($"Input '{(i == 1 ? "shard" : "num_shards")}' must be int32, got {ctx.InputDType(i).name}");
        for (var i = 0; i < 3; i++) SaveV2.CheckRank(ctx, i, 0, i == 0 ? "basename" : i == 1 ? "shard" : "num_shards");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var basename = Encoding.UTF8.GetString(SaveV2.ScalarString(ctx.Input(0), "basename", ctx));
        var shard = ctx.Input(1).ToArray<int>()[0];
        var shards = ctx.Input(2).ToArray<int>()[0];
        var name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{basename}-{shard:D5}-of-{shards:D5}");
        ctx.ForwardOutput(0, new NDArray(new[] { Encoding.UTF8.GetBytes(name) }, Shape.Scalar));
    });

    /// <summary>The file name of shard <paramref name="shard"/> of <paramref name="numShards"/>.</summary>
    public static Tensor Build(TensorLike basename, TensorLike shard, TensorLike numShards, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ShardedFilename", basename, shard, numShards);
        return b.Create(Def, [b.Convert(basename, "basename", DType.@string), b.Convert(shard, "shard", DType.int32), b.Convert(numShards, "num_shards", DType.int32)]).outputs[0];
    }
}
