using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArrayScatterV3: writes the rows of <c>value</c> at <c>indices</c> (<c>unstack()</c> scatters all).</summary>
internal sealed class TensorArrayScatterV3 : TensorArrayOp
{
    public static readonly TensorArrayScatterV3 Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "TensorArrayScatterV3";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        ctx.AddOutput(DType.float32, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var array = RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument);
        var indices = Indices(ctx, 1);
        var value = ctx.Input(2);
        if (value.ndim == 0 || value.shape[0] != indices.Length)
            throw ctx.InvalidArgument($"Expected len(indices) == values.shape[0], but saw: {indices.Length} vs. {(value.ndim == 0 ? 0 : value.shape[0])}");
        var rowShape = new Shape(value.shape.AsSpan()[1..].ToArray());
        for (var k = 0; k < indices.Length; k++) array.Write(indices[k], value[k..(k + 1)].Reshape(rowShape), ctx.InvalidArgument);
        Flow(ctx, 0);
    });

    /// <summary>The value's gradient is gathered from the gradient array (TensorFlow's <c>_TensorArrayScatterGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        if (grads[0] is not { } flow) return [null, null, null, null];
        var (gradHandle, gradFlow) = TensorArrayGradV3.Build(op.inputs[0], flow, TensorArrayGradV3.GradSource(flow));
        var value = op.inputs[2];
        var element = value.shape.IsKnownRank ? new Shape(value.shape.AsSpan()[1..].ToArray()) : Shape.Unknown;
        var grad = TensorArrayGatherV3.Build(gradHandle, op.inputs[1], gradFlow, value.dtype, element);
        return [null, null, grad, flow];
    }

    public static Tensor Build(Tensor handle, TensorLike indices, Tensor value, Tensor flow)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArrayScatter");
        var i = b.Convert(indices, "indices", DType.int32);
        return b.Create(Def, [handle, i, value, flow], new() { { T, value.dtype } }).outputs[0];
    }
}
