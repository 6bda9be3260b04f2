using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>QueueDequeueManyV2: removes <c>n</c> elements as one batch per component, waiting until there are enough.</summary>
internal sealed class QueueDequeueManyV2 : QueueOp
{
    public static readonly QueueDequeueManyV2 Def = new();

    internal static readonly OpAttr<DType[]> ComponentTypes = new("component_types");
    internal static readonly OpAttr<long> TimeoutMs = new("timeout_ms", -1L);

    public override string Type => "QueueDequeueManyV2";

    public override void InferShapes(InferenceContext ctx) => DequeueShapes(ctx, upTo: false);

    /// <summary>The outputs: <c>[n] + shape</c> per component (<c>?</c> for a computed n, or for dequeue_up_to).</summary>
    internal static void DequeueShapes(InferenceContext ctx, bool upTo)
    {
        CheckHandle(ctx);
        if (ctx.InputDType(1) != DType.int32) throw ctx.TypeError($"n must be int32, got {ctx.InputDType(1).name}");
        if (ctx.InputShape(1).ndims > 0) throw ctx.Error($"n must be a scalar, got shape {ctx.InputShape(1)}");
        var n = -1;
        if (!upTo && ctx.ConstantInput(1) is { } value)
        {
            n = value.item<int>();
            if (n < 0) throw ctx.Error($"n ({n}) must be non-negative");
        }
        var types = ComponentTypes.Of(ctx);
        var shapes = QueueShapes(ctx);
        for (var i = 0; i < types.Length; i++)
            ctx.AddOutput(types[i], shapes.Length == types.Length ? new Shape(n).Concatenate(shapes[i]) : Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op) => Kernel(allowSmallBatch: false);

    internal static OpKernel Kernel(bool allowSmallBatch) => OpKernel.From(ctx =>
    {
        var n = ctx.Input(1).item<int>();
        if (n < 0) throw ctx.InvalidArgument($"Request failed: n ({n}) must be non-negative");
        var tuple = Queue(ctx).DequeueMany(n, allowSmallBatch);
        QueueDequeueV2.CheckTypes(ctx, tuple);
        for (var i = 0; i < tuple.Length; i++) ctx.ForwardOutput(i, tuple[i]);
    });
}
