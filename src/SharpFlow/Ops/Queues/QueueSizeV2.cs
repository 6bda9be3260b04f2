using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>QueueSizeV2: the number of elements in the queue (int32 scalar).</summary>
internal sealed class QueueSizeV2 : QueueOp
{
    public static readonly QueueSizeV2 Def = new();

    public override string Type => "QueueSizeV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        ctx.AddOutput(DType.int32, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        ctx.ForwardOutput(0, NDArray.Scalar(Queue(ctx).Size)));
}
