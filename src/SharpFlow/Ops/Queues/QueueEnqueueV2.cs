using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>QueueEnqueueV2: adds one element (a tuple of components), waiting while the queue is full.</summary>
internal sealed class QueueEnqueueV2 : QueueOp
{
    public static readonly QueueEnqueueV2 Def = new();
    internal static readonly OpAttr<DType[]> Tcomponents = new("Tcomponents");
    internal static readonly OpAttr<long> TimeoutMs = new("timeout_ms", -1L);

    public override string Type => "QueueEnqueueV2";

    public override void InferShapes(InferenceContext ctx) => CheckHandle(ctx);

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var queue = Queue(ctx);
        var tuple = new NDArray[ctx.InputCount - 1];
        for (var i = 0; i < tuple.Length; i++) tuple[i] = ctx.Input(i + 1);
        queue.Enqueue(tuple);
    });
}
