using System.Collections.Concurrent;
using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// <c>prefetch(buffer_size)</c>: a background thread reads ahead from the input into a bounded buffer, so the
/// input's work overlaps with the consumer's. Errors reach the consumer in order; disposing the iterator (a new
/// initialisation, the session's close) stops the thread.
/// </summary>
internal sealed class PrefetchDataset(DatasetBase input, long bufferSize) : DatasetBase(input.Types, input.Shapes)
{
    /// <summary>The buffer size AUTOTUNE (-1) stands for.</summary>
    public const int AutotuneBuffer = 8;

    private static int _liveThreads;

    /// <summary>Number of prefetch threads running in the process (for tests that check they end).</summary>
    internal static int LiveThreads => Volatile.Read(ref _liveThreads);

    public override IElementIterator MakeIterator() => new Iterator(input.MakeIterator(), bufferSize < 0 ? AutotuneBuffer : (int)Math.Max(1, bufferSize));

    private sealed class Iterator : IElementIterator
    {
        private readonly BlockingCollection<(NDArray[]? Element, Exception? Error)> _buffer;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private bool _ended;

        public Iterator(IElementIterator source, int size)
        {
            _buffer = new BlockingCollection<(NDArray[]?, Exception?)>(size);
            _thread = new Thread(() => Produce(source)) { IsBackground = true, Name = "SharpFlow prefetch" };
            Interlocked.Increment(ref _liveThreads);
            _thread.Start();
        }

        private void Produce(IElementIterator source)
        {
            var token = _stop.Token;
            try
            {
                while (!token.IsCancellationRequested)
                {
                    (NDArray[]?, Exception?) item;
                    try { item = (source.Next(), null); }
                    catch (Exception e) { item = (null, e); }
                    _buffer.Add(item, token);
                    // An element's error is passed on in its place and the reading goes on, as TensorFlow's prefetch does.
                    if (item.Item1 is null && item.Item2 is null) break;
                }
            }
            catch (OperationCanceledException) { }
            finally
            {
                source.Dispose();
                Interlocked.Decrement(ref _liveThreads);
            }
        }

        public NDArray[]? Next()
        {
            if (_ended) return null;
            (NDArray[]? Element, Exception? Error) item;
            try { item = _buffer.Take(_stop.Token); }
            catch (OperationCanceledException) { throw new FailedPreconditionError("The iterator was closed while waiting for the next element."); }
            var (element, error) = item;
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
            if (element is null) _ended = true;
            return element;
        }

        public void Dispose()
        {
            _ended = true;
            _stop.Cancel();
            // The producer checks the token between elements; one busy in a long element is left to finish alone.
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }
}
