using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>
/// What FIFOQueueV2, RandomShuffleQueueV2 and PaddingFIFOQueueV2 share: attributes <c>component_types</c>,
/// <c>shapes</c>, <c>capacity</c>, <c>container</c> and <c>shared_name</c>, and a scalar resource handle as output.
/// The kernel creates the queue on its first run and keeps it for the session; closing the session cancels it. Ops
/// with the same <c>container</c> and <c>shared_name</c> share one queue in a session (TensorFlow's resource manager),
/// which must then be of the same kind, capacity, types and shapes.
/// </summary>
internal abstract class QueueCreationOp : OpDef
{
    private static readonly OpAttr<DType[]> ComponentTypes = new("component_types");
    internal static readonly OpAttr<Shape[]> ShapesAttr = new("shapes");
    private static readonly OpAttr<string> SharedName = new("shared_name");
    private static readonly OpAttr<int> CapacityAttr = new("capacity");
    private static readonly OpAttr<string> Container = new("container");

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    /// <summary>The kind named in messages: <c>FIFOQueue</c>.</summary>
    public abstract string Kind { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var types = ComponentTypes.Of(ctx);
        if (types.Length == 0) throw ctx.Error("component_types must have at least 1 element");
        var shapes = ShapesAttr.Of(ctx);
        if (shapes.Length != 0 && shapes.Length != types.Length)
            throw ctx.Error($"shapes must have the same length as component_types ({shapes.Length} vs {types.Length})");
        CheckShapes(ctx, shapes);
        ctx.AddOutput(DType.resource, Shape.Scalar);
    }

    /// <summary>Checks the component shapes (fully defined except for a padding queue).</summary>
    protected virtual void CheckShapes(InferenceContext ctx, Shape[] shapes)
    {
        foreach (var s in shapes)
            if (!s.IsFullyDefined) throw ctx.Error($"All shapes must be fully defined, got {s}");
    }

    /// <summary>The queue for one session.</summary>
    protected virtual QueueResource CreateQueue(Operation op, string name, int capacity, DType[] dtypes, Shape[] shapes) =>
        new(Kind, name, capacity, dtypes, shapes);

    public override OpKernel CreateKernel(Operation op) => new Kernel(this, op);

    private sealed class Kernel(QueueCreationOp def, Operation op) : OpKernel, IDisposable
    {

        private readonly object _lock = new();
        private NDArray? _handle;
        private QueueResource? _queue;

        private bool _disposed;

        public override void Compute(OpKernelContext ctx)
        {
            lock (_lock)
            {
                // A run that reaches the op after its session closed would make a resource nobody can wake.
                if (_disposed) throw new CancelledError($"{op.name}: the session was closed");
                if (_handle is null)
                {
                    var shared = SharedName.Of(op);
                    var capacity = CapacityAttr.Of(op);
                    capacity = capacity < 0 ? int.MaxValue : capacity;
                    var (types, shapes) = (ComponentTypes.Of(op), ShapesAttr.Of(op));
                    _queue = shared.Length == 0
                        ? def.CreateQueue(op, QueueResource.UniqueName(op.name), capacity, types, shapes)
                        : SharedResources.LookupOrCreate(ctx, Container.Of(op), shared,
                            () => def.CreateQueue(op, shared, capacity, types, shapes), existing => Verify(ctx, existing, capacity, types, shapes));
                    _handle = new NDArray(new object[] { _queue }, Shape.Scalar);
                }
                ctx.ForwardOutput(0, _handle);
            }
        }

        /// <summary>TensorFlow's QueueBase::MatchesNodeDef: a shared queue must be of the kind, capacity, types and shapes asked for.</summary>
        private void Verify(OpKernelContext ctx, object existing, int capacity, DType[] types, Shape[] shapes)
        {
            var shared = SharedName.Of(op);
            if (existing is not QueueResource queue || queue.Kind != def.Kind)
                throw ctx.InvalidArgument($"Shared queue '{shared}' has type '{(existing as QueueResource)?.Kind ?? existing.GetType().Name}' that does not match type of Node '{op.name}': '{def.Kind}'");
            if (queue.Capacity != capacity)
                throw ctx.InvalidArgument($"Shared queue '{shared}' has capacity {Capacity(queue.Capacity)} but requested capacity was {Capacity(capacity)}");
            if (!queue.DTypes.SequenceEqual(types))
                throw ctx.InvalidArgument($"Shared queue '{shared}' has component types {string.Join(", ", queue.DTypes.Select(t => t.ProtoName))} but requested component types were {string.Join(", ", types.Select(t => t.ProtoName))}");
            if (queue.Shapes.Length != shapes.Length || !queue.Shapes.Zip(shapes).All(p => p.First.Equals(p.Second)))
                throw ctx.InvalidArgument($"Shared queue '{shared}' has component shapes {ShapeList(queue.Shapes)} but requested component shapes were {ShapeList(shapes)}");
        }

        private static string Capacity(int capacity) => capacity == int.MaxValue ? "-1" : capacity.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static string ShapeList(Shape[] shapes) => string.Join(", ", shapes.Select(s => s.ToListString()));

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _queue?.Cancel();
            }
        }
    }

    /// <summary>The op, with its attributes as TensorFlow's Python gives them.</summary>
    protected Tensor Create(string? name, string defaultName, int capacity, DType[] dtypes, Shape[]? shapes, string? sharedName,
        Dictionary<string, object>? extra = null)
    {
        using var b = OpBuilder.Begin(Graph.get_default(), name, defaultName);
        // The extra attributes of the queue type (typed writes of its declared attributes), then the common ones.
        var attrs = new Dictionary<string, object>(extra ?? [], StringComparer.Ordinal)
        {
            { ComponentTypes, dtypes },
            { ShapesAttr, shapes ?? [] },
            { CapacityAttr, capacity },
            { Container, "" },
            { SharedName, sharedName ?? "" },
        };
        return b.Create(this, [], attrs).outputs[0];
    }
}
