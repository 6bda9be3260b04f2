using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>QueueIsClosedV2: whether the queue is closed (bool scalar).</summary>
internal sealed class QueueIsClosedV2 : QueueOp
{
    public static readonly QueueIsClosedV2 Def = new();

    public override string Type => "QueueIsClosedV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        ctx.AddOutput(DType.@bool, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        ctx.ForwardOutput(0, NDArray.Scalar(Queue(ctx).IsClosed)));
}
