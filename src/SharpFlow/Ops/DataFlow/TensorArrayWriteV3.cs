using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArrayWriteV3: writes <c>value</c> at <c>index</c>.</summary>
internal sealed class TensorArrayWriteV3 : TensorArrayOp
{
    public static readonly TensorArrayWriteV3 Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "TensorArrayWriteV3";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        ctx.AddOutput(DType.float32, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var index = OpValues.Scalar(ctx.Input(1), "index", ctx.InvalidArgument);
        RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument).Write(index, ctx.Input(2), ctx.InvalidArgument);
        Flow(ctx, 0);
    });

    /// <summary>The value's gradient is what the gradient array holds at the index (TensorFlow's <c>_TensorArrayWriteGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        if (grads[0] is not { } flow) return [null, null, null, null];
        var source = TensorArrayGradV3.GradSource(flow);
        var flowOut = ArrayOps.Identity.Build(op.outputs[0], "flow_out");
        Tensor barrier;
        using (op.graph.control_dependencies([flowOut]))
            barrier = ArrayOps.Identity.Build(flow, "write_barrier");
        var (gradHandle, gradFlow) = TensorArrayGradV3.Build(op.inputs[0], barrier, source);
        var grad = TensorArrayReadV3.Build(gradHandle, op.inputs[1], gradFlow, op.inputs[2].dtype);
        grad.SetShape(op.inputs[2].shape);
        return [null, null, grad, barrier];
    }

    public Tensor Build(Tensor handle, TensorLike index, Tensor value, Tensor flow)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArrayWrite");
        var i = b.Convert(index, "index", DType.int32);
        return b.Create(this, [handle, i, value, flow], new() { { T, value.dtype } }).outputs[0];
    }
}
