using SharpFlow.Execution;
using SharpFlow.Train.Input;

namespace SharpFlow.Train.Monitored;

/// <summary>
/// <c>tf.train.SessionRunHook</c>: code that a <see cref="MonitoredSession"/> calls around its life and every
/// <c>run</c>: <see cref="begin"/> before the graph is finalized, <see cref="after_create_session"/> once the session
/// exists, <see cref="before_run"/>/<see cref="after_run"/> around each run (whose fetches and feeds the hook may add
/// to), and <see cref="end"/> when the session closes without error.
/// </summary>
public abstract class SessionRunHook
{
    /// <summary>Called once before the session is created; the graph may still be changed here.</summary>
    public virtual void begin() { }

    /// <summary>Called when the session has been created (and restored or initialised); the graph is finalized.</summary>
    public virtual void after_create_session(Session session, Coordinator coord) { }

    /// <summary>Called before each run; what it returns is added to that run's fetches and feeds.</summary>
    public virtual SessionRunArgs? before_run(SessionRunContext run_context) => null;

    /// <summary>Called after each run with the values of the fetches this hook asked for.</summary>
    public virtual void after_run(SessionRunContext run_context, SessionRunValues run_values) { }

    /// <summary>Called when the session is closed without an error.</summary>
    public virtual void end(Session session) { }
}

/// <summary>
/// <c>tf.train.SessionRunArgs</c>: what a hook adds to a run. <paramref name="fetches"/> is a tensor, an operation, a
/// list of them, or a dictionary from names to any of these; the results come back in the same structure.
/// </summary>
public sealed class SessionRunArgs(object? fetches, FeedDict? feed_dict = null, RunOptions? options = null)
{
    /// <summary>The fetches (a tensor, operation, list or dictionary).</summary>
    public object? fetches { get; } = fetches;

    /// <summary>The tensors to feed.</summary>
    public FeedDict? feed_dict { get; } = feed_dict;

    /// <summary>The run options.</summary>
    public RunOptions? options { get; } = options;
}

/// <summary><c>tf.train.SessionRunContext</c>: the run being made, and a way for hooks to ask the loop to stop.</summary>
public sealed class SessionRunContext(SessionRunArgs original_args, Session session)
{
    /// <summary>The caller's fetches and feeds.</summary>
    public SessionRunArgs original_args { get; } = original_args;

    /// <summary>The underlying session (run further ops with it, not with the monitored session).</summary>
    public Session session { get; } = session;

    /// <summary>Whether a hook asked to stop.</summary>
    public bool stop_requested { get; private set; }

    /// <summary>Asks the monitored session to stop: <c>should_stop()</c> becomes true after this run.</summary>
    public void request_stop() => stop_requested = true;
}

/// <summary><c>tf.train.SessionRunValues</c>: the values of a hook's fetches after a run.</summary>
public sealed class SessionRunValues(object? results, RunOptions? options, RunMetadata? run_metadata)
{
    /// <summary>The results, in the structure of the hook's fetches (an <see cref="NDArray"/> for a tensor, null for an operation).</summary>
    public object? results { get; } = results;

    /// <summary>The run options.</summary>
    public RunOptions? options { get; } = options;

    /// <summary>The run metadata.</summary>
    public RunMetadata? run_metadata { get; } = run_metadata;
}
