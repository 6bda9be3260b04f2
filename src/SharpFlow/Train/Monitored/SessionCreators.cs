using SharpFlow.Execution;

namespace SharpFlow.Train.Monitored;

/// <summary><c>tf.train.SessionCreator</c>: makes the session a <see cref="MonitoredSession"/> runs on.</summary>
public abstract class SessionCreator
{
    /// <summary>A new, ready session.</summary>
    public abstract Session create_session();
}

/// <summary>
/// <c>tf.train.ChiefSessionCreator</c>: finalizes the scaffold, then restores the newest checkpoint of
/// <c>checkpoint_dir</c> (or <c>checkpoint_filename_with_path</c>) or, without one, runs the init op and init_fn; then
/// runs the local init op and checks that the model is ready.
/// </summary>
public sealed class ChiefSessionCreator(Scaffold? scaffold = null, string master = "", ConfigProto? config = null,
    string? checkpoint_dir = null, string? checkpoint_filename_with_path = null) : SessionCreator
{
    /// <summary>The scaffold whose ops prepare the session.</summary>
    public Scaffold scaffold { get; } = scaffold ?? new Scaffold();

    /// <summary>Unused: SharpFlow runs in process (TensorFlow's target, kept for transcription).</summary>
    public string master { get; } = master;

    /// <inheritdoc/>
    public override Session create_session()
    {
        var graph = Graph.get_default();
        scaffold.finalize(graph);
        var sess = new Session(graph, config);
        try
        {
            string? checkpoint = checkpoint_filename_with_path;
            if (checkpoint is null && checkpoint_dir is not null)
            {
                var state = CheckpointState.Read(checkpoint_dir, CheckpointState.DefaultFileName);
                if (state is not null && Saver.CheckpointExists(state.model_checkpoint_path)) checkpoint = state.model_checkpoint_path;
            }
            if (checkpoint is not null && scaffold.saver is not null)
            {
                Console.Error.WriteLine($"INFO:tensorflow:Restoring parameters from {checkpoint}");
                scaffold.saver.restore(sess, checkpoint);
            }
            else
            {
                sess.run(scaffold.init_op!, scaffold.init_feed_dict);
                scaffold.init_fn?.Invoke(scaffold, sess);
            }
            var notReady = SessionReadiness.NotReady(sess, scaffold.ready_for_local_init_op, scaffold);
            if (notReady is not null)
                throw new InvalidOperationException($"Init operations did not make model ready for local_init.  Init op: {scaffold.init_op!.name}, init fn: {(scaffold.init_fn is null ? "None" : "given")}, error: {notReady}");
            sess.run(scaffold.local_init_op!);
            notReady = SessionReadiness.NotReady(sess, scaffold.ready_op, scaffold);
            if (notReady is not null)
                throw new InvalidOperationException($"Init operations did not make model ready.  Init op: {scaffold.init_op!.name}, init fn: {(scaffold.init_fn is null ? "None" : "given")}, local_init_op: {scaffold.local_init_op!.name}, error: {notReady}");
            return sess;
        }
        catch
        {
            sess.close();
            throw;
        }
    }
}

/// <summary>
/// <c>tf.train.WorkerSessionCreator</c>: a session on a model another process (the chief) initialises; it runs only
/// the local init op, after waiting up to <c>max_wait_secs</c> for the model to be ready.
/// </summary>
public sealed class WorkerSessionCreator(Scaffold? scaffold = null, string master = "", ConfigProto? config = null, double max_wait_secs = 30 * 60) : SessionCreator
{
    /// <summary>The scaffold whose ops prepare the session.</summary>
    public Scaffold scaffold { get; } = scaffold ?? new Scaffold();

    /// <summary>Unused: SharpFlow runs in process.</summary>
    public string master { get; } = master;

    /// <inheritdoc/>
    public override Session create_session()
    {
        var graph = Graph.get_default();
        scaffold.finalize(graph);
        var sess = new Session(graph, config);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(max_wait_secs);
        while (true)
        {
            var notReady = SessionReadiness.NotReady(sess, scaffold.ready_for_local_init_op, scaffold);
            if (notReady is null) break;
            if (DateTime.UtcNow >= deadline)
            {
                sess.close();
                throw new TimeoutException($"Session was not ready after waiting {max_wait_secs} secs.");
            }
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(500, Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds))));
        }
        sess.run(scaffold.local_init_op!);
        return sess;
    }
}

/// <summary>Reads a ready op: null when ready, else what is missing.</summary>
internal static class SessionReadiness
{
    public static string? NotReady(Session sess, Tensor? readyOp, Scaffold scaffold)
    {
        if (readyOp is null) return null;
        var value = sess.run(readyOp);
        if (value.size == 0) return null;
        if (value.dtype == DType.@bool)
        {
            var flags = value.ToArray<bool>();
            if (flags.All(f => f)) return null;
            var names = scaffold.ReadyVariableNames.Count == flags.Length
                ? flags.Select((f, i) => f ? null : scaffold.ReadyVariableNames[i]).Where(n => n is not null)
                : flags.Select((f, i) => f ? null : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(n => n is not null);
            return "Variables not initialized: " + string.Join(", ", names);
        }
        return "Variables not initialized: " + value;
    }
}
