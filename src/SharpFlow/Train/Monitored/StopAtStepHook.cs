using SharpFlow.Train.Input;

namespace SharpFlow.Train.Monitored;

/// <summary><c>tf.train.StopAtStepHook</c>: asks to stop once the global step reaches <c>last_step</c> (or start + <c>num_steps</c>).</summary>
public sealed class StopAtStepHook : SessionRunHook
{
    private readonly long? _numSteps;
    private long? _lastStep;
    private Variable? _globalStep;

    /// <summary>Stops after <paramref name="num_steps"/> more steps, or at <paramref name="last_step"/>; give exactly one.</summary>
    public StopAtStepHook(long? num_steps = null, long? last_step = null)
    {
        if (num_steps is null && last_step is null) throw new ValueError("One of num_steps or last_step must be specified.");
        if (num_steps is not null && last_step is not null) throw new ValueError("Only one of num_steps or last_step can be specified.");
        _numSteps = num_steps;
        _lastStep = last_step;
    }

    /// <inheritdoc/>
    public override void begin() => _globalStep = HookUtil.GlobalStep(nameof(StopAtStepHook));

    /// <inheritdoc/>
    public override void after_create_session(Session session, Coordinator coord)
    {
        if (_lastStep is null) _lastStep = HookUtil.Step(session, _globalStep!) + _numSteps!.Value;
    }

    /// <inheritdoc/>
    public override SessionRunArgs? before_run(SessionRunContext run_context) => new(_globalStep);

    /// <inheritdoc/>
    public override void after_run(SessionRunContext run_context, SessionRunValues run_values)
    {
        var globalStep = HookUtil.Step(run_values.results) + 1;
        if (globalStep >= _lastStep)
        {
            // The value fetched with the train op may be from before or after its increment: read it again.
            var step = HookUtil.Step(run_context.session, _globalStep!);
            if (step >= _lastStep) run_context.request_stop();
        }
    }
}
