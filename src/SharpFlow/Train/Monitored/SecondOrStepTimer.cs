using System.Diagnostics;

namespace SharpFlow.Train.Monitored;

/// <summary><c>tf.train.SecondOrStepTimer</c>: triggers every N seconds or every N steps.</summary>
public class SecondOrStepTimer
{
    private readonly double? _everySecs;
    private readonly long? _everySteps;
    private double? _lastTime;
    private long? _lastStep;

    /// <summary>A timer for exactly one of <paramref name="every_secs"/> and <paramref name="every_steps"/>.</summary>
    public SecondOrStepTimer(double? every_secs = null, long? every_steps = null)
    {
        if (every_secs is null && every_steps is null) throw new ValueError("Either every_secs or every_steps should be provided.");
        if (every_secs is not null && every_steps is not null) throw new ValueError("Can not provide both every_secs and every_steps.");
        _everySecs = every_secs;
        _everySteps = every_steps;
    }

    private static double Now => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>Forgets the last trigger.</summary>
    public void reset()
    {
        _lastTime = null;
        _lastStep = null;
    }

    /// <summary>Whether <paramref name="step"/> should trigger: the first time, or once enough seconds or steps have passed.</summary>
    public bool should_trigger_for_step(long step)
    {
        if (_lastStep is null) return true;
        if (_lastStep == step) return false;
        if (_everySecs is { } secs && Now >= _lastTime!.Value + secs) return true;
        if (_everySteps is { } steps && step >= _lastStep.Value + steps) return true;
        return false;
    }

    /// <summary>Records a trigger at <paramref name="step"/>; returns the seconds and steps since the previous one (null the first time).</summary>
    public (double? elapsed_secs, long? elapsed_steps) update_last_triggered_step(long step)
    {
        var now = Now;
        (double?, long?) elapsed = _lastTime is null ? (null, null) : (now - _lastTime.Value, step - _lastStep!.Value);
        _lastTime = now;
        _lastStep = step;
        return elapsed;
    }

    /// <summary>The step of the last trigger, or null.</summary>
    public long? last_triggered_step() => _lastStep;
}
