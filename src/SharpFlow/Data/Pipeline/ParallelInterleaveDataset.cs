using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// <c>interleave</c> whose nested datasets are read on background threads (TensorFlow's
/// <c>ParallelInterleaveDataset</c> of <c>tf.data.experimental.parallel_interleave</c> and
/// <c>ParallelInterleaveDatasetV2</c> of <c>interleave(num_parallel_calls=n)</c>). Each of the
/// <c>cycle_length</c> open datasets, and each of up to <c>prefetch_input_elements</c> datasets made ahead of
/// their turn, has a thread that makes the dataset with <c>f</c> and reads its elements into a buffer of
/// <c>buffer_output_elements</c>. Unless <c>sloppy</c>, the consumer takes the elements in exactly
/// <see cref="InterleaveDataset"/>'s order, waiting for a slow dataset; with <c>sloppy</c> it takes an element of the
/// next dataset that has one ready instead. With a <c>num_parallel_calls</c> limit, at most that many threads read
/// at once. Errors come out in the failing element's place; the dataset goes on after them.
/// </summary>
internal sealed class ParallelInterleaveDataset(DatasetBase input, DatasetFunction.Instance f, long cycleLength, long blockLength, bool sloppy,
    long bufferOutputElements, long prefetchInputElements, int parallelCalls, DType[] types, Shape[] shapes, string opName) : DatasetBase(types, shapes)
{
    private readonly DatasetBase _input = input;
    private readonly DatasetFunction.Instance _f = f;
    private readonly long _cycleLength = cycleLength;
    private readonly long _blockLength = blockLength;
    private readonly bool _sloppy = sloppy;
    private readonly long _bufferOutputElements = bufferOutputElements;
    private readonly long _prefetchInputElements = prefetchInputElements;
    private readonly int _parallelCalls = parallelCalls;
    private readonly string _opName = opName;

    private static int _liveThreads;

    /// <summary>Number of worker threads running in the process (for tests that check they end).</summary>
    internal static int LiveThreads => Volatile.Read(ref _liveThreads);

    public override IElementIterator MakeIterator() => new Iterator(this);

    /// <summary>One item of a worker's buffer: an element, an error, or (both null) the end of its dataset.</summary>
    private readonly record struct Item(NDArray[]? Element, Exception? Error);

    /// <summary>A thread reading one nested dataset into a bounded buffer.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly BlockingCollection<Item> _buffer;
        private readonly CancellationToken _token;
        private readonly Thread _thread;

        public Worker(ParallelInterleaveDataset owner, NDArray[] arg, SemaphoreSlim? limit, CancellationToken token)
        {
            _buffer = new BlockingCollection<Item>((int)Math.Clamp(owner._bufferOutputElements, 1, 1 << 20));
            _token = token;
            _thread = new Thread(() => Run(owner, arg, limit)) { IsBackground = true, Name = "SharpFlow parallel_interleave" };
            Interlocked.Increment(ref _liveThreads);
            _thread.Start();
        }

        private void Run(ParallelInterleaveDataset owner, NDArray[] arg, SemaphoreSlim? limit)
        {
            IElementIterator? it = null;
            try
            {
                while (!_token.IsCancellationRequested)
                {
                    Item item;
                    limit?.Wait(_token);
                    try
                    {
                        it ??= Of(owner._f.Call(arg)[0], msg => new InvalidArgumentError(msg, owner._opName)).MakeIterator();
                        item = new Item(it.Next(), null);
                    }
                    catch (Exception e) when (e is not OperationCanceledException) { item = new Item(null, e); }
                    finally { limit?.Release(); }
                    _buffer.Add(item, _token);
                    if (item.Element is null && (item.Error is null || it is null))
                    {
                        // The end, or a dataset that could not be made: nothing more comes from this one.
                        if (item.Error is not null) _buffer.Add(default, _token);
                        break;
                    }
                }
            }
            catch (OperationCanceledException) { }
            finally
            {
                it?.Dispose();
                Interlocked.Decrement(ref _liveThreads);
            }
        }

        /// <summary>The next item, waiting for it.</summary>
        public Item Take()
        {
            try { return _buffer.Take(_token); }
            catch (OperationCanceledException) { throw new FailedPreconditionError("The iterator was closed while waiting for the next element."); }
        }

        /// <summary>The next item if one is ready.</summary>
        public bool TryTake(out Item item, int millisecondsTimeout = 0)
        {
            try { return _buffer.TryTake(out item, millisecondsTimeout, _token); }
            catch (OperationCanceledException) { throw new FailedPreconditionError("The iterator was closed while waiting for the next element."); }
        }

        /// <summary>Waits for the thread (stopped by the iterator's token) and frees the buffer once it has ended.</summary>
        public void Dispose()
        {
            // A thread busy in a long element is left to finish alone, its buffer with it.
            if (_thread.Join(TimeSpan.FromSeconds(5))) _buffer.Dispose();
        }
    }

    private sealed class Iterator(ParallelInterleaveDataset owner) : IElementIterator
    {
        private readonly IElementIterator _input = owner._input.MakeIterator();
        private readonly Worker?[] _slots = new Worker?[owner._cycleLength];
        private readonly long[] _blockCounts = new long[owner._cycleLength];
        private readonly Queue<Worker> _staged = new();
        private readonly List<Worker> _all = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly SemaphoreSlim? _limit = owner._parallelCalls > 0 ? new SemaphoreSlim(owner._parallelCalls) : null;
        private bool _started, _endOfInput, _disposed;
        private long _cycleIndex;
        private int _numOpen;

        /// <summary>A worker for the next input element, or null at the end of the input.</summary>
        private Worker? StartNext()
        {
            if (_endOfInput) return null;
            if (_input.Next() is not { } arg)
            {
                _endOfInput = true;
                return null;
            }
            var w = new Worker(owner, arg, _limit, _stop.Token);
            _all.Add(w);
            return w;
        }

        private void TopUpStaging()
        {
            while (_staged.Count < owner._prefetchInputElements && StartNext() is { } w) _staged.Enqueue(w);
        }

        /// <summary>Puts a new nested dataset into the empty slot <paramref name="slot"/>; false when there is none left.</summary>
        private bool Fill(long slot)
        {
            var w = _staged.Count > 0 ? _staged.Dequeue() : StartNext();
            if (w is null) return false;
            _slots[slot] = w;
            _blockCounts[slot] = 0;
            _numOpen++;
            TopUpStaging();
            return true;
        }

        private void Advance() => _cycleIndex = (_cycleIndex + 1) % owner._cycleLength;

        /// <summary>Acts on an item of slot <paramref name="slot"/>: true (and the element) when it is one to return.</summary>
        private bool Handle(long slot, Item item, out NDArray[]? element)
        {
            element = item.Element;
            if (item.Element is null && item.Error is null)
            {
                _slots[slot] = null;
                _numOpen--;
                if (slot == _cycleIndex) Advance();
                return false;
            }
            _cycleIndex = slot;
            if (++_blockCounts[slot] >= owner._blockLength)
            {
                _blockCounts[slot] = 0;
                Advance();
            }
            if (item.Error is not null) ExceptionDispatchInfo.Capture(item.Error).Throw();
            return true;
        }

        public NDArray[]? Next()
        {
            if (_disposed) return null;
            if (!_started)
            {
                _started = true;
                // The cycle's datasets in input order, then the ones made ahead.
                for (long i = 0; i < owner._cycleLength && StartNext() is { } w; i++)
                {
                    _slots[i] = w;
                    _numOpen++;
                }
                TopUpStaging();
            }
            while (_numOpen > 0 || _staged.Count > 0 || !_endOfInput)
            {
                if (owner._sloppy && TrySloppy(out var ready)) return ready;
                var slot = _cycleIndex;
                if (_slots[slot] is { } worker)
                {
                    Item item;
                    if (!owner._sloppy) item = worker.Take();
                    else if (!worker.TryTake(out item, 1)) continue;
                    if (Handle(slot, item, out var e)) return e;
                }
                else if (!Fill(slot)) Advance();
            }
            return null;
        }

        /// <summary>Sloppy: an element of whichever slot (from the current one on) has one ready.</summary>
        private bool TrySloppy(out NDArray[]? element)
        {
            element = null;
            for (long k = 0; k < owner._cycleLength; k++)
            {
                var slot = (_cycleIndex + k) % owner._cycleLength;
                if (_slots[slot] is null && !Fill(slot)) continue;
                if (_slots[slot]!.TryTake(out var item) && Handle(slot, item, out element)) return true;
            }
            return false;
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _stop.Cancel();
            foreach (var w in _all) w.Dispose();
            _input.Dispose();
        }
    }
}
