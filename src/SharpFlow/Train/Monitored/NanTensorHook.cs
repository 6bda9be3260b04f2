namespace SharpFlow.Train.Monitored;

/// <summary><c>tf.train.NanLossDuringTrainingError</c>: the loss became NaN.</summary>
public sealed class NanLossDuringTrainingError : Exception
{
    /// <summary>The error <see cref="NanTensorHook"/> raises.</summary>
    public NanLossDuringTrainingError() : base("NaN loss during training.") { }

    /// <summary>The error with another message.</summary>
    public NanLossDuringTrainingError(string message) : base(message) { }

    /// <summary>The error with another message and a cause.</summary>
    public NanLossDuringTrainingError(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// <c>tf.train.NanTensorHook</c>: fetches the loss with every run and, when it is NaN, raises
/// <see cref="NanLossDuringTrainingError"/> (or, with <c>fail_on_nan_loss</c> false, warns and asks to stop).
/// </summary>
public sealed class NanTensorHook(Tensor loss_tensor, bool fail_on_nan_loss = true) : SessionRunHook
{
    /// <inheritdoc/>
    public override SessionRunArgs? before_run(SessionRunContext run_context) => new(loss_tensor);

    /// <inheritdoc/>
    public override void after_run(SessionRunContext run_context, SessionRunValues run_values)
    {
        var loss = ((NDArray)run_values.results!).Cast(DType.float64).ToArray<double>();
        if (!loss.Any(double.IsNaN)) return;
        const string message = "Model diverged with loss = NaN.";
        if (fail_on_nan_loss)
        {
            HookUtil.Error(message);
            throw new NanLossDuringTrainingError();
        }
        HookUtil.Warning(message);
        run_context.request_stop();
    }
}
