using SharpFlow.Summaries;

namespace SharpFlow.Train.Monitored;

/// <summary>
/// <c>tf.train.SummarySaverHook</c>: runs the summary op (its own, or the scaffold's) every <c>save_steps</c> steps
/// or <c>save_secs</c> seconds and writes the result at the global step into <c>output_dir</c>'s event file.
/// </summary>
public sealed class SummarySaverHook : SessionRunHook
{
    private readonly SecondOrStepTimer _timer;
    private readonly string? _outputDir;
    private readonly Scaffold? _scaffold;
    private readonly IReadOnlyList<Tensor>? _summaryOp;
    private FileWriter? _writer;
    private Variable? _globalStep;
    private long? _nextStep;
    private bool _requestSummary;

    /// <summary>A hook with exactly one of <paramref name="scaffold"/> and <paramref name="summary_op"/>.</summary>
    public SummarySaverHook(long? save_steps = null, double? save_secs = null, string? output_dir = null, FileWriter? summary_writer = null,
        Scaffold? scaffold = null, Tensor? summary_op = null)
        : this(save_steps, save_secs, output_dir, summary_writer, scaffold, summary_op is null ? null : [summary_op])
    {
    }

    /// <summary>A hook running several summary ops.</summary>
    public SummarySaverHook(long? save_steps, double? save_secs, string? output_dir, FileWriter? summary_writer, Scaffold? scaffold, IReadOnlyList<Tensor>? summary_op)
    {
        if ((scaffold is null && summary_op is null) || (scaffold is not null && summary_op is not null))
            throw new ValueError("Exactly one of scaffold or summary_op must be provided.");
        _summaryOp = summary_op;
        _writer = summary_writer;
        _outputDir = output_dir;
        _scaffold = scaffold;
        _timer = new SecondOrStepTimer(save_secs, save_steps);
    }

    /// <inheritdoc/>
    public override void begin()
    {
        if (_writer is null && _outputDir is not null) _writer = SummaryWriterCache.get(_outputDir);
        _nextStep = null;
        _globalStep = HookUtil.GlobalStep(nameof(SummarySaverHook));
    }

    private IReadOnlyList<Tensor>? SummaryOps() => _summaryOp ?? (_scaffold?.summary_op is { } op ? [op] : null);

    /// <inheritdoc/>
    public override SessionRunArgs? before_run(SessionRunContext run_context)
    {
        _requestSummary = _nextStep is null || _timer.should_trigger_for_step(_nextStep.Value);
        var requests = new Dictionary<string, object> { ["global_step"] = _globalStep! };
        if (_requestSummary && SummaryOps() is { } ops) requests["summary"] = ops.Cast<ITensorOrOperation>().ToList();
        return new SessionRunArgs(requests);
    }

    /// <inheritdoc/>
    public override void after_run(SessionRunContext run_context, SessionRunValues run_values)
    {
        if (_writer is null) return;
        var results = (Dictionary<string, object?>)run_values.results!;
        var globalStep = HookUtil.Step(results["global_step"]) + 1;
        if (_nextStep is null || _requestSummary) globalStep = HookUtil.Step(run_context.session, _globalStep!);
        if (_requestSummary)
        {
            _timer.update_last_triggered_step(globalStep);
            if (results.TryGetValue("summary", out var summaries) && summaries is object?[] list)
                foreach (var s in list.OfType<NDArray>()) _writer.add_summary(s, globalStep);
        }
        _nextStep = globalStep + 1;
    }

    /// <inheritdoc/>
    public override void end(Session session) => _writer?.flush();
}
