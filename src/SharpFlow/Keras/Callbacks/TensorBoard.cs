using SharpFlow.Summaries;

namespace SharpFlow.Keras.Callbacks;

/// <summary>
/// <c>TensorBoard</c>: writes SharpFlow's event files in <c>log_dir</c>: the graph (with <c>write_graph</c>), each
/// epoch's logged values as scalars (<c>loss</c>, <c>acc</c>, <c>val_loss</c>, ...) at step = epoch, and every
/// <c>histogram_freq</c> epochs a histogram of each weight (<c>dense/kernel_0</c>).
/// </summary>
public sealed class TensorBoard(string log_dir = "./logs", int histogram_freq = 0, bool write_graph = true) : Callback, IDisposable
{
    private FileWriter? _writer;

    /// <inheritdoc />
    public override void set_model(Engine.Model m)
    {
        base.set_model(m);
        _writer?.close();
        var graph = m.HasIO ? m.inputs[0].graph : Graph.get_default();
        _writer = new FileWriter(log_dir, write_graph ? graph : null);
    }

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        if (_writer is null) return;
        var values = new List<SummaryValue>();
        if (histogram_freq > 0 && epoch % histogram_freq == 0 && model is not null)
        {
            var weights = model.variables;
            var arrays = model.get_weights();
            for (var i = 0; i < weights.Count; i++) values.Add(SummaryValue.FromHistogram(weights[i].name.Replace(':', '_'), arrays[i]));
        }
        foreach (var (k, v) in logs ?? [])
            if (k is not "batch" and not "size") values.Add(SummaryValue.FromScalar(k, v));
        _writer.add_summary(new Summary(values), epoch);
        _writer.flush();
    }

    /// <summary>Closes the event file.</summary>
    public void Dispose()
    {
        _writer?.close();
        _writer = null;
    }

    /// <inheritdoc />
    public override void on_train_end(Dictionary<string, double>? logs = null)
    {
        _writer?.close();
        _writer = null;
    }
}
