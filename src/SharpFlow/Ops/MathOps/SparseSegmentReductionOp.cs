using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// The shared rule of SparseSegmentSum, SparseSegmentMean and SparseSegmentSqrtN: as the sorted segment
/// reductions, over the rows <c>data[indices[i]]</c> (<c>indices</c> and <c>segment_ids</c> are vectors of one length,
/// the segment ids sorted); the output has <c>segment_ids[-1] + 1</c> rows.
/// </summary>
internal abstract class SparseSegmentReductionOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);
    internal static readonly OpAttr<DType> Tsegmentids = new("Tsegmentids");

    /// <summary>The reduction.</summary>
    protected abstract SegmentReduction Reduction { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (Reduction == SegmentReduction.Sum ? !dtype.IsNumeric : !dtype.is_floating)
            throw ctx.TypeError($"data of dtype {dtype.name} is not supported");
        SegmentIds.CheckIndexType(ctx, 1, "indices");
        SegmentIds.CheckIndexType(ctx, 2, "segment_ids");
        SegmentIds.CheckRank(ctx, 0, 1, "data", atLeast: true);
        SegmentIds.CheckRank(ctx, 1, 1, "indices");
        SegmentIds.CheckRank(ctx, 2, 1, "segment_ids");
        if (!ctx.InputShape(1).IsCompatibleWith(ctx.InputShape(2)))
            throw ctx.Error($"indices and segment_ids must have one length, got shapes {ctx.InputShape(1).ToListString()} and {ctx.InputShape(2).ToListString()}");
        var data = ctx.InputShape(0);
        ctx.AddOutput(dtype, data.IsKnownRank ? Shape.Own([-1, .. data.Dims[1..]]) : Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var reduction = Reduction;
        return OpKernel.From(ctx =>
        {
            var (data, indexValues, segmentIds) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
            if (indexValues.ndim != 1) throw ctx.InvalidArgument("indices should be a vector.");
            if (segmentIds.ndim != 1) throw ctx.InvalidArgument("segment_ids should be a vector.");
            if (indexValues.size != segmentIds.size) throw ctx.InvalidArgument("segment_ids and indices should have same size.");
            if (data.ndim < 1) throw ctx.InvalidArgument($"data must be at least 1-D, got shape {data.shape.ToListString()}");
            var (indices, ids) = (indexValues.ToArray<long>(), segmentIds.ToArray<long>());
            var inputRows = data.shape[0];
            var rows = SegmentIds.OutputRows(ids, ctx.InvalidArgumentOf, (start, end) =>
            {
                for (var i = start; i < end; i++)
                    if (indices[i] < 0 || indices[i] >= inputRows)
                        throw ctx.InvalidArgument($"Bad: indices[{i}] == {indices[i]} out of range [0, {inputRows})");
            });
            var output = ctx.AllocateOutput(0, data.dtype, Shape.Own([rows, .. data.shape.Dims[1..]]));
            var row = (int)data.shape.Dims[1..].Aggregate(1L, (a, d) => a * d);
            SegmentKernels.Reduce(data, indices, ids, output, row, reduction, emptyIsZero: true);
        });
    }

    /// <summary>The number of rows of <paramref name="x"/>: <c>tf.shape(x)[0]</c>.</summary>
    protected static Tensor Rows(Tensor x) => GatherV2.Build(Shapes.Of(x), 0);

    /// <summary>Builds the op.</summary>
    public Tensor Apply(TensorLike data, TensorLike indices, TensorLike segmentIds, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, data, indices, segmentIds);
        var d = b.Convert(data, "data");
        var i = b.Convert(indices, "indices");
        var ids = b.Convert(segmentIds, "segment_ids");
        var attrs = new Dictionary<string, object> { { T, d.dtype }, { Tidx, i.dtype } };
        // TensorFlow 1.15's segment_ids is int32 with no attr (its importer refuses a node with an attr the OpDef
        // lacks); the Tsegmentids attr of TensorFlow 2.x is written only for int64 ids.
        if (ids.dtype != DType.int32) Tsegmentids.Set(attrs, ids.dtype);
        return b.Create(this, [d, i, ids], attrs).outputs[0];
    }
}
