using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// StridedSliceGrad: zeros of <c>shape</c> with <c>dy</c> written where the StridedSlice with the same spec read
/// its elements: the gradient of StridedSlice (TensorFlow's <c>_StridedSliceGrad</c>).
/// </summary>
internal sealed class StridedSliceGrad : OpDef
{
    public static readonly StridedSliceGrad Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Index = new("Index");
    internal static readonly OpAttr<long> BeginMask = new("begin_mask", 0L);
    internal static readonly OpAttr<long> EndMask = new("end_mask", 0L);
    internal static readonly OpAttr<long> EllipsisMask = new("ellipsis_mask", 0L);
    internal static readonly OpAttr<long> NewAxisMask = new("new_axis_mask", 0L);
    internal static readonly OpAttr<long> ShrinkAxisMask = new("shrink_axis_mask", 0L);

    public override string Type => "StridedSliceGrad";

    public override void InferShapes(InferenceContext ctx)
    {
        var shapeDType = ctx.InputDType(0);
        var index = StridedSlice.CheckIndexInputs(ctx, 1);
        if (shapeDType != index) throw ctx.TypeError($"shape must have the dtype of begin ({index.name}), got {shapeDType.name}");
        var s = ctx.InputShape(0);
        if (s.IsKnownRank && s.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {s.ndims} for input 0 ({s.ToListString()})");
        StridedSlice.SparseDims(ctx, 1);
        ctx.AddOutput(ctx.InputDType(4), ctx.ShapeFromInput(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var masks = StridedSliceSpec.Masks.Of(op);
        return OpKernel.From(ctx =>
        {
            var shapeValue = ctx.Input(0);
            if (shapeValue.ndim != 1) throw ctx.InvalidArgument($"shape must be 1-D, got shape.shape = {shapeValue.shape.ToListString()}");
            var dims = shapeValue.ToArray<long>();
            var (begin, end, strides, dy) = (ctx.Input(1), ctx.Input(2), ctx.Input(3), ctx.Input(4));
            var spec = StridedSliceSpec.Validate(begin.ToArray<long>(), begin.shape, end.ToArray<long>(), end.shape,
                strides.ToArray<long>(), strides.shape, dims, masks, ctx.InvalidArgumentOf);
            var final = new Shape(StridedSliceSpec.ToInts(spec.FinalShape));
            if (dy.shape != final) throw ctx.InvalidArgument($"shape of dy was {dy.shape.ToListString()} instead of {final.ToListString()}");
            var inputDims = StridedSliceSpec.ToInts(dims);
            var dx = ctx.AllocateOutput(0, dy.dtype, new Shape(inputDims));
            var (offset, walk) = spec.Walk(inputDims);
            var processing = StridedSliceSpec.ToInts(spec.ProcessingShape);
            DataMovement.StridedCopy(dy, 0, DataMovement.Strides(processing), dx, offset, walk, processing);
        });
    }

    /// <summary>TensorFlow's <c>_StridedSliceGradGrad</c>: the same slice of the incoming gradient.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (begin, end, strides) = (op.inputs[1], op.inputs[2], op.inputs[3]);
        return [null, null, null, null, StridedSlice.Build(grads[0]!, begin, end, strides, StridedSliceSpec.Masks.Of(op))];
    }

    /// <summary><c>array_ops.strided_slice_grad(shape, begin, end, strides, dy, ...)</c>.</summary>
    public static Tensor Build(Tensor shape, Tensor begin, Tensor end, Tensor strides, Tensor dy, StridedSliceSpec.Masks masks, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "StridedSliceGrad", shape, begin, end, strides, dy);
        var inputs = new[] { b.Convert(shape, "shape"), b.Convert(begin, "begin"), b.Convert(end, "end"), b.Convert(strides, "strides"), b.Convert(dy, "dy") };
        return b.Create(Def, inputs, new()
        {
            { T, inputs[4].dtype }, { Index, inputs[1].dtype },
            { BeginMask, (long)masks.Begin }, { EndMask, (long)masks.End }, { EllipsisMask, (long)masks.Ellipsis },
            { NewAxisMask, (long)masks.NewAxis }, { ShrinkAxisMask, (long)masks.ShrinkAxis },
        }).outputs[0];
    }
}
