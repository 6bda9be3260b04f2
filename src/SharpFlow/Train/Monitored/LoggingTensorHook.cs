using System.Globalization;

namespace SharpFlow.Train.Monitored;

/// <summary>
/// <c>tf.train.LoggingTensorHook</c>: logs tensors (<c>INFO:tensorflow:loss = 0.5, step = 10 (0.123 sec)</c>) every
/// <c>every_n_iter</c> runs or <c>every_n_secs</c> seconds, and/or at the end; a <c>formatter</c> makes the line.
/// </summary>
public sealed class LoggingTensorHook : SessionRunHook
{
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;
    private readonly List<string> _tagOrder;
    private readonly SecondOrStepTimer _timer;
    private readonly bool _logAtEnd;
    private readonly Func<IReadOnlyDictionary<string, NDArray>, string>? _formatter;
    private long _iterCount;
    private bool _shouldTrigger;

    /// <summary>Logs tensors under the given tags (tags in sorted order).</summary>
    public LoggingTensorHook(IReadOnlyDictionary<string, Tensor> tensors, int? every_n_iter = null, double? every_n_secs = null, bool at_end = false,
        Func<IReadOnlyDictionary<string, NDArray>, string>? formatter = null)
        : this(tensors, [.. tensors.Keys.Order(StringComparer.Ordinal)], every_n_iter, every_n_secs, at_end, formatter)
    {
    }

    /// <summary>Logs tensors under their names, in the given order.</summary>
    public LoggingTensorHook(IEnumerable<Tensor> tensors, int? every_n_iter = null, double? every_n_secs = null, bool at_end = false,
        Func<IReadOnlyDictionary<string, NDArray>, string>? formatter = null)
        : this(Named(tensors), [.. tensors.Select(t => t.name)], every_n_iter, every_n_secs, at_end, formatter)
    {
    }

    private LoggingTensorHook(IReadOnlyDictionary<string, Tensor> tensors, List<string> tagOrder, int? everyNIter, double? everyNSecs, bool atEnd,
        Func<IReadOnlyDictionary<string, NDArray>, string>? formatter)
    {
        var onlyAtEnd = atEnd && everyNIter is null && everyNSecs is null;
        if (!onlyAtEnd && (everyNIter is null) == (everyNSecs is null))
            throw new ValueError("either at_end and/or exactly one of every_n_iter and every_n_secs must be provided.");
        if (everyNIter is <= 0) throw new ValueError($"invalid every_n_iter={everyNIter}.");
        _tensors = tensors;
        _tagOrder = tagOrder;
        _timer = onlyAtEnd ? new NeverTimer() : new SecondOrStepTimer(everyNSecs, everyNIter);
        _logAtEnd = atEnd;
        _formatter = formatter;
    }

    private static Dictionary<string, Tensor> Named(IEnumerable<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var d = new Dictionary<string, Tensor>();
        foreach (var t in tensors) d[t.name] = t;
        return d;
    }

    /// <summary>A timer that never triggers (logging only at the end).</summary>
    private sealed class NeverTimer() : SecondOrStepTimer(every_steps: long.MaxValue / 2)
    {
    }

    /// <inheritdoc/>
    public override void begin()
    {
        _timer.reset();
        _iterCount = 0;
    }

    /// <inheritdoc/>
    public override SessionRunArgs? before_run(SessionRunContext run_context)
    {
        _shouldTrigger = _timer is not NeverTimer && _timer.should_trigger_for_step(_iterCount);
        return _shouldTrigger ? new SessionRunArgs(_tensors.ToDictionary(kv => kv.Key, kv => (object)kv.Value)) : null;
    }

    private void Log(Dictionary<string, NDArray> values)
    {
        var (elapsed, _) = _timer.update_last_triggered_step(_iterCount);
        if (_formatter is not null)
        {
            HookUtil.Info(_formatter(values));
            return;
        }
        var stats = string.Join(", ", _tagOrder.Select(tag => $"{tag} = {values[tag]}"));
        HookUtil.Info(elapsed is { } s ? string.Create(CultureInfo.InvariantCulture, $"{stats} ({s:F3} sec)") : stats);
    }

    private static Dictionary<string, NDArray> Values(object? results) =>
        ((Dictionary<string, object?>)results!).ToDictionary(kv => kv.Key, kv => (NDArray)kv.Value!);

    /// <inheritdoc/>
    public override void after_run(SessionRunContext run_context, SessionRunValues run_values)
    {
        if (_shouldTrigger) Log(Values(run_values.results));
        _iterCount++;
    }

    /// <inheritdoc/>
    public override void end(Session session)
    {
        if (!_logAtEnd) return;
        var names = _tensors.Keys.ToList();
        var values = session.run(names.Select(n => _tensors[n]).ToList());
        Log(names.Select((n, i) => (n, values[i])).ToDictionary(p => p.n, p => p.Item2));
    }
}
