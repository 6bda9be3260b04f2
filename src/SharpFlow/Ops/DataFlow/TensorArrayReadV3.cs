using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArrayReadV3: the element at <c>index</c>.</summary>
internal sealed class TensorArrayReadV3 : TensorArrayOp
{
    public static readonly TensorArrayReadV3 Def = new();

    private static readonly OpAttr<DType> Dtype = new("dtype");

    public override string Type => "TensorArrayReadV3";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        ctx.AddOutput(Dtype.Of(ctx), Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var index = OpValues.Scalar(ctx.Input(1), "index", ctx.InvalidArgument);
        ctx.ForwardOutput(0, RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument).Read(index, ctx.InvalidArgument));
    });

    /// <summary>The gradient is written to the gradient array at the index (TensorFlow's <c>_TensorArrayReadGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        if (grads[0] is not { } grad) return [null, null, null];
        var (handle, index, flow) = (op.inputs[0], op.inputs[1], op.inputs[2]);
        var (gradHandle, gradFlow) = TensorArrayGradV3.Build(handle, flow, TensorArrayGradV3.GradSource(grad));
        return [null, null, TensorArrayWriteV3.Def.Build(gradHandle, index, grad, gradFlow)];
    }

    public static Tensor Build(Tensor handle, TensorLike index, Tensor flow, DType dtype)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArrayRead");
        var i = b.Convert(index, "index", DType.int32);
        return b.Create(Def, [handle, i, flow], new() { { Dtype, dtype } }).outputs[0];
    }
}
