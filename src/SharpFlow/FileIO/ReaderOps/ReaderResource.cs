using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Queues;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>
/// A session-lived record reader (TensorFlow's <c>ReaderBase</c>): it takes the next file name (a work unit) from
/// a queue of strings when the current one is done, and produces (key, value) records from it. The kinds differ
/// only in how they open a file and cut it into records.
/// </summary>
internal abstract class ReaderResource : IDisposable
{
    private readonly object _mu = new();
    private volatile bool _disposed;
    private string? _work;
    private long _workStarted;
    private long _workFinished;
    private long _recordsProduced;

    protected ReaderResource(string name) => Name = name;

    /// <summary>The reader's name in messages.</summary>
    public string Name { get; }

    private bool WorkInProgress => _workFinished < _workStarted;

    /// <summary>The file being read.</summary>
    protected string CurrentWork => _work ?? "";

    /// <summary>Opens the file <paramref name="work"/>.</summary>
    protected abstract void OnWorkStarted(string work);

    /// <summary>Closes the current file.</summary>
    protected abstract void OnWorkFinished();

    /// <summary>The next record of the current file, or null at its end.</summary>
    protected abstract (string Key, byte[] Value)? ReadRecord();

    /// <summary>The next record, taking files from <paramref name="queue"/> as needed (ReaderReadV2).</summary>
    public (string Key, byte[] Value) Read(QueueResource queue)
    {
        lock (_mu)
        {
            try
            {
                while (true)
                {
                    if (!WorkInProgress) StartNextWork(queue);
                    var record = ReadRecord();
                    if (record is { } r)
                    {
                        _recordsProduced++;
                        return r;
                    }
                    OnWorkFinished();
                    _workFinished = _workStarted;
                }
            }
            finally
            {
                CloseIfDisposed();
            }
        }
    }

    /// <summary>Up to <paramref name="count"/> records (ReaderReadUpToV2); the queue's error when it runs out of files.</summary>
    public List<(string Key, byte[] Value)> ReadUpTo(QueueResource queue, long count)
    {
        lock (_mu)
        {
            try
            {
                return ReadUpToLocked(queue, count);
            }
            finally
            {
                CloseIfDisposed();
            }
        }
    }

    private List<(string Key, byte[] Value)> ReadUpToLocked(QueueResource queue, long count)
    {
        {
            var records = new List<(string, byte[])>();
            while (records.Count < count)
            {
                if (!WorkInProgress) StartNextWork(queue);
                var record = ReadRecord();
                if (record is { } r)
                {
                    _recordsProduced++;
                    records.Add(r);
                    continue;
                }
                OnWorkFinished();
                _workFinished = _workStarted;
            }
            return records;
        }
    }

    // TensorFlow's GetNextWorkLocked: one string from a one-component string queue.
    private void StartNextWork(QueueResource queue)
    {
        var tuple = queue.Dequeue();
        if (tuple.Length != 1) throw new InvalidArgumentError("Expected single component queue");
        if (tuple[0].dtype != DType.@string) throw new InvalidArgumentError("Expected queue with single string component");
        if (tuple[0].size != 1) throw new InvalidArgumentError("Expected to dequeue a one-element string tensor");
        _work = System.Text.Encoding.UTF8.GetString(tuple[0].StringBytes());
        OnWorkStarted(_work);
        _workStarted++;
    }

    /// <summary>Records produced so far.</summary>
    public long NumRecordsProduced
    {
        get { lock (_mu) return _recordsProduced; }
    }

    /// <summary>Files read to their end so far.</summary>
    public long NumWorkUnitsCompleted
    {
        get { lock (_mu) return _workFinished; }
    }

    /// <summary>Back to the state of a new reader.</summary>
    public void Reset()
    {
        lock (_mu)
        {
            if (WorkInProgress) OnWorkFinished();
            _work = null;
            _workStarted = _workFinished = _recordsProduced = 0;
        }
    }

    /// <summary>
    /// Closes the current file. A read blocked on its filename queue holds the reader's lock until the session's
    /// close wakes it (the queue may be disposed after the reader), so disposal never waits for it: that read
    /// closes the file itself on its way out.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        if (Monitor.TryEnter(_mu))
        {
            try { CloseIfDisposed(); }
            finally { Monitor.Exit(_mu); }
        }
        GC.SuppressFinalize(this);
    }

    // Under _mu.
    private void CloseIfDisposed()
    {
        if (_disposed && WorkInProgress)
        {
            OnWorkFinished();
            _workFinished = _workStarted;
        }
    }

    /// <summary>Opens a file for reading; a missing one is TensorFlow's NotFoundError.</summary>
    protected static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundError($"{path}; No such file or directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidArgumentError($"{path}: {e.Message}");
        }
    }

    /// <summary>The reader behind a handle value.</summary>
    public static ReaderResource Of(NDArray handle, Func<string, Exception> error) =>
        handle.Storage is object[] { Length: 1 } items && items[0] is ReaderResource reader
            ? reader
            : throw error("the handle is not a reader");
}
