using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArrayGatherV3: the elements at <c>indices</c>, stacked along a new first axis (<c>stack()</c> gathers all).</summary>
internal sealed class TensorArrayGatherV3 : TensorArrayOp
{
    public static readonly TensorArrayGatherV3 Def = new();

    private static readonly OpAttr<Shape> ElementShapeAttr = new("element_shape");
    private static readonly OpAttr<DType> Dtype = new("dtype");

    public override string Type => "TensorArrayGatherV3";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        var indices = ctx.InputShape(1);
        var element = ElementShapeAttr.Of(ctx);
        var n = indices.IsKnownRank && indices.ndims == 1 ? indices[0] : -1;
        ctx.AddOutput(Dtype.Of(ctx), element.IsKnownRank ? new Shape([n, .. element.AsSpan()]) : Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var declared = ElementShapeAttr.Of(op);
        return OpKernel.From(ctx =>
        {
            var array = RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument);
            var indices = Indices(ctx, 1);
            var values = indices.Select(i => array.Read(i, ctx.InvalidArgument)).ToArray();
            Shape element;
            if (values.Length > 0) element = values[0].shape;
            else if (array.ElementShape.IsFullyDefined) element = array.ElementShape;
            else if (declared.IsFullyDefined) element = declared;
            else throw ctx.InvalidArgument($"TensorArray has size zero, but element shape {array.ElementShape} is not fully defined. Currently only static shapes are supported when packing zero-size TensorArrays.");
            for (var k = 1; k < values.Length; k++)
                if (values[k].shape != element)
                    throw ctx.InvalidArgument($"TensorArray has inconsistent shapes.  Index 0 has shape: {element.ToListString()} but index {indices[k]} has shape: {values[k].shape.ToListString()}");
            var output = ctx.AllocateUninitializedOutput(0, array.DType, new Shape([values.Length, .. element.AsSpan()]));
            var bytes = output.AsWritableBytes();
            var rowBytes = values.Length == 0 ? 0 : bytes.Length / values.Length;
            for (var k = 0; k < values.Length; k++) values[k].AsBytes().CopyTo(bytes.Slice(k * rowBytes, rowBytes));
        });
    }

    /// <summary>The gradient is scattered into the gradient array (TensorFlow's <c>_TensorArrayGatherGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        if (grads[0] is not { } grad) return [null, null, null];
        var (gradHandle, gradFlow) = TensorArrayGradV3.Build(op.inputs[0], op.inputs[2], TensorArrayGradV3.GradSource(grad));
        return [null, null, TensorArrayScatterV3.Build(gradHandle, op.inputs[1], grad, gradFlow)];
    }

    public static Tensor Build(Tensor handle, TensorLike indices, Tensor flow, DType dtype, Shape elementShape)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArrayGather");
        var i = b.Convert(indices, "indices", DType.int32);
        return b.Create(Def, [handle, i, flow], new() { { Dtype, dtype }, { ElementShapeAttr, elementShape } }).outputs[0];
    }
}
