using SharpFlow.Execution;
using SharpFlow.Train.Input;

namespace SharpFlow.Train.Monitored;

/// <summary>
/// <c>tf.train.MonitoredSession</c>: a session that its creator prepares (restore or initialise, local init, ready
/// check), that starts the graph's queue runners under a <see cref="Coordinator"/>, and that calls its hooks around
/// every <c>run</c>, merging their fetches and feeds with the caller's. <see cref="should_stop"/> turns true when a
/// hook asks for it or the coordinator stops; closing calls the hooks' <c>end</c>, stops the queue runners and closes
/// the session. As in TensorFlow, an <see cref="OutOfRangeError"/> from <c>run</c> marks the end of the input: catch
/// it around the loop (Python's <c>with</c> block swallows it).
/// </summary>
public class MonitoredSession : IDisposable
{
    private readonly List<SessionRunHook> _hooks;
    private readonly double _stopGracePeriodSecs;
    private Session? _session;
    private Coordinator? _coord;
    private bool _shouldStop;
    private bool _closed;

    /// <summary>A monitored session on the default graph; <paramref name="session_creator"/> defaults to a <see cref="ChiefSessionCreator"/>.</summary>
    public MonitoredSession(SessionCreator? session_creator = null, IEnumerable<SessionRunHook>? hooks = null, double stop_grace_period_secs = 120)
    {
        _hooks = hooks?.ToList() ?? [];
        _stopGracePeriodSecs = stop_grace_period_secs;
        graph = Graph.get_default();
        foreach (var h in _hooks) h.begin();
        var creator = session_creator ?? new ChiefSessionCreator();
        using (graph.as_default())
        {
            _session = creator.create_session();
            try
            {
                _coord = new Coordinator(clean_stop_exception_types: []);
                QueueRunners.Start(_session, _coord);
                foreach (var h in _hooks) h.after_create_session(_session, _coord);
            }
            catch
            {
                StopCoordinatorAndClose();
                throw;
            }
        }
    }

    /// <summary>The graph the session runs.</summary>
    public Graph graph { get; }

    /// <summary>The underlying session (hooks are not called for runs made on it).</summary>
    protected Session RawSession => _session ?? throw new InvalidOperationException("Session is already closed.");

    /// <summary>Whether the loop should stop: a hook asked for it, or the coordinator stopped (a queue runner failed or finished).</summary>
    public bool should_stop() => _closed || _shouldStop || (_coord?.should_stop() ?? true);

    /// <summary>Runs one tensor, calling the hooks; returns its value.</summary>
    public NDArray run(Tensor fetches, FeedDict? feed_dict = null, RunOptions? options = null, RunMetadata? run_metadata = null) =>
        (NDArray)RunStructure(fetches, feed_dict, options, run_metadata)!;

    /// <summary>Runs one operation, calling the hooks.</summary>
    public void run(Operation fetches, FeedDict? feed_dict = null, RunOptions? options = null, RunMetadata? run_metadata = null) =>
        RunStructure(fetches, feed_dict, options, run_metadata);

    /// <summary>Runs a list of tensors and operations, calling the hooks; an operation's value is null.</summary>
    public NDArray?[] run(IReadOnlyList<ITensorOrOperation> fetches, FeedDict? feed_dict = null, RunOptions? options = null, RunMetadata? run_metadata = null) =>
        ((object?[])RunStructure(fetches, feed_dict, options, run_metadata)!).Cast<NDArray?>().ToArray();

    /// <summary>Runs an operation (a train op) and a tensor (a loss): <c>var (_, loss) = sess.run((train_op, loss))</c>.</summary>
    public (NDArray?, NDArray) run((ITensorOrOperation, Tensor) fetches, FeedDict? feed_dict = null)
    {
        var r = run([fetches.Item1, fetches.Item2], feed_dict);
        return (r[0], r[1]!);
    }

    /// <summary>Runs an operation and two tensors.</summary>
    public (NDArray?, NDArray, NDArray) run((ITensorOrOperation, Tensor, Tensor) fetches, FeedDict? feed_dict = null)
    {
        var r = run([fetches.Item1, fetches.Item2, fetches.Item3], feed_dict);
        return (r[0], r[1]!, r[2]!);
    }

    /// <summary>
    /// Runs nested fetches (a tensor, an operation, a list, or a dictionary keyed by strings), calling the hooks;
    /// the values come back in the same structure (<see cref="NDArray"/>, <c>object?[]</c>, <c>Dictionary&lt;string, object?&gt;</c>).
    /// </summary>
    public object? run(object fetches, FeedDict? feed_dict = null, RunOptions? options = null, RunMetadata? run_metadata = null) =>
        RunStructure(fetches, feed_dict, options, run_metadata);

    private object? RunStructure(object? fetches, FeedDict? feedDict, RunOptions? options, RunMetadata? runMetadata)
    {
        var sess = RawSession;
        if (should_stop()) throw new InvalidOperationException("Run called even after should_stop requested.");
        var context = new SessionRunContext(new SessionRunArgs(fetches, feedDict), sess);

        var hookFetches = new List<(SessionRunHook Hook, object? Fetches)>();
        FeedDict? hookFeeds = null;
        var hookFed = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var hook in _hooks)
        {
            var request = hook.before_run(context);
            if (request is null) continue;
            if (request.fetches is not null) hookFetches.Add((hook, request.fetches));
            if (request.feed_dict is { Count: > 0 } feeds)
            {
                hookFeeds ??= [];
                foreach (var (t, v) in feeds)
                {
                    if (!hookFed.Add(t)) throw new InvalidOperationException($"Same tensor is fed by two hooks. Conflict(s): [{t.name}]");
                    hookFeeds[t] = v;
                }
            }
            options ??= request.options;
        }
        var feed = feedDict;
        if (hookFeeds is not null)
        {
            if (feedDict is null || feedDict.Count == 0) feed = hookFeeds;
            else
            {
                var conflicts = feedDict.Where(kv => hookFed.Contains(kv.Key)).Select(kv => kv.Key.name).ToList();
                if (conflicts.Count > 0) throw new InvalidOperationException($"Same tensor is fed by a SessionRunHook and user. Conflict(s): [{string.Join(", ", conflicts)}]");
                feed = [];
                foreach (var (t, v) in feedDict) feed[t] = v;
                foreach (var (t, v) in hookFeeds) feed[t] = v;
            }
        }

        var flat = new List<ITensorOrOperation>();
        FetchStructure.Flatten(fetches, flat);
        var callerCount = flat.Count;
        foreach (var (_, f) in hookFetches) FetchStructure.Flatten(f, flat);

        NDArray?[] values;
        try
        {
            values = flat.Count == 0 ? [] : sess.run(flat, feed, options, runMetadata);
        }
        catch (Exception ex) when (ex is not OutOfRangeError)
        {
            _coord?.request_stop(ex);
            throw;
        }

        var next = callerCount;
        foreach (var (hook, f) in hookFetches)
        {
            var results = FetchStructure.Rebuild(f, values, ref next);
            hook.after_run(context, new SessionRunValues(results, options, runMetadata));
        }
        foreach (var hook in _hooks)
            if (!hookFetches.Any(h => ReferenceEquals(h.Hook, hook)))
                hook.after_run(context, new SessionRunValues(null, options, runMetadata));
        _shouldStop |= context.stop_requested;
        next = 0;
        return FetchStructure.Rebuild(fetches, values, ref next);
    }

    /// <summary>Calls the hooks' <c>end</c>, stops the queue runners through the coordinator and closes the session.</summary>
    public void close()
    {
        if (_closed || _session is null) return;
        try
        {
            foreach (var h in _hooks) h.end(_session);
        }
        finally
        {
            StopCoordinatorAndClose();
        }
    }

    private void StopCoordinatorAndClose()
    {
        _closed = true;
        try
        {
            if (_coord is not null)
            {
                _coord.request_stop();
                _coord.join(stop_grace_period_secs: _stopGracePeriodSecs, ignore_live_threads: true);
            }
        }
        finally
        {
            _session?.close();
            _session = null;
        }
    }

    /// <summary>Closes the session (see <see cref="close"/>).</summary>
    public void Dispose()
    {
        close();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// <c>tf.train.SingularMonitoredSession</c>: a <see cref="MonitoredSession"/> for one process, made with a
/// <see cref="ChiefSessionCreator"/>, whose <see cref="raw_session"/> is available.
/// </summary>
public sealed class SingularMonitoredSession(IEnumerable<SessionRunHook>? hooks = null, Scaffold? scaffold = null, string master = "",
    ConfigProto? config = null, string? checkpoint_dir = null, double stop_grace_period_secs = 120, string? checkpoint_filename_with_path = null)
    : MonitoredSession(new ChiefSessionCreator(scaffold, master, config, checkpoint_dir, checkpoint_filename_with_path), hooks, stop_grace_period_secs)
{
    /// <summary>The underlying session: runs on it call no hook.</summary>
    public Session raw_session() => RawSession;
}
