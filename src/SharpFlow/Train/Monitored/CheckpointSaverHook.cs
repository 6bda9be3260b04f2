using SharpFlow.Summaries;
using SharpFlow.Train.Input;

namespace SharpFlow.Train.Monitored;

/// <summary>
/// <c>tf.train.CheckpointSaverHook</c>: saves <c>checkpoint_dir/model.ckpt-STEP</c> when the session is created,
/// every <c>save_secs</c> seconds or <c>save_steps</c> steps, and at the end.
/// </summary>
public sealed class CheckpointSaverHook : SessionRunHook
{
    private readonly string _checkpointDir;
    private readonly string _savePath;
    private readonly Saver? _saver;
    private readonly Scaffold? _scaffold;
    private readonly SecondOrStepTimer _timer;
    private Variable? _globalStep;
    private FileWriter? _writer;

    /// <summary>A hook saving into <paramref name="checkpoint_dir"/> with <paramref name="saver"/> or the scaffold's saver (not both).</summary>
    public CheckpointSaverHook(string checkpoint_dir, double? save_secs = null, long? save_steps = null, Saver? saver = null,
        string checkpoint_basename = "model.ckpt", Scaffold? scaffold = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint_dir);
        if (saver is not null && scaffold is not null) throw new ValueError("You cannot provide both saver and scaffold.");
        _checkpointDir = checkpoint_dir;
        _savePath = Path.Combine(checkpoint_dir, checkpoint_basename);
        _saver = saver;
        _scaffold = scaffold;
        _timer = new SecondOrStepTimer(save_secs, save_steps);
    }

    /// <inheritdoc/>
    public override void begin()
    {
        _writer = SummaryWriterCache.get(_checkpointDir);
        _globalStep = HookUtil.GlobalStep(nameof(CheckpointSaverHook));
    }

    /// <inheritdoc/>
    public override void after_create_session(Session session, Coordinator coord)
    {
        var step = HookUtil.Step(session, _globalStep!);
        _writer!.add_graph(session.graph);
        Save(session, step);
        _timer.update_last_triggered_step(step);
    }

    /// <inheritdoc/>
    public override SessionRunArgs? before_run(SessionRunContext run_context) => new(_globalStep);

    /// <inheritdoc/>
    public override void after_run(SessionRunContext run_context, SessionRunValues run_values)
    {
        if (!_timer.should_trigger_for_step(HookUtil.Step(run_values.results) + 1)) return;
        var step = HookUtil.Step(run_context.session, _globalStep!);
        if (_timer.should_trigger_for_step(step))
        {
            _timer.update_last_triggered_step(step);
            Save(run_context.session, step);
        }
    }

    /// <inheritdoc/>
    public override void end(Session session)
    {
        var step = HookUtil.Step(session, _globalStep!);
        if (step != _timer.last_triggered_step()) Save(session, step);
    }

    private void Save(Session session, long step)
    {
        HookUtil.Info($"Saving checkpoints for {step} into {_savePath}.");
        var saver = _saver ?? _scaffold?.saver ?? session.graph.get_collection(GraphKeys.SAVERS).OfType<Saver>().FirstOrDefault()
            ?? throw new InvalidOperationException("No items in collection savers. Please provide a saver or a scaffold.");
        saver.save(session, _savePath, checked((int)step));
    }
}
