using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Queues;

namespace SharpFlow;

/// <summary>
/// TensorFlow 1.x's <c>tf.QueueBase</c>: a queue of tuples living in each session that runs it, with the ops that
/// enqueue, dequeue, close and measure it. Components are given as one value, a list (a tuple) or, for a queue
/// made with <c>names</c>, a dictionary. Dequeue ops of a one-component queue give one tensor
/// (<see cref="dequeue"/>); the <c>*_components</c> forms give every component, and the <c>*_dict</c> forms give a
/// named queue's components by name.
/// </summary>
public class QueueBase
{
    private readonly string[]? _names;

    internal QueueBase(Tensor queueRef, DType[] dtypes, Shape[]? shapes, string[]? names)
    {
        queue_ref = queueRef;
        this.dtypes = dtypes;
        this.shapes = shapes ?? dtypes.Select(_ => Shape.Unknown).ToArray();
        _names = names;
        if (names is not null && names.Length != dtypes.Length)
            throw new ValueError($"Queue must have the same number of names as dtypes: {names.Length} vs {dtypes.Length}");
    }

    /// <summary>The queue's resource handle (the queue op's output).</summary>
    public Tensor queue_ref { get; }

    /// <summary>The name of the queue op.</summary>
    public string name => queue_ref.op.name;

    /// <summary>The component dtypes.</summary>
    public DType[] dtypes { get; }

    /// <summary>The component shapes (unknown where none were given).</summary>
    public Shape[] shapes { get; }

    /// <summary>The component names, or null.</summary>
    public IReadOnlyList<string>? names => _names;

    internal static Shape[]? CheckShapes(DType[] dtypes, Shape[]? shapes)
    {
        if (shapes is null) return null;
        if (shapes.Length != dtypes.Length)
            throw new ValueError($"Queue shapes must have the same length as dtypes: {shapes.Length} vs {dtypes.Length}");
        return shapes;
    }

    // ----- enqueue -----

    /// <summary>Enqueues one element of a one-component queue (<c>queue.enqueue(x)</c>).</summary>
    public Operation enqueue(TensorLike vals, string? name = null) => Enqueue([vals], name, many: false, named: false);

    /// <summary>Enqueues one element given as a tuple of components.</summary>
    public Operation enqueue(IReadOnlyList<TensorLike> vals, string? name = null) => Enqueue(vals, name, many: false, named: false);

    /// <summary>Enqueues one element of a named queue, given by component name.</summary>
    public Operation enqueue(IReadOnlyDictionary<string, TensorLike> vals, string? name = null) => Enqueue(FromDict(vals), name, many: false, named: true);

    /// <summary>Enqueues the rows of <paramref name="vals"/> (its first dimension) as elements of a one-component queue.</summary>
    public Operation enqueue_many(TensorLike vals, string? name = null) => Enqueue([vals], name, many: true, named: false);

    /// <summary>Enqueues the rows of a tuple of batches (their common first dimension).</summary>
    public Operation enqueue_many(IReadOnlyList<TensorLike> vals, string? name = null) => Enqueue(vals, name, many: true, named: false);

    /// <summary>Enqueues the rows of a named queue's batches, given by component name.</summary>
    public Operation enqueue_many(IReadOnlyDictionary<string, TensorLike> vals, string? name = null) => Enqueue(FromDict(vals), name, many: true, named: true);

    private TensorLike[] FromDict(IReadOnlyDictionary<string, TensorLike> vals)
    {
        if (_names is null) throw new ValueError("Queue must have names to enqueue a dictionary");
        if (!new HashSet<string>(vals.Keys).SetEquals(_names))
            throw new ValueError($"Keys in dictionary to enqueue do not match names of Queue.  Dictionary: ({string.Join(", ", vals.Keys.Order())}), Queue: ({string.Join(", ", _names.Order())})");
        return _names.Select(n => vals[n]).ToArray();
    }

    private Operation Enqueue(IReadOnlyList<TensorLike> vals, string? name, bool many, bool named)
    {
        if (_names is not null && !named)
            throw new ValueError("You must enqueue a dictionary in a Queue with names");
        if (vals.Count != dtypes.Length)
            throw new ValueError($"Expected {dtypes.Length} components to enqueue, got {vals.Count}");
        using var b = OpBuilder.Begin(queue_ref.graph, name, many ? $"{this.name}_EnqueueMany" : $"{this.name}_enqueue");
        var tensors = new Tensor[vals.Count];
        for (var i = 0; i < vals.Count; i++)
        {
            var t = vals[i].Value is Tensor given ? b.Convert(given, $"component_{i}") : b.Convert(vals[i], $"component_{i}", dtypes[i]);
            if (t.dtype != dtypes[i])
                throw new ValueError($"Tensor conversion requested dtype {dtypes[i].name} for Tensor with dtype {t.dtype.name}: {t}");
            tensors[i] = t;
        }
        if (many)
        {
            var batch = -1;
            for (var i = 0; i < tensors.Length; i++)
            {
                var s = tensors[i].shape;
                if (s.ndims == 0) throw new ValueError($"Shape must be at least rank 1 but is rank 0 for '{b.Name}' (component {i})");
                if (s.ndims < 0) continue;
                var rest = new Shape(s.Dims[1..]);
                if (!rest.IsCompatibleWith(shapes[i])) throw new ValueError($"Shapes {rest} and {shapes[i]} are not compatible");
                if (s[0] >= 0)
                {
                    if (batch >= 0 && batch != s[0]) throw new ValueError($"Dimensions {batch} and {s[0]} are not compatible");
                    batch = s[0];
                }
            }
        }
        else
            for (var i = 0; i < tensors.Length; i++)
                if (!tensors[i].shape.IsCompatibleWith(shapes[i]))
                    throw new ValueError($"Shapes {tensors[i].shape} and {shapes[i]} are not compatible");
        OpDef def = many ? QueueEnqueueManyV2.Def : QueueEnqueueV2.Def;
        return b.Create(def, [queue_ref, .. tensors], new()
        {
            // QueueEnqueueManyV2 declares the same attributes.
            { QueueEnqueueV2.Tcomponents, tensors.Select(t => t.dtype).ToArray() },
            { QueueEnqueueV2.TimeoutMs, -1L },
        });
    }

    // ----- dequeue -----

    /// <summary>Dequeues one element of a one-component queue; run it to get the value.</summary>
    public Tensor dequeue(string? name = null) => Single(dequeue_components(name));

    /// <summary>Dequeues one element, every component (a multi-component queue's tuple).</summary>
    public Tensor[] dequeue_components(string? name = null)
    {
        using var b = OpBuilder.Begin(queue_ref.graph, name, $"{this.name}_Dequeue");
        return b.Create(QueueDequeueV2.Def, [queue_ref], new() { { QueueDequeueV2.ComponentTypes, dtypes }, { QueueDequeueV2.TimeoutMs, -1L } }).outputs.ToArray();
    }

    /// <summary>Dequeues one element of a named queue, by component name.</summary>
    public Dictionary<string, Tensor> dequeue_dict(string? name = null) => ToDict(dequeue_components(name));

    /// <summary>Dequeues <paramref name="n"/> elements of a one-component queue, stacked along a new first dimension.</summary>
    public Tensor dequeue_many(TensorLike n, string? name = null) => Single(dequeue_many_components(n, name));

    /// <summary>Dequeues <paramref name="n"/> elements, every component stacked along a new first dimension.</summary>
    public Tensor[] dequeue_many_components(TensorLike n, string? name = null) => Many(QueueDequeueManyV2.Def, n, name, $"{this.name}_DequeueMany");

    /// <summary>Dequeues <paramref name="n"/> elements of a named queue, by component name.</summary>
    public Dictionary<string, Tensor> dequeue_many_dict(TensorLike n, string? name = null) => ToDict(dequeue_many_components(n, name));

    /// <summary>Dequeues up to <paramref name="n"/> elements: fewer when the queue is closed with fewer left.</summary>
    public Tensor dequeue_up_to(TensorLike n, string? name = null) => Single(dequeue_up_to_components(n, name));

    /// <summary>Dequeues up to <paramref name="n"/> elements, every component.</summary>
    public Tensor[] dequeue_up_to_components(TensorLike n, string? name = null) => Many(QueueDequeueUpToV2.Def, n, name, $"{this.name}_DequeueUpTo");

    /// <summary>Dequeues up to <paramref name="n"/> elements of a named queue, by component name.</summary>
    public Dictionary<string, Tensor> dequeue_up_to_dict(TensorLike n, string? name = null) => ToDict(dequeue_up_to_components(n, name));

    private Tensor[] Many(OpDef def, TensorLike n, string? name, string defaultName)
    {
        using var b = OpBuilder.Begin(queue_ref.graph, name, defaultName);
        var count = b.Convert(n, "n", DType.int32);
        return b.Create(def, [queue_ref, count], new() { { QueueDequeueManyV2.ComponentTypes, dtypes }, { QueueDequeueManyV2.TimeoutMs, -1L } }).outputs.ToArray();
    }

    private Tensor Single(Tensor[] components) => components.Length == 1
        ? components[0]
        : throw new ValueError($"Queue '{name}' has {components.Length} components: use the *_components form (or *_dict for a queue with names) to get them all.");

    private Dictionary<string, Tensor> ToDict(Tensor[] components)
    {
        if (_names is null) throw new ValueError($"Queue '{name}' has no names: use the *_components form.");
        return _names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => components[p.i], StringComparer.Ordinal);
    }

    // ----- state -----

    /// <summary>
    /// Closes the queue: later enqueues fail, dequeues drain what is left and then raise OutOfRangeError. With
    /// <paramref name="cancel_pending_enqueues"/>, waiting enqueues are cancelled.
    /// </summary>
    public Operation close(bool cancel_pending_enqueues = false, string? name = null)
    {
        using var b = OpBuilder.Begin(queue_ref.graph, name, $"{this.name}_Close");
        return b.Create(QueueCloseV2.Def, [queue_ref], new() { { QueueCloseV2.CancelPendingEnqueues, cancel_pending_enqueues } });
    }

    /// <summary>Whether the queue is closed (a bool scalar).</summary>
    public Tensor is_closed(string? name = null)
    {
        using var b = OpBuilder.Begin(queue_ref.graph, name, $"{this.name}_IsClosed");
        return b.Create(QueueIsClosedV2.Def, [queue_ref]).outputs[0];
    }

    /// <summary>The number of elements in the queue (an int32 scalar).</summary>
    public Tensor size(string? name = null)
    {
        using var b = OpBuilder.Begin(queue_ref.graph, name, $"{this.name}_Size");
        return b.Create(QueueSizeV2.Def, [queue_ref]).outputs[0];
    }
}

/// <summary>TensorFlow's <c>tf.FIFOQueue</c>: elements come out in the order they went in.</summary>
#pragma warning disable CA1711 // TensorFlow's class names end in Queue
public sealed class FIFOQueue : QueueBase
{
    /// <summary>A FIFO queue of at most <paramref name="capacity"/> elements with components of <paramref name="dtypes"/>.</summary>
    public FIFOQueue(int capacity, DType[] dtypes, Shape[]? shapes = null, string[]? names = null, string? shared_name = null, string name = "fifo_queue")
        : base(FIFOQueueV2.Build(capacity, dtypes, CheckShapes(dtypes, shapes), shared_name, name), dtypes, shapes, names) { }
}

/// <summary>TensorFlow's <c>tf.RandomShuffleQueue</c>: elements come out in random order, at least <c>min_after_dequeue</c> staying behind until it is closed.</summary>
public sealed class RandomShuffleQueue : QueueBase
{
    /// <summary>A shuffling queue; <paramref name="seed"/> with the graph seed fixes the order.</summary>
    public RandomShuffleQueue(int capacity, int min_after_dequeue, DType[] dtypes, Shape[]? shapes = null, string[]? names = null, int? seed = null,
        string? shared_name = null, string name = "random_shuffle_queue")
        : base(RandomShuffleQueueV2.Build(capacity, min_after_dequeue, dtypes, CheckShapes(dtypes, shapes), seed, shared_name, name), dtypes, shapes, names) { }
}

/// <summary>
/// TensorFlow's <c>tf.PaddingFIFOQueue</c>: a FIFO queue whose shapes may have unknown dimensions (-1);
/// <c>dequeue_many</c> pads every batch to its largest element.
/// </summary>
public sealed class PaddingFIFOQueue : QueueBase
{
    /// <summary>A padding FIFO queue; <paramref name="shapes"/> is required and may contain -1 dimensions.</summary>
    public PaddingFIFOQueue(int capacity, DType[] dtypes, Shape[] shapes, string[]? names = null, string? shared_name = null, string name = "padding_fifo_queue")
        : base(PaddingFIFOQueueV2.Build(capacity, dtypes, CheckPaddingShapes(dtypes, shapes), shared_name, name), dtypes, shapes, names) { }

    private static Shape[] CheckPaddingShapes(DType[] dtypes, Shape[]? shapes)
    {
        if (shapes is null) throw new ValueError("Shapes must be provided for PaddingFIFOQueue.");
        if (shapes.Length != dtypes.Length)
            throw new ValueError($"Shapes must be provided for all components, but received {dtypes.Length} dtypes and {shapes.Length} shapes.");
        return shapes;
    }
}
#pragma warning restore CA1711
