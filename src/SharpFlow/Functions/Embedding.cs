using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.DataFlow;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Functions;

/// <summary>
/// <c>tf.nn.embedding_lookup</c> as TensorFlow 1.x's <c>embedding_ops.py</c> builds it: one gather from a single
/// table, or for a table sharded over several tensors, the ids routed to their shards (<c>mod</c> or <c>div</c>
/// partitioning), one gather per shard and a <c>ParallelDynamicStitch</c> back into id order. The gradient of every
/// gather is an <see cref="IndexedSlices"/>, so optimizers update only the looked-up rows.
/// </summary>
internal static class Embedding
{
    public static Tensor Lookup(IReadOnlyList<TensorLike> tables, TensorLike ids, string partitionStrategy, string? name, double? maxNorm)
    {
        if (tables is null || tables.Count == 0) throw new ValueError("Need at least one param");
        using var b = OpBuilder.Begin(name, "embedding_lookup", [.. tables, ids]);
        var shards = tables.Select(t => b.Convert(t, "params")).ToList();
        var idTensor = b.Convert(ids, "ids");
        if (idTensor.dtype != DType.int32 && idTensor.dtype != DType.int64)
            throw new TypeError($"embedding_lookup: ids must be int32 or int64, got {idTensor.dtype.name}");
        var np = shards.Count;
        if (np == 1)
            return Identity.Build(Clip(GatherV2.Build(shards[0], idTensor, 0, b.Scope), idTensor, maxNorm));

        var flatIds = Reshape.Build(idTensor, new[] { -1 });
        var originalIndices = Ops.ArrayOps.Range.Build(0, Size.Build(flatIds), 1);
        Tensor assignments, newIds;
        switch (partitionStrategy)
        {
            case "mod":
                assignments = FloorMod.Build(flatIds, Literal.ToNDArray(np, flatIds.dtype));
                newIds = FloorDiv.Build(flatIds, Literal.ToNDArray(np, flatIds.dtype));
                break;
            case "div":
            {
                // A constant number of ids per shard, the first `extras` shards taking one more.
                Tensor total;
                var known = shards.All(s => s.shape.IsKnownRank && s.shape.ndims > 0 && s.shape[0] >= 0);
                if (known) total = Ops.ArrayOps.Const.Create(b.Graph, Literal.ToNDArray(shards.Sum(s => (long)s.shape[0]), flatIds.dtype), "Const");
                else
                {
                    var sizes = shards.Select(s => s.shape.IsKnownRank && s.shape.ndims > 0 && s.shape[0] >= 0
                        ? (TensorLike)s.shape[0] : (TensorLike)Shapes.Of(s)[0]).ToList();
                    total = Sum.Build(Cast.Build(Pack.Build(sizes), flatIds.dtype), null);
                }
                var perShard = FloorDiv.Build(total, Literal.ToNDArray(np, flatIds.dtype));
                var extras = FloorMod.Build(total, Literal.ToNDArray(np, flatIds.dtype));
                var one = Literal.ToNDArray(1, flatIds.dtype);
                assignments = Maximum.Build(FloorDiv.Build(flatIds, Add.Build(perShard, one)), FloorDiv.Build(Sub.Build(flatIds, extras), perShard));
                newIds = Select.Build(Less.Build(assignments, extras), FloorMod.Build(flatIds, Add.Build(perShard, one)), FloorMod.Build(Sub.Build(flatIds, extras), perShard));
                break;
            }
            default:
                throw new ValueError("Unrecognized partition strategy: " + partitionStrategy);
        }
        var shardOf = Cast.Build(assignments, DType.int32);
        var gatherIds = DynamicPartition.Build(newIds, shardOf, np);
        var positions = DynamicPartition.Build(originalIndices, shardOf, np);
        var parts = new TensorLike[np];
        for (var p = 0; p < np; p++) parts[p] = GatherV2.Build(shards[p], gatherIds[p]);
        var stitched = DynamicStitch.Build([.. positions.Select(t => (TensorLike)t)], parts, parallel: true, name: b.Scope);

        var elementShape = shards.Aggregate(RowShape(shards[0]), (acc, s) => acc.MergeWith(RowShape(s)));
        TensorLike elementDims = elementShape.IsFullyDefined
            ? elementShape.Dims
            : Slice.Build(Shapes.Of(shards[0]), new[] { 1 }, new[] { -1 });
        var result = Reshape.Build(stitched, ConcatV2.Build([Shapes.Of(idTensor), elementDims], 0));
        if (idTensor.shape.IsKnownRank && elementShape.IsKnownRank) result.SetShape(idTensor.shape.Concatenate(elementShape));
        return Clip(result, idTensor, maxNorm);
    }

    private static Shape RowShape(Tensor shard) => shard.shape.IsKnownRank ? new Shape(shard.shape.Dims[1..]) : Shape.Unknown;

    /// <summary>TensorFlow's <c>_clip</c>: each embedding clipped to <paramref name="maxNorm"/> over its own axes.</summary>
    private static Tensor Clip(Tensor embeddings, Tensor ids, double? maxNorm)
    {
        if (maxNorm is not { } norm) return embeddings;
        TensorLike axes = ids.shape.IsKnownRank && embeddings.shape.IsKnownRank
            ? Enumerable.Range(ids.shape.ndims, embeddings.shape.ndims - ids.shape.ndims).ToArray()
            : Ops.ArrayOps.Range.Build(Rank.Build(ids), Rank.Build(embeddings), 1);
        return Clipping.ByNorm(embeddings, norm, axes, null);
    }
}
