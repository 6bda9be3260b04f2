using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.RandomOps;
using SharpFlow.Ops.State;
using SharpFlow.Summaries.SummaryOps;
using MathOps = SharpFlow.Ops.MathOps;

namespace SharpFlow.Train.Input;

/// <summary>
/// TensorFlow 1.x's queue-based input pipeline (<c>python/training/input.py</c>): producers that fill a queue
/// with a tensor's rows epoch after epoch, and the batching functions that gather elements into batches through
/// a (shuffling, padding) queue, each with its queue runner registered for <c>tf.train.start_queue_runners</c>.
/// </summary>
public static class Inputs
{
    /// <summary>
    /// <c>tf.train.limit_epochs</c>: the tensor, but after <paramref name="num_epochs"/> evaluations an
    /// OutOfRangeError (a local int64 variable <c>epochs</c> counts them).
    /// </summary>
    public static Tensor limit_epochs(Tensor tensor, int? num_epochs = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (num_epochs is not { } limit) return tensor;
        if (limit <= 0) throw new ValueError($"num_epochs must be > 0 not {limit}.");
        using var b = OpBuilder.Begin(tensor.graph, name, "limit_epochs");
        var zero64 = Const.Create(b.Graph, NDArray.Scalar(0L));
        var epochs = Variable.Create(zero64, null, trainable: false, [GraphKeys.LOCAL_VARIABLES], validateShape: true, "epochs", null);
        var counter = CountUpTo.Build(epochs, limit);
        using (b.Graph.control_dependencies([counter]))
            return Identity.Build(tensor, b.Scope);
    }

    /// <summary>
    /// <c>tf.train.input_producer</c>: a FIFO queue filled with the rows of <paramref name="input_tensor"/>
    /// (shuffled each epoch when <paramref name="shuffle"/>), for <paramref name="num_epochs"/> epochs or forever.
    /// </summary>
    public static QueueBase input_producer(Tensor input_tensor, Shape? element_shape = null, int? num_epochs = null, bool shuffle = true,
        int? seed = null, int capacity = 32, string? shared_name = null, string? summary_name = null, string? name = null, Operation? cancel_op = null)
    {
        ArgumentNullException.ThrowIfNull(input_tensor);
        using var b = OpBuilder.Begin(input_tensor.graph, name, "input_producer");
        var rows = input_tensor.shape;
        var shape = rows.ndims < 0 ? Shape.Unknown : new Shape(rows.Dims[1..]);
        if (element_shape is not null) shape = shape.ndims < 0 ? element_shape : shape.MergeWith(element_shape);
        if (!shape.IsFullyDefined)
            throw new ValueError("Either `input_tensor` must have a fully defined shape or `element_shape` must be specified");
        if (shuffle) input_tensor = RandomShuffle.Build(input_tensor, seed);
        input_tensor = limit_epochs(input_tensor, num_epochs);
        // The queue op takes the scope's own name when the caller named it (string_input_producer passes its scope).
        var q = new FIFOQueue(capacity, [input_tensor.dtype], [shape], shared_name: shared_name, name: name ?? "fifo_queue");
        var enq = q.enqueue_many(input_tensor);
        QueueRunners.Add(new QueueRunner(q, [enq], cancel_op: cancel_op));
        if (summary_name is not null)
            ScalarSummary.Build(summary_name, MathOps.Cast.Build(q.size(), DType.float32) * (1f / capacity));
        return q;
    }

    /// <summary>
    /// <c>tf.train.string_input_producer</c>: a queue of the strings (file names), shuffled each epoch unless
    /// <paramref name="shuffle"/> is false; after <paramref name="num_epochs"/> epochs it is closed.
    /// </summary>
    public static QueueBase string_input_producer(IReadOnlyList<string> string_tensor, int? num_epochs = null, bool shuffle = true, int? seed = null,
        int capacity = 32, string? shared_name = null, string? name = null, Operation? cancel_op = null)
    {
        ArgumentNullException.ThrowIfNull(string_tensor);
        if (string_tensor.Count == 0) throw new ValueError("string_input_producer requires a non-null input tensor");
        return StringInputProducer(g => Const.Create(g, NDArray.FromStrings([.. string_tensor], new Shape(string_tensor.Count))),
            Graph.get_default(), num_epochs, shuffle, seed, capacity, shared_name, name, cancel_op);
    }

    /// <summary><c>tf.train.string_input_producer</c> over a string tensor computed in the graph.</summary>
    public static QueueBase string_input_producer(Tensor string_tensor, int? num_epochs = null, bool shuffle = true, int? seed = null,
        int capacity = 32, string? shared_name = null, string? name = null, Operation? cancel_op = null)
    {
        ArgumentNullException.ThrowIfNull(string_tensor);
        if (string_tensor.dtype != DType.@string)
            throw new ValueError($"Tensor conversion requested dtype string for Tensor with dtype {string_tensor.dtype.name}: {string_tensor}");
        return StringInputProducer(_ => string_tensor, string_tensor.graph, num_epochs, shuffle, seed, capacity, shared_name, name, cancel_op);
    }

    private static QueueBase StringInputProducer(Func<Graph, Tensor> makeTensor, Graph graph, int? numEpochs, bool shuffle, int? seed,
        int capacity, string? sharedName, string? name, Operation? cancelOp)
    {
        const string NotNull = "string_input_producer requires a non-null input tensor";
        using var b = OpBuilder.Begin(graph, name, "input_producer");
        var strings = makeTensor(b.Graph);
        var check = Assert.Build(MathOps.Greater.Build(Size.Build(strings), 0), [NotNull]);
        using (b.Graph.control_dependencies([check]))
            strings = Identity.Build(strings);
        return input_producer(strings, Shape.Scalar, numEpochs, shuffle, seed, capacity, sharedName, $"fraction_of_{capacity}_full", b.Scope, cancelOp);
    }

    /// <summary><c>tf.train.range_input_producer</c>: a queue of the integers 0 … limit-1, epoch after epoch.</summary>
    public static QueueBase range_input_producer(TensorLike limit, int? num_epochs = null, bool shuffle = true, int? seed = null, int capacity = 32,
        string? shared_name = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "input_producer", limit);
        var range = SharpFlow.Ops.ArrayOps.Range.Build(limit);
        return input_producer(range, Shape.Scalar, num_epochs, shuffle, seed, capacity, shared_name, $"fraction_of_{capacity}_full", b.Scope);
    }

    /// <summary>
    /// <c>tf.train.slice_input_producer</c>: one row of every tensor (the same row of each) per evaluation,
    /// through a queue of row indices.
    /// </summary>
    public static Tensor[] slice_input_producer(IReadOnlyList<TensorLike> tensor_list, int? num_epochs = null, bool shuffle = true, int? seed = null,
        int capacity = 32, string? shared_name = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(tensor_list);
        if (tensor_list.Count == 0) throw new ValueError("Expected at least one tensor in slice_input_producer().");
        using var b = OpBuilder.Begin(name, "input_producer", [.. tensor_list]);
        var tensors = tensor_list.Select(t => b.Convert(t, "input")).ToArray();
        var rangeSize = Shape_.Build(tensors[0])[0];
        var queue = range_input_producer(rangeSize, num_epochs, shuffle, seed, capacity, shared_name);
        var index = queue.dequeue();
        return tensors.Select(t => GatherV2.Build(t, index)).ToArray();
    }

    // ----- batching -----

    /// <summary>
    /// <c>tf.train.batch</c>: batches of <paramref name="batch_size"/> from a FIFO queue (a padding queue with
    /// <paramref name="dynamic_pad"/>) filled by <paramref name="num_threads"/> threads; the last batch may be
    /// smaller with <paramref name="allow_smaller_final_batch"/>.
    /// </summary>
    public static Tensor[] batch(IReadOnlyList<Tensor> tensors, int batch_size, int num_threads = 1, int capacity = 32, bool enqueue_many = false,
        Shape[]? shapes = null, bool dynamic_pad = false, bool allow_smaller_final_batch = false, string? shared_name = null, string? name = null) =>
        Batch([tensors], batch_size, num_threads, capacity, enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch, shared_name, name, "batch",
            (types, s) => dynamic_pad ? new PaddingFIFOQueue(capacity, types, s, shared_name: shared_name) : new FIFOQueue(capacity, types, s, shared_name: shared_name),
            (q, _) => ScalarSummary.Build($"fraction_of_{capacity}_full", MathOps.Cast.Build(q.size(), DType.float32) * (1f / capacity)));

    /// <summary><c>tf.train.batch_join</c>: as <see cref="batch"/>, one enqueuing thread per tensor list.</summary>
    public static Tensor[] batch_join(IReadOnlyList<IReadOnlyList<Tensor>> tensors_list, int batch_size, int capacity = 32, bool enqueue_many = false,
        Shape[]? shapes = null, bool dynamic_pad = false, bool allow_smaller_final_batch = false, string? shared_name = null, string? name = null) =>
        Batch(tensors_list, batch_size, 1, capacity, enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch, shared_name, name, "batch_join",
            (types, s) => dynamic_pad ? new PaddingFIFOQueue(capacity, types, s, shared_name: shared_name) : new FIFOQueue(capacity, types, s, shared_name: shared_name),
            (q, _) => ScalarSummary.Build($"fraction_of_{capacity}_full", MathOps.Cast.Build(q.size(), DType.float32) * (1f / capacity)));

    /// <summary>
    /// <c>tf.train.shuffle_batch</c>: batches drawn at random from a RandomShuffleQueue that keeps at least
    /// <paramref name="min_after_dequeue"/> elements to mix.
    /// </summary>
    public static Tensor[] shuffle_batch(IReadOnlyList<Tensor> tensors, int batch_size, int capacity, int min_after_dequeue, int num_threads = 1,
        int? seed = null, bool enqueue_many = false, Shape[]? shapes = null, bool allow_smaller_final_batch = false, string? shared_name = null, string? name = null)
    {
        CheckShuffleCapacity(capacity, min_after_dequeue);
        return Batch([tensors], batch_size, num_threads, capacity, enqueue_many, shapes, false, allow_smaller_final_batch, shared_name, name, "shuffle_batch",
            (types, s) => new RandomShuffleQueue(capacity, min_after_dequeue, types, s, seed: seed, shared_name: shared_name),
            (q, _) => ShuffleSummary(q, capacity, min_after_dequeue));
    }

    /// <summary><c>tf.train.shuffle_batch_join</c>: as <see cref="shuffle_batch"/>, one enqueuing thread per tensor list.</summary>
    public static Tensor[] shuffle_batch_join(IReadOnlyList<IReadOnlyList<Tensor>> tensors_list, int batch_size, int capacity, int min_after_dequeue,
        int? seed = null, bool enqueue_many = false, Shape[]? shapes = null, bool allow_smaller_final_batch = false, string? shared_name = null, string? name = null)
    {
        CheckShuffleCapacity(capacity, min_after_dequeue);
        return Batch(tensors_list, batch_size, 1, capacity, enqueue_many, shapes, false, allow_smaller_final_batch, shared_name, name, "shuffle_batch_join",
            (types, s) => new RandomShuffleQueue(capacity, min_after_dequeue, types, s, seed: seed, shared_name: shared_name),
            (q, _) => ShuffleSummary(q, capacity, min_after_dequeue));
    }

    private static void CheckShuffleCapacity(int capacity, int minAfterDequeue)
    {
        if (capacity <= minAfterDequeue)
            throw new ValueError($"capacity {capacity} must be bigger than min_after_dequeue {minAfterDequeue}.");
    }

    private static void ShuffleSummary(QueueBase q, int capacity, int minAfterDequeue)
    {
        var full = MathOps.Cast.Build(MathOps.Maximum.Build(0, q.size() - minAfterDequeue), DType.float32) * (1f / (capacity - minAfterDequeue));
        ScalarSummary.Build($"fraction_over_{minAfterDequeue}_of_{capacity - minAfterDequeue}_full", full);
    }

    private static Tensor[] Batch(IReadOnlyList<IReadOnlyList<Tensor>> lists, int batchSize, int numThreads, int capacity, bool enqueueMany,
        Shape[]? shapes, bool dynamicPad, bool allowSmaller, string? sharedName, string? name, string defaultName,
        Func<DType[], Shape[], QueueBase> makeQueue, Action<QueueBase, int> summary)
    {
        ArgumentNullException.ThrowIfNull(lists);
        if (lists.Count == 0 || lists[0].Count == 0) throw new ValueError("Expected at least one tensor in batch().");
        var width = lists[0].Count;
        foreach (var l in lists)
            if (l.Count != width) throw new ValueError("Expected all tensor lists to have the same number of tensors.");
        var graph = lists[0][0].graph;
        using var b = OpBuilder.Begin(graph, name, defaultName);
        var types = lists[0].Select(t => t.dtype).ToArray();
        foreach (var l in lists)
            for (var i = 0; i < width; i++)
                if (l[i].dtype != types[i]) throw new TypeError($"Expected types to be consistent: {l[i].dtype.name} vs. {types[i].name}.");
        shapes ??= InferShapes(lists, enqueueMany, dynamicPad);
        var queue = makeQueue(types, shapes);
        var enqueueOps = new List<Operation>();
        if (lists.Count == 1)
        {
            var op = enqueueMany ? queue.enqueue_many([.. lists[0].Select(t => (TensorLike)t)]) : queue.enqueue([.. lists[0].Select(t => (TensorLike)t)]);
            for (var i = 0; i < numThreads; i++) enqueueOps.Add(op);
        }
        else
            foreach (var l in lists)
                enqueueOps.Add(enqueueMany ? queue.enqueue_many([.. l.Select(t => (TensorLike)t)]) : queue.enqueue([.. l.Select(t => (TensorLike)t)]));
        QueueRunners.Add(new QueueRunner(queue, enqueueOps));
        summary(queue, capacity);
        return allowSmaller ? queue.dequeue_up_to_components(batchSize, b.Scope) : queue.dequeue_many_components(batchSize, b.Scope);
    }

    // TensorFlow's _shapes: each component's shape merged over the lists (without the batch dimension for
    // enqueue_many); fully defined unless a padding queue takes the unknown dimensions.
    private static Shape[] InferShapes(IReadOnlyList<IReadOnlyList<Tensor>> lists, bool enqueueMany, bool dynamicPad)
    {
        var shapes = new Shape[lists[0].Count];
        for (var i = 0; i < shapes.Length; i++)
        {
            Shape merged = Shape.Unknown;
            foreach (var l in lists)
            {
                var s = l[i].shape;
                if (s.ndims < 0) throw new ValueError($"Cannot infer Tensor's rank: {l[i]}");
                if (enqueueMany)
                {
                    if (s.ndims == 0) throw new ValueError($"Shape must be at least rank 1 for enqueue_many: {l[i]}");
                    s = new Shape(s.Dims[1..]);
                }
                merged = merged.ndims < 0 ? s : merged.MergeWith(s);
            }
            if (!dynamicPad && !merged.IsFullyDefined) throw new ValueError($"All shapes must be fully defined: {merged}");
            shapes[i] = merged;
        }
        return shapes;
    }
}
