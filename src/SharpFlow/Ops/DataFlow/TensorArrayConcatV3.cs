using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArrayConcatV3: all elements joined along their first axis, and each element's length (int64).</summary>
internal sealed class TensorArrayConcatV3 : TensorArrayOp
{
    public static readonly TensorArrayConcatV3 Def = new();

    private static readonly OpAttr<Shape> ElementShapeExcept0 = new("element_shape_except0");
    private static readonly OpAttr<DType> Dtype = new("dtype");

    public override string Type => "TensorArrayConcatV3";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        var rest = ElementShapeExcept0.Of(ctx);
        ctx.AddOutput(Dtype.Of(ctx), rest.IsKnownRank ? new Shape([-1, .. rest.AsSpan()]) : Shape.Unknown);
        ctx.AddOutput(DType.int64, Shape.UnknownDims(1));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var array = RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument);
        var values = Enumerable.Range(0, array.Size).Select(i => array.Read(i, ctx.InvalidArgument)).ToArray();
        foreach (var v in values)
            if (v.ndim == 0) throw ctx.InvalidArgument("Concat saw a scalar shape at index 0 but requires at least vectors.");
        var lengths = ctx.AllocateUninitializedOutput(1, DType.int64, new Shape(values.Length));
        var span = lengths.AsSpan<long>();
        for (var i = 0; i < values.Length; i++) span[i] = values[i].shape[0];
        if (values.Length == 0)
        {
            var rest = ElementShapeExcept0.Of(op);
            if (!rest.IsFullyDefined) throw ctx.InvalidArgument("TensorArray has size zero, but element_shape_except0 is not fully defined.");
            ctx.AllocateOutput(0, array.DType, new Shape([0, .. rest.AsSpan()]));
            return;
        }
        var tail = values[0].shape.AsSpan()[1..].ToArray();
        var total = 0;
        foreach (var v in values)
        {
            if (!v.shape.AsSpan()[1..].SequenceEqual(tail))
                throw ctx.InvalidArgument($"TensorArray has inconsistent shapes.  Index 0 has (excepting dimension 0) shape: {new Shape(tail).ToListString()} but another index has shape: {v.shape.ToListString()}");
            total += v.shape[0];
        }
        var output = ctx.AllocateUninitializedOutput(0, array.DType, new Shape([total, .. tail]));
        var bytes = output.AsWritableBytes();
        var offset = 0;
        foreach (var v in values)
        {
            v.AsBytes().CopyTo(bytes[offset..]);
            offset += v.AsBytes().Length;
        }
    });

    /// <summary>The gradient is split back into the gradient array by the lengths (TensorFlow's <c>_TensorArrayConcatGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        if (grads[0] is not { } grad) return [null, null];
        var (gradHandle, gradFlow) = TensorArrayGradV3.Build(op.inputs[0], op.inputs[1], TensorArrayGradV3.GradSource(grad));
        return [null, TensorArraySplitV3.Build(gradHandle, grad, op.outputs[1], gradFlow)];
    }

    public static (Tensor Value, Tensor Lengths) Build(Tensor handle, Tensor flow, DType dtype, Shape elementShapeExcept0)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArrayConcat");
        var op = b.Create(Def, [handle, flow], new() { { Dtype, dtype }, { ElementShapeExcept0, elementShapeExcept0 } });
        return (op.outputs[0], op.outputs[1]);
    }
}
