using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>FIFOQueueV2: a queue that hands out elements in the order they were enqueued.</summary>
internal sealed class FIFOQueueV2 : QueueCreationOp
{
    public static readonly FIFOQueueV2 Def = new();

    public override string Type => "FIFOQueueV2";

    public override string Kind => "FIFOQueue";

    /// <summary>The queue op (<c>tf.FIFOQueue</c>'s <c>queue_ref</c>).</summary>
    public static Tensor Build(int capacity, DType[] dtypes, Shape[]? shapes, string? sharedName, string? name) =>
        Def.Create(name, "fifo_queue", capacity, dtypes, shapes, sharedName);
}
