using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>
/// QueueDequeueUpToV2: as QueueDequeueManyV2, but once the queue is closed it returns the fewer elements that are
/// left (an OutOfRangeError only when none are).
/// </summary>
internal sealed class QueueDequeueUpToV2 : QueueOp
{
    public static readonly QueueDequeueUpToV2 Def = new();
    internal static readonly OpAttr<DType[]> ComponentTypes = new("component_types");
    internal static readonly OpAttr<long> TimeoutMs = new("timeout_ms", -1L);

    public override string Type => "QueueDequeueUpToV2";

    public override void InferShapes(InferenceContext ctx) => QueueDequeueManyV2.DequeueShapes(ctx, upTo: true);

    public override OpKernel CreateKernel(Operation op) => QueueDequeueManyV2.Kernel(allowSmallBatch: true);
}
