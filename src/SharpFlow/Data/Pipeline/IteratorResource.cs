using System.Collections.Concurrent;
using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// The state of one iterator in one session (TensorFlow's IteratorResource): the dtypes and shapes it was
/// declared with and the current pass over the dataset it was last initialised with. Its kernel owns it, so it
/// lives as long as the session and is disposed (stopping prefetch threads) when the session closes.
/// </summary>
internal sealed class IteratorResource : IDisposable
{
    private static readonly ConcurrentDictionary<string, WeakReference<IteratorResource>> Handles = new(StringComparer.Ordinal);
    private static long _nextId;

    private readonly object _lock = new();
    private IElementIterator? _current;
    private volatile bool _disposed;

    public IteratorResource(string name, DType[] types, Shape[] shapes)
    {
        Name = name;
        Types = types;
        Shapes = shapes;
        StringHandle = $"{name}:{Interlocked.Increment(ref _nextId)}";
        Handles[StringHandle] = new WeakReference<IteratorResource>(this);
    }

    public string Name { get; }

    public DType[] Types { get; }

    public Shape[] Shapes { get; }

    /// <summary>What <c>string_handle()</c> evaluates to: the key under which feedable iterators find this one.</summary>
    public string StringHandle { get; }

    /// <summary>The resource in a scalar resource value.</summary>
    public NDArray ToHandle() => new(new object[] { this }, Shape.Scalar);

    /// <summary>The iterator behind a handle value.</summary>
    public static IteratorResource Of(NDArray handle, Func<string, Exception> error) =>
        handle.Storage is object[] { Length: 1 } items && items[0] is IteratorResource it
            ? it
            : throw error("the input is not an iterator handle");

    /// <summary>The live iterator a string handle names.</summary>
    public static IteratorResource? FromStringHandle(string handle) =>
        Handles.TryGetValue(handle, out var weak) && weak.TryGetTarget(out var it) && !it._disposed ? it : null;

    /// <summary>Starts a new pass over <paramref name="dataset"/> (ending the previous pass).</summary>
    public void Initialize(DatasetBase dataset, string opName)
    {
        if (dataset.Types.Length != Types.Length)
            throw new InvalidArgumentError($"Number of components does not match: expected {Types.Length} types but got {dataset.Types.Length}.", opName);
        for (var i = 0; i < Types.Length; i++)
            if (dataset.Types[i] != Types[i])
                throw new InvalidArgumentError($"Data type mismatch at component {i}: expected {Types[i].name} but got {dataset.Types[i].name}.", opName);
        IElementIterator? old;
        lock (_lock)
        {
            if (_disposed) throw new FailedPreconditionError("The iterator's session was closed.", opName);
            old = Interlocked.Exchange(ref _current, dataset.MakeIterator());
        }
        old?.Dispose();
    }

    /// <summary>True once an initialisation has happened.</summary>
    public bool IsInitialized
    {
        get { lock (_lock) return _current is not null; }
    }

    /// <summary>The next element; <see cref="OutOfRangeError"/> at the end, as TensorFlow's <c>End of sequence</c>.</summary>
    public NDArray[] GetNext(string opName)
    {
        lock (_lock)
        {
            if (_current is null)
                throw new FailedPreconditionError("GetNext() failed because the iterator has not been initialized. Ensure that you have run the initializer operation for this iterator before getting the next element.", opName);
            var e = _current.Next() ?? throw new OutOfRangeError("End of sequence", opName);
            for (var i = 0; i < e.Length; i++)
                if (!Shapes[i].IsCompatibleWith(e[i].shape))
                    throw new InvalidArgumentError($"Incompatible shapes at component {i}: expected {Shapes[i]} but got {e[i].shape}.", opName);
            return e;
        }
    }

    public void Dispose()
    {
        // Not under the lock: a get_next may hold it while it waits on a prefetch buffer, which this wakes.
        _disposed = true;
        Interlocked.Exchange(ref _current, null)?.Dispose();
        Handles.TryRemove(StringHandle, out _);
    }
}
