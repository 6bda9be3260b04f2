using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.Array;

namespace SharpFlow.Ops.Math;

/// <summary>
/// The shared rule of UnsortedSegmentMax, UnsortedSegmentMin and UnsortedSegmentProd: as UnsortedSegmentSum
/// (<c>segment_ids</c> a prefix of <c>data</c>'s shape, output <c>[num_segments] + data.shape[ids.ndim:]</c>, rows with a
/// negative id dropped), but rows no id names hold the reduction's identity: the lowest value for max, the highest
/// for min, 1 for the product.
/// </summary>
internal abstract class UnsortedSegmentReductionOp : OpDef
{
    /// <summary>The reduction.</summary>
    protected abstract SegmentReduction Reduction { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (!dtype.IsNumeric) throw ctx.TypeError($"data must be numeric, got {dtype.name}");
        SegmentIds.CheckIndexType(ctx, 1, "segment_ids");
        SegmentIds.CheckIndexType(ctx, 2, "num_segments");
        UnsortedSegmentSum.AddUnsortedSegmentOutput(ctx, dtype);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var reduction = Reduction;
        return OpKernel.From(ctx =>
        {
            var (data, idValues) = (ctx.Input(0), ctx.Input(1));
            var segments = OpValues.Scalar(ctx.Input(2), "num_segments", m => ctx.InvalidArgument(m));
            if (segments < 0 || segments > int.MaxValue) throw ctx.InvalidArgument($"num_segments must be a non-negative size, got {segments}");
            var idRank = idValues.ndim;
            if (idRank > data.ndim || !data.shape.AsSpan()[..idRank].SequenceEqual(idValues.shape.AsSpan()))
                throw ctx.InvalidArgument($"segment_ids.shape = {idValues.shape.ToListString()} does not prefix data.shape = {data.shape.ToListString()}");
            var ids = idValues.ToArray<long>();
            for (var i = 0; i < ids.Length; i++)
                if (ids[i] >= segments)
                    throw ctx.InvalidArgument($"segment_ids{GatherV2.Coordinates(i, idValues.shape)} = {ids[i]} is out of range [0, {segments})");
            var output = ctx.AllocateOutput(0, data.dtype, Shape.Own([(int)segments, .. data.shape.Dims[idRank..]]));
            var row = ids.Length == 0 ? 0 : (int)(data.size / ids.Length);
            if (ids.Length == 0) row = (int)data.shape.Dims[idRank..].Aggregate(1L, (a, d) => a * d);
            SegmentKernels.Reduce(data, [], ids, output, row, reduction, emptyIsZero: false);
        });
    }

    /// <summary>Builds the op.</summary>
    public Tensor Apply(TensorLike data, TensorLike segmentIds, TensorLike numSegments, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, data, segmentIds, numSegments);
        var d = b.Convert(data, "data");
        var ids = b.Convert(segmentIds, "segment_ids");
        var n = b.Convert(numSegments, "num_segments", numSegments.Value is Tensor ? null : ids.dtype);
        return b.Create(this, [d, ids, n], new() { ["T"] = d.dtype, ["Tindices"] = ids.dtype, ["Tnumsegments"] = n.dtype }).outputs[0];
    }
}
