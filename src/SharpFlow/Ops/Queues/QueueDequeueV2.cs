using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>QueueDequeueV2: removes one element, waiting while the queue is empty; a closed, empty queue is an OutOfRangeError.</summary>
internal sealed class QueueDequeueV2 : QueueOp
{
    public static readonly QueueDequeueV2 Def = new();

    internal static readonly OpAttr<DType[]> ComponentTypes = new("component_types");
    internal static readonly OpAttr<long> TimeoutMs = new("timeout_ms", -1L);

    public override string Type => "QueueDequeueV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        var types = ComponentTypes.Of(ctx);
        var shapes = QueueShapes(ctx);
        for (var i = 0; i < types.Length; i++)
            ctx.AddOutput(types[i], shapes.Length == types.Length ? shapes[i] : Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var tuple = Queue(ctx).Dequeue();
        CheckTypes(ctx, tuple);
        for (var i = 0; i < tuple.Length; i++) ctx.ForwardOutput(i, tuple[i]);
    });

    /// <summary>The dequeued components must be what the op declares.</summary>
    internal static void CheckTypes(OpKernelContext ctx, NDArray[] tuple)
    {
        var types = ComponentTypes.Of(ctx.op);
        if (types.Length != tuple.Length || types.Where((t, i) => t != tuple[i].dtype).Any())
            throw ctx.InvalidArgument($"Expected component types [{string.Join(", ", types.Select(t => t.name))}] but the queue holds [{string.Join(", ", tuple.Select(t => t.dtype.name))}]");
    }
}
