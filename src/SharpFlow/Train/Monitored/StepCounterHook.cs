using SharpFlow.Summaries;

namespace SharpFlow.Train.Monitored;

/// <summary><c>tf.train.StepCounterHook</c>: writes (and logs) the steps per second as the summary <c>global_step/sec</c>.</summary>
public sealed class StepCounterHook : SessionRunHook
{
    private readonly SecondOrStepTimer _timer;
    private readonly string? _outputDir;
    private readonly int _stepsPerRun;
    private FileWriter? _writer;
    private Variable? _globalStep;
    private string _tag = "global_step/sec";
    private long? _lastGlobalStep;
    private int _warnings;

    /// <summary>Counts every <paramref name="every_n_steps"/> steps or every <paramref name="every_n_secs"/> seconds (exactly one).</summary>
    public StepCounterHook(long? every_n_steps = 100, double? every_n_secs = null, string? output_dir = null, FileWriter? summary_writer = null, int steps_per_run = 1)
    {
        if ((every_n_steps is null) == (every_n_secs is null)) throw new ValueError("exactly one of every_n_steps and every_n_secs should be provided.");
        _timer = new SecondOrStepTimer(every_n_secs, every_n_steps);
        _outputDir = output_dir;
        _writer = summary_writer;
        _stepsPerRun = steps_per_run;
    }

    /// <inheritdoc/>
    public override void begin()
    {
        if (_writer is null && _outputDir is not null) _writer = SummaryWriterCache.get(_outputDir);
        _globalStep = HookUtil.GlobalStep(nameof(StepCounterHook));
        _tag = _globalStep.op.name + "/sec";
    }

    /// <inheritdoc/>
    public override SessionRunArgs? before_run(SessionRunContext run_context) => new(_globalStep);

    /// <inheritdoc/>
    public override void after_run(SessionRunContext run_context, SessionRunValues run_values)
    {
        var stale = HookUtil.Step(run_values.results);
        if (_timer.should_trigger_for_step(stale + _stepsPerRun))
        {
            var step = HookUtil.Step(run_context.session, _globalStep!);
            if (_timer.should_trigger_for_step(step))
            {
                var (secs, steps) = _timer.update_last_triggered_step(step);
                if (secs is { } s && steps is { } n)
                {
                    var perSec = n / Math.Max(s, 1e-9);
                    _writer?.add_summary(new Summary([SummaryValue.FromScalar(_tag, perSec)]), step);
                    HookUtil.Info(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_tag}: {perSec:G6}"));
                }
            }
        }
        if (stale == _lastGlobalStep && _warnings++ < 5)
            HookUtil.Warning("It seems that global step (tf.train.get_global_step) has not been increased. Current value (could be stable): "
                + stale + " vs previous value: " + stale + ". You could increase the global step by passing tf.train.get_global_step() to Optimizer.apply_gradients or Optimizer.minimize.");
        _lastGlobalStep = stale;
    }
}
