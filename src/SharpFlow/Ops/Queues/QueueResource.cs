using SharpFlow.Framework;
using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.Queues;

/// <summary>
/// A session-lived queue of tuples (TensorFlow's <c>QueueBase</c>, <c>FIFOQueue</c>, <c>RandomShuffleQueue</c> and
/// <c>PaddingFIFOQueue</c> in one class). Enqueue and dequeue attempts wait in arrival order, each kind in its own
/// line, as TensorFlow's attempt lists do: only the attempt at the head of its line makes progress, so a
/// <c>dequeue_many</c> takes elements as they arrive and a later dequeue cannot overtake it. Waiting uses one
/// monitor (no busy wait); closing the queue or its session wakes every waiter.
/// </summary>
internal sealed class QueueResource
{
    private static long _nextId;

    private readonly object _mu = new();
    private readonly List<NDArray[]> _elements = [];
    private readonly LinkedList<Attempt> _enqueueAttempts = new();
    private readonly LinkedList<Attempt> _dequeueAttempts = new();
    private readonly int _minAfterDequeue;
    private SingleSampleAdapter _generator;
    private bool _closed;
    private bool _cancelled;

    public QueueResource(string kind, string name, int capacity, DType[] dtypes, Shape[] shapes, int minAfterDequeue = 0, long seed = 0, long seed2 = 0)
    {
        Kind = kind;
        Name = name;
        Capacity = capacity;
        DTypes = dtypes;
        Shapes = shapes;
        _minAfterDequeue = minAfterDequeue;
        if (kind == "RandomShuffleQueue")
        {
            if (seed == 0 && seed2 == 0)
            {
                seed = System.Random.Shared.NextInt64(long.MinValue, long.MaxValue);
                seed2 = System.Random.Shared.NextInt64(long.MinValue, long.MaxValue);
            }
            _generator = new SingleSampleAdapter(new Philox((ulong)seed, (ulong)seed2));
        }
    }

    /// <summary>A process-wide unique name for a queue without a shared name: <c>_0_fifo_queue</c>, as TensorFlow's resource manager names it.</summary>
    public static string UniqueName(string opName) => $"_{Interlocked.Increment(ref _nextId) - 1}_{opName}";

    /// <summary><c>FIFOQueue</c>, <c>RandomShuffleQueue</c> or <c>PaddingFIFOQueue</c>: how messages name the queue's kind.</summary>
    public string Kind { get; }

    /// <summary>The queue's name in messages.</summary>
    public string Name { get; }

    /// <summary>The most elements it holds; enqueues wait beyond it.</summary>
    public int Capacity { get; }

    /// <summary>The component dtypes.</summary>
    public DType[] DTypes { get; }

    /// <summary>The component shapes (empty when unspecified; a padding queue's may have unknown dimensions).</summary>
    public Shape[] Shapes { get; }

    private bool SpecifiedShapes => Shapes.Length > 0;

    private bool IsPadding => Kind == "PaddingFIFOQueue";

    /// <summary>The number of elements now in the queue.</summary>
    public int Size
    {
        get { lock (_mu) return _elements.Count; }
    }

    /// <summary>Whether the queue has been closed.</summary>
    public bool IsClosed
    {
        get { lock (_mu) return _closed; }
    }

    // ----- validation (TensorFlow's QueueBase::ValidateTuple / ValidateManyTuple) -----

    private void ValidateCommon(IReadOnlyList<NDArray> tuple)
    {
        if (tuple.Count != DTypes.Length)
            throw new InvalidArgumentError($"Wrong number of components in tuple. Expected {DTypes.Length}, got {tuple.Count}");
        for (var i = 0; i < tuple.Count; i++)
            if (tuple[i].dtype != DTypes[i])
                throw new InvalidArgumentError($"Type mismatch in tuple component {i}. Expected {DTypes[i].name}, got {tuple[i].dtype.name}");
    }

    /// <summary>Checks one element against the queue's components.</summary>
    public void ValidateTuple(IReadOnlyList<NDArray> tuple)
    {
        ValidateCommon(tuple);
        if (!SpecifiedShapes) return;
        for (var i = 0; i < tuple.Count; i++)
            if (!Shapes[i].IsCompatibleWith(tuple[i].shape) || (!IsPadding && !Shapes[i].Equals(tuple[i].shape)))
                throw new InvalidArgumentError($"Shape mismatch in tuple component {i}. Expected {Shapes[i].ToListString()}, got {tuple[i].shape.ToListString()}");
    }

    /// <summary>Checks a batch of elements (each component's first dimension is the batch).</summary>
    public void ValidateManyTuple(IReadOnlyList<NDArray> tuple)
    {
        ValidateCommon(tuple);
        for (var i = 0; i < tuple.Count; i++)
            if (tuple[i].ndim < 1)
                throw new InvalidArgumentError($"Shape mismatch in tuple component {i}. Expected rank at least 1, got {tuple[i].shape.ToListString()}");
        var batch = tuple.Count == 0 ? 0 : tuple[0].shape[0];
        for (var i = 0; i < tuple.Count; i++)
        {
            if (SpecifiedShapes)
            {
                var expected = new Shape(batch).Concatenate(Shapes[i]);
                if (!expected.IsCompatibleWith(tuple[i].shape) || (!IsPadding && !expected.Equals(tuple[i].shape)))
                    throw new InvalidArgumentError($"Shape mismatch in tuple component {i}. Expected {expected.ToListString()}, got {tuple[i].shape.ToListString()}");
            }
            else if (tuple[i].shape[0] != batch)
                throw new InvalidArgumentError($"All input tensors must have the same size in the 0th dimension. Component {i} has {tuple[i].shape[0]}, and should have {batch}");
        }
    }

    // ----- enqueue -----

    /// <summary>Adds one element, waiting while the queue is full.</summary>
    public void Enqueue(IReadOnlyList<NDArray> tuple)
    {
        ValidateTuple(tuple);
        // The values' buffers go back to the run's pool after the run; the queue keeps copies.
        EnqueueElements([tuple.Select(v => v.Copy()).ToArray()]);
    }

    /// <summary>Adds the rows of a batch, waiting while the queue is full.</summary>
    public void EnqueueMany(IReadOnlyList<NDArray> tuple)
    {
        ValidateManyTuple(tuple);
        var batch = tuple.Count == 0 ? 0 : tuple[0].shape[0];
        if (batch == 0) return;
        var elements = new List<NDArray[]>(batch);
        for (var r = 0; r < batch; r++)
            elements.Add(tuple.Select(v => Row(v, r)).ToArray());
        EnqueueElements(elements);
    }

    private void EnqueueElements(List<NDArray[]> elements)
    {
        lock (_mu)
        {
            var attempt = _enqueueAttempts.AddLast(new Attempt());
            try
            {
                var next = 0;
                while (true)
                {
                    if (_cancelled || attempt.Value.Cancelled) throw new CancelledError("Enqueue operation was cancelled");
                    if (_enqueueAttempts.First == attempt)
                    {
                        if (_closed) throw new CancelledError($"{Kind} '{Name}' is closed.");
                        var progress = false;
                        while (next < elements.Count && _elements.Count < Capacity)
                        {
                            _elements.Add(elements[next++]);
                            progress = true;
                        }
                        if (progress) Monitor.PulseAll(_mu);
                        if (next == elements.Count) return;
                    }
                    Monitor.Wait(_mu);
                }
            }
            finally
            {
                _enqueueAttempts.Remove(attempt);
                Monitor.PulseAll(_mu);
            }
        }
    }

    // ----- close -----

    /// <summary>
    /// Closes the queue. Without <paramref name="cancelPendingEnqueues"/> the close waits its turn behind the
    /// enqueues already waiting (which then complete); with it those enqueues fail with a CancelledError.
    /// </summary>
    public void Close(bool cancelPendingEnqueues)
    {
        lock (_mu)
        {
            if (cancelPendingEnqueues)
            {
                // TensorFlow's CloseAndCancel: the enqueues waiting now fail; later ones find the queue closed.
                _closed = true;
                foreach (var pending in _enqueueAttempts) pending.Cancelled = true;
                Monitor.PulseAll(_mu);
                return;
            }
            var attempt = _enqueueAttempts.AddLast(new Attempt());
            try
            {
                while (true)
                {
                    if (_cancelled || attempt.Value.Cancelled) throw new CancelledError("Enqueue operation was cancelled");
                    if (_enqueueAttempts.First == attempt)
                    {
                        if (_closed) throw new CancelledError($"Queue '{Name}' is already closed.");
                        _closed = true;
                        return;
                    }
                    Monitor.Wait(_mu);
                }
            }
            finally
            {
                _enqueueAttempts.Remove(attempt);
                Monitor.PulseAll(_mu);
            }
        }
    }

    /// <summary>Closes the queue and fails every waiting enqueue and dequeue (the session is closing).</summary>
    public void Cancel()
    {
        lock (_mu)
        {
            _closed = true;
            _cancelled = true;
            Monitor.PulseAll(_mu);
        }
    }

    // ----- dequeue -----

    /// <summary>One element, waiting while none is available.</summary>
    public NDArray[] Dequeue()
    {
        var taken = Take(1, allowSmallBatch: false);
        return taken[0];
    }

    /// <summary>
    /// <paramref name="n"/> elements stacked into one batch per component (padded for a padding queue); with
    /// <paramref name="allowSmallBatch"/>, fewer once the queue is closed (<c>dequeue_up_to</c>).
    /// </summary>
    public NDArray[] DequeueMany(int n, bool allowSmallBatch)
    {
        if (!SpecifiedShapes)
            throw new InvalidArgumentError($"{Kind}'s DequeueMany and DequeueUpTo require the components to have specified shapes.");
        var taken = n == 0 ? [] : Take(n, allowSmallBatch);
        var result = new NDArray[DTypes.Length];
        for (var c = 0; c < result.Length; c++)
            result[c] = Stack(c, taken);
        return result;
    }

    private List<NDArray[]> Take(int n, bool allowSmallBatch)
    {
        lock (_mu)
        {
            var attempt = _dequeueAttempts.AddLast(new Attempt());
            var taken = new List<NDArray[]>(n);
            var requested = n;
            try
            {
                while (true)
                {
                    if (_cancelled)
                    {
                        Restore(taken);
                        throw new CancelledError("Dequeue operation was cancelled");
                    }
                    if (_dequeueAttempts.First == attempt)
                    {
                        var size = _elements.Count;
                        if (_closed && size < requested)
                        {
                            Restore(taken);
                            taken.Clear();
                            if (allowSmallBatch && _elements.Count > 0)
                            {
                                requested = _elements.Count;
                                size = requested;
                            }
                            else if (allowSmallBatch && _enqueueAttempts.Any(a => !a.Cancelled))
                            {
                                // Enqueues still waiting may yet add elements; TensorFlow yields to them.
                                Monitor.Wait(_mu);
                                continue;
                            }
                            else
                                throw new OutOfRangeError($"{Kind} '{Name}' is closed and has insufficient elements (requested {requested}, current size {size})");
                        }
                        var available = _closed ? size : size - _minAfterDequeue;
                        var progress = false;
                        while (available > 0 && requested > 0)
                        {
                            taken.Add(RemoveOne());
                            available--;
                            requested--;
                            progress = true;
                        }
                        if (progress) Monitor.PulseAll(_mu);
                        if (requested == 0) return taken;
                    }
                    Monitor.Wait(_mu);
                }
            }
            finally
            {
                _dequeueAttempts.Remove(attempt);
                Monitor.PulseAll(_mu);
            }
        }
    }

    // Puts a partly filled batch back where it came from (the front of a FIFO queue).
    private void Restore(List<NDArray[]> taken)
    {
        if (taken.Count == 0) return;
        _elements.InsertRange(0, taken);
        Monitor.PulseAll(_mu);
    }

    private NDArray[] RemoveOne()
    {
        if (Kind != "RandomShuffleQueue")
        {
            var first = _elements[0];
            _elements.RemoveAt(0);
            return first;
        }
        // TensorFlow's RandomShuffleQueue::DequeueLocked: a random index, refilled from the back.
        var index = (int)(_generator.Next() % (uint)_elements.Count);
        var element = _elements[index];
        _elements[index] = _elements[^1];
        _elements.RemoveAt(_elements.Count - 1);
        return element;
    }

    /// <summary>The queue behind a handle value.</summary>
    public static QueueResource Of(NDArray handle, Func<string, Exception> error) =>
        handle.Storage is object[] { Length: 1 } items && items[0] is QueueResource queue
            ? queue
            : throw error("the handle is not a queue");

    private sealed class Attempt
    {
        public bool Cancelled;
    }

    // ----- element helpers -----

    /// <summary>Row <paramref name="r"/> of <paramref name="batch"/> as its own array.</summary>
    public static NDArray Row(NDArray batch, int r)
    {
        var dims = batch.shape.Dims[1..];
        var rowSize = (int)new Shape(dims).NumElements;
        var storage = NDArray.AllocateStorage(batch.dtype, rowSize);
        System.Array.Copy(batch.Storage, (long)r * rowSize, storage, 0, rowSize);
        return new NDArray(storage, new Shape(dims));
    }

    private NDArray Stack(int component, List<NDArray[]> elements)
    {
        var dtype = DTypes[component];
        int[] elementDims;
        if (elements.Count == 0)
            elementDims = Shapes[component].Dims.Select(d => System.Math.Max(d, 0)).ToArray();
        else if (IsPadding)
        {
            elementDims = Shapes[component].Dims;
            for (var d = 0; d < elementDims.Length; d++)
                if (elementDims[d] < 0) elementDims[d] = elements.Max(e => e[component].shape[d]);
        }
        else elementDims = elements[0][component].shape.Dims;
        var rowShape = new Shape(elementDims);
        var rowSize = (int)rowShape.NumElements;
        var result = NDArray.Zeros(dtype, new Shape([elements.Count, .. elementDims]));
        for (var r = 0; r < elements.Count; r++)
        {
            var value = elements[r][component];
            if (value.shape.Equals(rowShape))
                System.Array.Copy(value.Storage, 0, result.Storage, (long)r * rowSize, rowSize);
            else
                CopyPadded(value, result.Storage, (long)r * rowSize, elementDims);
        }
        return result;
    }

    // Copies a smaller value into the top-left corner of a zero (or empty-string) padded row.
    private static void CopyPadded(NDArray value, System.Array destination, long offset, int[] rowDims)
    {
        var dims = value.shape.Dims;
        if (value.size == 0) return;
        var rank = dims.Length;
        var index = new int[rank];
        var inner = dims[rank - 1];
        var outerCount = value.size / inner;
        for (var o = 0; o < outerCount; o++)
        {
            // index holds the position of this run's first element in the value.
            long dst = 0;
            for (var d = 0; d < rank; d++) dst = dst * rowDims[d] + index[d];
            System.Array.Copy(value.Storage, (long)o * inner, destination, offset + dst, inner);
            for (var d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < dims[d]) break;
                index[d] = 0;
            }
        }
    }
}
