using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// The shared rule of UnsortedSegmentMax, UnsortedSegmentMin and UnsortedSegmentProd: as UnsortedSegmentSum
/// (<c>segment_ids</c> a prefix of <c>data</c>'s shape, output <c>[num_segments] + data.shape[ids.ndim:]</c>, rows with a
/// negative id dropped), but rows no id names hold the reduction's identity: the lowest value for max, the highest
/// for min, 1 for the product.
/// </summary>
internal abstract class UnsortedSegmentReductionOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");
    internal static readonly OpAttr<DType> Tnumsegments = new("Tnumsegments", DType.int32);

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
            var (data, ids, output) = UnsortedSegmentSum.Prepare(ctx);
            var row = ids.Length == 0 ? 0 : (int)(data.size / ids.Length);
            if (ids.Length == 0) row = (int)(output.size / System.Math.Max(1, output.shape[0]));
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
        return b.Create(this, [d, ids, n], new() { { T, d.dtype }, { Tindices, ids.dtype }, { Tnumsegments, n.dtype } }).outputs[0];
    }
}
