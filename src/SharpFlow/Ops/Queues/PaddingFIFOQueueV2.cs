using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>
/// PaddingFIFOQueueV2: a FIFO queue whose component shapes may have unknown dimensions; <c>dequeue_many</c> pads
/// each batch to its largest element with zeros (empty strings for strings).
/// </summary>
internal sealed class PaddingFIFOQueueV2 : QueueCreationOp
{
    public static readonly PaddingFIFOQueueV2 Def = new();

    public override string Type => "PaddingFIFOQueueV2";

    public override string Kind => "PaddingFIFOQueue";

    protected override void CheckShapes(InferenceContext ctx, Shape[] shapes)
    {
        foreach (var s in shapes)
            if (s.ndims < 0) throw ctx.Error($"All shapes must have a known rank, got {s}");
    }

    /// <summary>The queue op (<c>tf.PaddingFIFOQueue</c>'s <c>queue_ref</c>).</summary>
    public static Tensor Build(int capacity, DType[] dtypes, Shape[] shapes, string? sharedName, string? name) =>
        Def.Create(name, "padding_fifo_queue", capacity, dtypes, shapes, sharedName);
}
