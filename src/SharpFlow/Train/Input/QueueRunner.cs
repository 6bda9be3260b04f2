using SharpFlow.Framework;

namespace SharpFlow.Train.Input;

/// <summary>
/// TensorFlow's <c>tf.train.QueueRunner</c>: one thread per enqueue op runs it in a loop in a session until the
/// queue it reads from is exhausted (OutOfRangeError) or closed (CancelledError), the coordinator asks to stop,
/// or the session is closed. When the last of its threads ends at a closed input it closes the queue; when the
/// coordinator stops it cancels the queue's pending enqueues.
/// </summary>
public sealed class QueueRunner
{
    private readonly object _lock = new();
    private readonly Dictionary<Session, int> _runsPerSession = [];
    private readonly List<Exception> _exceptionsRaised = [];

    /// <summary>A runner of <paramref name="enqueue_ops"/> into <paramref name="queue"/>.</summary>
    public QueueRunner(QueueBase queue, IEnumerable<Operation> enqueue_ops, Operation? close_op = null, Operation? cancel_op = null,
        IEnumerable<Type>? queue_closed_exception_types = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(enqueue_ops);
        this.queue = queue;
        this.enqueue_ops = enqueue_ops.ToList();
        if (this.enqueue_ops.Count == 0) throw new ValueError("enqueue_ops must not be empty");
        this.close_op = close_op ?? queue.close();
        this.cancel_op = cancel_op ?? queue.close(cancel_pending_enqueues: true);
        QueueClosedExceptionTypes = (queue_closed_exception_types ?? [typeof(OutOfRangeError)]).ToArray();
    }

    /// <summary>The queue the enqueue ops fill.</summary>
    public QueueBase queue { get; }

    /// <summary>The enqueue ops, one thread each.</summary>
    public IReadOnlyList<Operation> enqueue_ops { get; }

    /// <summary>Closes the queue once every thread has ended at a closed input.</summary>
    public Operation close_op { get; }

    /// <summary>Closes the queue and cancels pending enqueues when the coordinator stops.</summary>
    public Operation cancel_op { get; }

    /// <summary>The queue's name.</summary>
    public string name => queue.name;

    private Type[] QueueClosedExceptionTypes { get; }

    /// <summary>Exceptions the threads raised when they ran without a coordinator.</summary>
    public IReadOnlyList<Exception> exceptions_raised
    {
        get { lock (_lock) return [.. _exceptionsRaised]; }
    }

    /// <summary>
    /// Creates (and with <paramref name="start"/> starts) the threads that run the enqueue ops in
    /// <paramref name="sess"/>; none when they already run in that session. Threads are background threads
    /// when <paramref name="daemon"/>.
    /// </summary>
    public List<Thread> create_threads(Session sess, Coordinator? coord = null, bool daemon = false, bool start = false)
    {
        ArgumentNullException.ThrowIfNull(sess);
        lock (_lock)
        {
            if (_runsPerSession.TryGetValue(sess, out var running) && running > 0) return [];
            _runsPerSession[sess] = enqueue_ops.Count;
            _exceptionsRaised.Clear();
        }
        var threads = new List<Thread>();
        var enqueueThreads = new List<Thread>();
        foreach (var op in enqueue_ops)
        {
            var t = new Thread(() => NeverThrow(() => Run(sess, op, coord))) { Name = $"QueueRunnerThread-{name}-{op.name}", IsBackground = daemon };
            threads.Add(t);
            enqueueThreads.Add(t);
        }
        if (coord is not null)
            threads.Add(new Thread(() => NeverThrow(() => CloseOnStop(sess, coord, enqueueThreads))) { Name = $"QueueRunnerThread-{name}-close_on_stop", IsBackground = daemon });
        foreach (var t in threads)
        {
            coord?.register_thread(t);
            if (start) t.Start();
        }
        return threads;
    }

    private void Run(Session sess, Operation enqueueOp, Coordinator? coord)
    {
        var decremented = false;
        try
        {
            while (true)
            {
                if (coord is not null && coord.should_stop()) break;
                try
                {
                    sess.run(enqueueOp);
                }
                catch (Exception e) when (QueueClosedExceptionTypes.Any(t => t.IsInstanceOfType(e)))
                {
                    lock (_lock)
                    {
                        _runsPerSession[sess]--;
                        decremented = true;
                        if (_runsPerSession[sess] == 0) IgnoreErrors(() => sess.run(close_op));
                    }
                    return;
                }
            }
        }
        catch (Exception e) when (EndsQuietly(e))
        {
            // The queue was cancelled or the session closed under the thread: the run is over, not failed.
        }
#pragma warning disable CA1031 // a runner thread hands every failure to its coordinator, as TensorFlow's does
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A coordinator already joined re-raises what it is given; nobody waits for it any more, so the
            // runner keeps the exception itself rather than let it end the process.
            if (coord is null || !TryRequestStop(coord, e)) Report(e);
        }
        finally
        {
            if (!decremented)
                lock (_lock) _runsPerSession[sess]--;
        }
    }

    private static bool TryRequestStop(Coordinator coord, Exception e)
    {
        try
        {
            coord.request_stop(e);
            return true;
        }
#pragma warning disable CA1031 // see the caller: the thread must not end the process
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private void Report(Exception e)
    {
        lock (_lock) _exceptionsRaised.Add(e);
        Console.Error.WriteLine($"Exception in QueueRunner: {e.Message}");
    }

    // The last guard of a runner thread: an exception escaping a thread ends a .NET process (a Python thread only
    // prints it), so whatever the body lets through is kept in exceptions_raised instead.
    private void NeverThrow(Action body)
    {
        try
        {
            body();
        }
#pragma warning disable CA1031
        catch (Exception e)
#pragma warning restore CA1031
        {
            Report(e);
        }
    }

    // A cancelled enqueue (the coordinator's cancel op, or the session closing) and a closed session end a thread cleanly.
    private static bool EndsQuietly(Exception e) =>
        e is CancelledError || e is ObjectDisposedException
        || (e is FailedPreconditionError f && f.RawMessage.Contains("Session", StringComparison.Ordinal) && f.RawMessage.Contains("closed", StringComparison.Ordinal));

    private void CloseOnStop(Session sess, Coordinator coord, List<Thread> enqueueThreads)
    {
        // TensorFlow's thread waits for the stop alone; this one also ends once every enqueue thread has, so a
        // program that never asks for a stop leaves no thread behind.
        while (!coord.wait_for_stop(0.05))
            if (enqueueThreads.All(t => !t.IsAlive && t.ThreadState != ThreadState.Unstarted)) return;
        IgnoreErrors(() => sess.run(cancel_op));
    }

    private static void IgnoreErrors(Action action)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // TensorFlow ignores errors of the close and cancel ops
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
