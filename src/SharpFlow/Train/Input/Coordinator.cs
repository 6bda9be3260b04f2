using System.Runtime.ExceptionServices;

namespace SharpFlow.Train.Input;

/// <summary>
/// TensorFlow's <c>tf.train.Coordinator</c>: threads check <see cref="should_stop"/>, any of them can
/// <see cref="request_stop"/> (with the exception that made it stop), and <see cref="join"/> waits for them and
/// re-raises the first exception reported. An <see cref="OutOfRangeError"/> is a clean stop, not an error.
/// </summary>
public sealed class Coordinator
{
    private readonly object _lock = new();
    private bool _stopRequested;
    private readonly Type[] _cleanStopExceptionTypes;
    private readonly List<Thread> _registered = [];
    private ExceptionDispatchInfo? _toRaise;
    private bool _joined;

    /// <summary>A coordinator; exceptions of <paramref name="clean_stop_exception_types"/> (default: OutOfRangeError) stop without being reported.</summary>
    public Coordinator(IEnumerable<Type>? clean_stop_exception_types = null) =>
        _cleanStopExceptionTypes = (clean_stop_exception_types ?? [typeof(OutOfRangeError)]).ToArray();

    /// <summary>True once a stop was requested.</summary>
    public bool should_stop()
    {
        lock (_lock) return _stopRequested;
    }

    /// <summary>True once <see cref="join"/> has finished.</summary>
    public bool joined
    {
        get { lock (_lock) return _joined; }
    }

    /// <summary>
    /// Asks every thread to stop. The first exception given before the stop (other than a clean-stop type) is the
    /// one <see cref="join"/> raises; exceptions given after it are ignored.
    /// </summary>
    public void request_stop(Exception? ex = null)
    {
        lock (_lock)
        {
            if (ex is not null && _cleanStopExceptionTypes.Any(t => t.IsInstanceOfType(ex))) ex = null;
            if (_joined)
            {
                // Nobody would see it after join: raise it to the caller, as TensorFlow does.
                if (ex is not null) ExceptionDispatchInfo.Capture(ex).Throw();
                return;
            }
            if (!_stopRequested)
            {
                if (ex is not null && _toRaise is null) _toRaise = ExceptionDispatchInfo.Capture(ex);
                _stopRequested = true;
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Forgets a stop request (and its exception) so the coordinator can be used again.</summary>
    public void clear_stop()
    {
        lock (_lock)
        {
            _joined = false;
            _toRaise = null;
            _stopRequested = false;
        }
    }

    /// <summary>Waits until a stop is requested, at most <paramref name="timeout"/> seconds (forever when null); true if it was.</summary>
    public bool wait_for_stop(double? timeout = null)
    {
        var deadline = timeout is { } seconds ? DateTime.UtcNow + TimeSpan.FromSeconds(Math.Max(0, seconds)) : DateTime.MaxValue;
        lock (_lock)
        {
            while (!_stopRequested)
            {
                if (timeout is null) Monitor.Wait(_lock);
                else
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) return false;
                    Monitor.Wait(_lock, left);
                }
            }
            return true;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>; an exception it throws requests a stop with that exception instead of
    /// propagating (Python's <c>with coord.stop_on_exception():</c>).
    /// </summary>
    public void stop_on_exception(Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            body();
        }
#pragma warning disable CA1031 // every exception is handed to the coordinator, as TensorFlow's context manager does
        catch (Exception e)
#pragma warning restore CA1031
        {
            request_stop(e);
        }
    }

    /// <summary>Adds a thread for <see cref="join"/> to wait on.</summary>
    public void register_thread(Thread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        lock (_lock)
            if (!_registered.Contains(thread)) _registered.Add(thread);
    }

    /// <summary>
    /// Waits until every thread (<paramref name="threads"/> and the registered ones) has finished or a stop was
    /// requested, then gives the threads <paramref name="stop_grace_period_secs"/> to finish. Re-raises the first
    /// reported exception; threads still running after the grace period are an error unless
    /// <paramref name="ignore_live_threads"/>.
    /// </summary>
    public void join(IEnumerable<Thread>? threads = null, double stop_grace_period_secs = 120, bool ignore_live_threads = false)
    {
        List<Thread> all;
        lock (_lock) all = [.. _registered];
        if (threads is not null)
            foreach (var t in threads)
                if (!all.Contains(t)) all.Add(t);

        while (all.Any(t => t.IsAlive) && !wait_for_stop(0.05)) { }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Max(0, stop_grace_period_secs));
        foreach (var t in all)
        {
            var left = deadline - DateTime.UtcNow;
            if (left > TimeSpan.Zero) t.Join(left);
        }
        var stragglers = all.Where(t => t.IsAlive).Select(t => t.Name ?? $"thread {t.ManagedThreadId}").ToList();

        ExceptionDispatchInfo? toRaise;
        lock (_lock)
        {
            _joined = true;
            _registered.Clear();
            toRaise = _toRaise;
        }
        toRaise?.Throw();
        if (stragglers.Count > 0 && !ignore_live_threads)
            throw new InvalidOperationException($"Coordinator stopped with threads still running: {string.Join(" ", stragglers)}");
    }

    /// <summary>Raises the exception a thread reported with <see cref="request_stop"/>, if any.</summary>
    public void raise_requested_exception()
    {
        ExceptionDispatchInfo? toRaise;
        lock (_lock) toRaise = _toRaise;
        toRaise?.Throw();
    }
}
