namespace SharpFlow.Train.Monitored;

/// <summary><c>tf.train.FinalOpsHook</c>: runs <c>final_ops</c> when the session ends; their values are in <see cref="final_ops_values"/>.</summary>
public sealed class FinalOpsHook(object final_ops, FeedDict? final_ops_feed_dict = null) : SessionRunHook
{
    /// <summary>The values of the final ops (in their structure), once the session has ended.</summary>
    public object? final_ops_values { get; private set; }

    /// <inheritdoc/>
    public override void end(Session session)
    {
        var flat = new List<ITensorOrOperation>();
        FetchStructure.Flatten(final_ops, flat);
        try
        {
            var values = flat.Count == 0 ? [] : session.run(flat, final_ops_feed_dict);
            var next = 0;
            final_ops_values = FetchStructure.Rebuild(final_ops, values, ref next);
        }
        catch (OutOfRangeError)
        {
            HookUtil.Warning("An OutOfRangeError or StopIteration exception is raised by the code in FinalOpsHook. This typically means the Ops running by the FinalOpsHook have a dependency back to some input source, which should not happen. For example, for metrics in tf.estimator.Estimator, all metrics functions return two Ops: `value_op` and  `update_op`. Estimator.evaluate calls the `update_op` for each batch of the data in input source and, once it is exhausted, it call the `value_op` to get the metric values. The `value_op` here should have dependency back to variables reading only, rather than reading another batch from input. Otherwise, the `value_op`, executed by `FinalOpsHook`, triggers another data reading, which ends OutOfRangeError/StopIteration. Please fix that.");
            throw;
        }
    }
}

/// <summary><c>tf.train.FeedFnHook</c>: feeds what <c>feed_fn</c> returns into every run.</summary>
public sealed class FeedFnHook(Func<FeedDict> feed_fn) : SessionRunHook
{
    /// <inheritdoc/>
    public override SessionRunArgs? before_run(SessionRunContext run_context) => new(null, feed_fn());
}

/// <summary><c>tf.train.GlobalStepWaiterHook</c>: holds the first run until the global step reaches <c>wait_until_step</c>.</summary>
public sealed class GlobalStepWaiterHook(long wait_until_step) : SessionRunHook
{
    private Variable? _globalStep;
    private bool _waited;

    /// <inheritdoc/>
    public override void begin()
    {
        _waited = false;
        _globalStep = HookUtil.GlobalStep(nameof(GlobalStepWaiterHook));
    }

    /// <inheritdoc/>
    public override SessionRunArgs? before_run(SessionRunContext run_context)
    {
        if (_waited || wait_until_step <= 0) return null;
        while (true)
        {
            var step = HookUtil.Step(run_context.session, _globalStep!);
            if (step >= wait_until_step)
            {
                _waited = true;
                return null;
            }
            HookUtil.Info($"Waiting for global step {wait_until_step} before starting training. Current step is {step}.");
            Thread.Sleep(500);
        }
    }
}
