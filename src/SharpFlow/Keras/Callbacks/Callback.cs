using SharpFlow.Keras.Engine;

namespace SharpFlow.Keras.Callbacks;

/// <summary>
/// <c>tf.keras.callbacks.Callback</c>: hooks called by <c>fit</c> (and <c>evaluate</c>/<c>predict</c> for the
/// batch hooks of Keras 2.2) with the logs of the epoch or batch: <c>loss</c>, the metrics, <c>val_*</c>.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained.</summary>
#pragma warning disable CA1051 // Keras's names: properties would reserve set_model/set_params, which Keras's methods use
    public Model? model;

    /// <summary>The training parameters: epochs, steps, samples, verbose, do_validation, metrics.</summary>
    public Dictionary<string, object> @params = [];
#pragma warning restore CA1051

    /// <summary>Sets the training parameters.</summary>
    public virtual void set_params(Dictionary<string, object> parameters) => @params = parameters;

    /// <summary>Sets the model.</summary>
    public virtual void set_model(Model m) => model = m;

    /// <summary>At the start of an epoch.</summary>
    public virtual void on_epoch_begin(int epoch, Dictionary<string, double>? logs = null) { }

    /// <summary>At the end of an epoch, with the epoch's averages and the validation results.</summary>
    public virtual void on_epoch_end(int epoch, Dictionary<string, double>? logs = null) { }

    /// <summary>Before a batch.</summary>
    public virtual void on_batch_begin(int batch, Dictionary<string, double>? logs = null) { }

    /// <summary>After a batch, with its loss and metrics.</summary>
    public virtual void on_batch_end(int batch, Dictionary<string, double>? logs = null) { }

    /// <summary>At the start of training.</summary>
    public virtual void on_train_begin(Dictionary<string, double>? logs = null) { }

    /// <summary>At the end of training.</summary>
    public virtual void on_train_end(Dictionary<string, double>? logs = null) { }
}

/// <summary>Sums the batch values weighted by batch size and puts the epoch averages into the epoch logs (always first).</summary>
public sealed class BaseLogger : Callback
{
    private int _seen;
    private readonly Dictionary<string, double> _totals = [];

    /// <inheritdoc />
    public override void on_epoch_begin(int epoch, Dictionary<string, double>? logs = null) { _seen = 0; _totals.Clear(); }

    /// <inheritdoc />
    public override void on_batch_end(int batch, Dictionary<string, double>? logs = null)
    {
        if (logs is null) return;
        var size = (int)logs.GetValueOrDefault("size", 0);
        _seen += size;
        foreach (var (k, v) in logs)
            if (k is not "batch" and not "size") _totals[k] = _totals.GetValueOrDefault(k) + v * size;
    }

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        if (logs is null) return;
        foreach (var k in (List<string>)@params["metrics"])
            if (_totals.TryGetValue(k, out var total)) logs[k] = total / _seen;
    }
}

/// <summary><c>History</c>: the epochs and each logged value per epoch; <c>fit</c> returns it.</summary>
public sealed class History : Callback
{
    /// <summary>The epoch numbers (from 0).</summary>
    public List<int> epoch { get; } = [];

    /// <summary>Each key's values, one per epoch: <c>history["loss"]</c>, <c>history["val_acc"]</c>.</summary>
    public Dictionary<string, List<double>> history { get; } = [];

    /// <inheritdoc />
    public override void on_train_begin(Dictionary<string, double>? logs = null) => epoch.Clear();

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        this.epoch.Add(epoch);
        foreach (var (k, v) in logs ?? [])
        {
            if (!history.TryGetValue(k, out var list)) history[k] = list = [];
            list.Add(v);
        }
    }
}

/// <summary>Calls several callbacks in order.</summary>
internal sealed class CallbackList(List<Callback> callbacks)
{
    public List<Callback> Callbacks { get; } = callbacks;

    public void SetParams(Dictionary<string, object> p) { foreach (var c in Callbacks) c.set_params(p); }
    public void SetModel(Model m) { foreach (var c in Callbacks) c.set_model(m); }
    public void EpochBegin(int e, Dictionary<string, double> logs) { foreach (var c in Callbacks) c.on_epoch_begin(e, logs); }
    public void EpochEnd(int e, Dictionary<string, double> logs) { foreach (var c in Callbacks) c.on_epoch_end(e, logs); }
    public void BatchBegin(int b, Dictionary<string, double> logs) { foreach (var c in Callbacks) c.on_batch_begin(b, logs); }
    public void BatchEnd(int b, Dictionary<string, double> logs) { foreach (var c in Callbacks) c.on_batch_end(b, logs); }
    public void TrainBegin() { foreach (var c in Callbacks) c.on_train_begin([]); }
    public void TrainEnd() { foreach (var c in Callbacks) c.on_train_end([]); }
}
