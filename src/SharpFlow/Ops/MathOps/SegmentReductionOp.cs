using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// The shared rule of the sorted segment reductions (SegmentSum, SegmentMean, SegmentMax, SegmentMin,
/// SegmentProd): <c>output[i] = reduce(data[j] for j with segment_ids[j] == i)</c>, segment ids sorted, a vector as
/// long as <c>data</c>'s first dimension; the output has <c>segment_ids[-1] + 1</c> rows and rows no id names are 0.
/// </summary>
internal abstract class SegmentReductionOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");

    /// <summary>The reduction.</summary>
    protected abstract SegmentReduction Reduction { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (!dtype.IsNumeric) throw ctx.TypeError($"data must be numeric, got {dtype.name}");
        SegmentIds.CheckIndexType(ctx, 1, "segment_ids");
        SegmentIds.CheckRank(ctx, 0, 1, "data", atLeast: true);
        SegmentIds.CheckRank(ctx, 1, 1, "segment_ids");
        var data = ctx.InputShape(0);
        ctx.AddOutput(dtype, data.IsKnownRank ? Shape.Own([-1, .. data.Dims[1..]]) : Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var reduction = Reduction;
        return OpKernel.From(ctx =>
        {
            var (data, segmentIds) = (ctx.Input(0), ctx.Input(1));
            if (segmentIds.ndim != 1) throw ctx.InvalidArgument("segment_ids should be a vector.");
            if (data.ndim < 1 || segmentIds.size != data.shape[0])
                throw ctx.InvalidArgument("segment_ids should be the same size as dimension 0 of input.");
            var ids = segmentIds.ToArray<long>();
            var rows = SegmentIds.OutputRows(ids, ctx.InvalidArgumentOf);
            var output = ctx.AllocateOutput(0, data.dtype, Shape.Own([rows, .. data.shape.Dims[1..]]));
            var row = data.shape[0] == 0 ? 0 : (int)(data.size / data.shape[0]);
            SegmentKernels.Reduce(data, [], ids, output, row, reduction, emptyIsZero: true);
        });
    }

    /// <summary>Builds the op.</summary>
    public Tensor Apply(TensorLike data, TensorLike segmentIds, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, data, segmentIds);
        var d = b.Convert(data, "data");
        var ids = b.Convert(segmentIds, "segment_ids");
        return b.Create(this, [d, ids], new() { { T, d.dtype }, { Tindices, ids.dtype } }).outputs[0];
    }
}
