using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>The shared rule of SparseSegmentMeanGrad and SparseSegmentSqrtNGrad (inputs grad, indices, segment_ids, output_dim0).</summary>
internal abstract class SparseSegmentGradOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);
    internal static readonly OpAttr<DType> Tsegmentids = new("Tsegmentids");

    /// <summary>Whether the weight is the square root of the segment's size.</summary>
    protected abstract bool SqrtN { get; }

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (!dtype.is_floating) throw ctx.TypeError($"grad of dtype {dtype.name} is not supported");
        SegmentIds.CheckIndexType(ctx, 1, "indices");
        SegmentIds.CheckIndexType(ctx, 2, "segment_ids");
        if (ctx.InputDType(3) != DType.int32) throw ctx.TypeError($"output_dim0 must be int32, got {ctx.InputDType(3).name}");
        SegmentIds.CheckRank(ctx, 0, 1, "grad", atLeast: true);
        SegmentIds.CheckRank(ctx, 1, 1, "indices");
        SegmentIds.CheckRank(ctx, 2, 1, "segment_ids");
        SegmentIds.CheckRank(ctx, 3, 0, "output_dim0");
        var rows = -1;
        if (ctx.ConstantInput(3) is { } n) rows = (int)OpValues.Scalar(n, "output_dim0", m => ctx.Error(m));
        var grad = ctx.InputShape(0);
        ctx.AddOutput(dtype, grad.IsKnownRank ? Shape.Own([rows, .. grad.Dims[1..]]) : Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var sqrtN = SqrtN;
        return OpKernel.From(ctx =>
        {
            var (grad, indexValues, segmentIds, dim0) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3));
            if (indexValues.ndim != 1) throw ctx.InvalidArgument("indices should be a vector.");
            if (segmentIds.ndim != 1) throw ctx.InvalidArgument("segment_ids should be a vector.");
            if (dim0.ndim != 0) throw ctx.InvalidArgument("output_dim0 should be a scalar.");
            if (indexValues.size != segmentIds.size) throw ctx.InvalidArgument("segment_ids and indices should have same size.");
            if (grad.ndim < 1) throw ctx.InvalidArgument($"grad must be at least 1-D, got shape {grad.shape.ToListString()}");
            var rows = OpValues.Scalar(dim0, "output_dim0", ctx.InvalidArgumentOf);
            if (rows < 0) throw ctx.InvalidArgument($"output_dim0 must be non-negative, got {rows}");
            var (indices, ids) = (indexValues.ToArray<long>(), segmentIds.ToArray<long>());
            foreach (var id in ids)
                if (id < 0 || id >= grad.shape[0]) throw ctx.InvalidArgument($"Segment id {id} out of range [0, {grad.shape[0]}).");
            foreach (var index in indices)
                if (index < 0 || index >= rows) throw ctx.InvalidArgument($"Index {index} out of range [0, {rows}).");
            var output = ctx.AllocateOutput(0, grad.dtype, Shape.Own([(int)rows, .. grad.shape.Dims[1..]]));
            var row = (int)grad.shape.Dims[1..].Aggregate(1L, (a, d) => a * d);
            SegmentKernels.SparseGrad(grad, indices, ids, output, row, sqrtN);
        });
    }

    /// <summary>Builds the op.</summary>
    public Tensor Apply(TensorLike grad, TensorLike indices, TensorLike segmentIds, TensorLike outputDim0, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, grad, indices, segmentIds, outputDim0);
        var g = b.Convert(grad, "grad");
        var i = b.Convert(indices, "indices");
        var ids = b.Convert(segmentIds, "segment_ids");
        var n = b.Convert(outputDim0, "output_dim0", DType.int32);
        var attrs = new Dictionary<string, object> { { T, g.dtype }, { Tidx, i.dtype } };
        // TensorFlow 1.15's segment_ids is int32 with no attr (its importer refuses a node with an attr the OpDef
        // lacks); the Tsegmentids attr of TensorFlow 2.x is written only for int64 ids.
        if (ids.dtype != DType.int32) Tsegmentids.Set(attrs, ids.dtype);
        return b.Create(this, [g, i, ids, n], attrs).outputs[0];
    }
}
