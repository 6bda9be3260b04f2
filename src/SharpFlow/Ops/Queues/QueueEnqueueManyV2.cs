using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>QueueEnqueueManyV2: adds the rows of a batch (each component's first dimension), waiting while the queue is full.</summary>
internal sealed class QueueEnqueueManyV2 : QueueOp
{
    public static readonly QueueEnqueueManyV2 Def = new();
    internal static readonly OpAttr<DType[]> Tcomponents = new("Tcomponents");
    internal static readonly OpAttr<long> TimeoutMs = new("timeout_ms", -1L);

    public override string Type => "QueueEnqueueManyV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        for (var i = 1; i < ctx.Inputs.Count; i++)
            if (ctx.InputShape(i).ndims == 0)
                throw ctx.Error($"Shape must be at least rank 1 but is rank 0 (component {i - 1})");
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var queue = Queue(ctx);
        var tuple = new NDArray[ctx.InputCount - 1];
        for (var i = 0; i < tuple.Length; i++) tuple[i] = ctx.Input(i + 1);
        queue.EnqueueMany(tuple);
    });
}
