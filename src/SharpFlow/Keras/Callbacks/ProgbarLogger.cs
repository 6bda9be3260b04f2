using SharpFlow.Keras.Utils;

namespace SharpFlow.Keras.Callbacks;

/// <summary>Prints <c>Epoch 1/5</c> and Keras's progress bar (added by <c>fit</c> when <c>verbose</c> is 1 or 2).</summary>
public sealed class ProgbarLogger(TextWriter? output = null, bool? dynamic_display = null) : Callback
{
    private Progbar? _bar;
    private int _seen, _target, _verbose, _epochs;
    private List<(string, double)> _logValues = [];
    private readonly TextWriter _out = output ?? Console.Out;

    /// <inheritdoc />
    public override void on_train_begin(Dictionary<string, double>? logs = null)
    {
        _verbose = (int)@params["verbose"];
        _epochs = (int)@params["epochs"];
    }

    /// <inheritdoc />
    public override void on_epoch_begin(int epoch, Dictionary<string, double>? logs = null)
    {
        if (_verbose > 0)
        {
            _out.WriteLine($"Epoch {epoch + 1}/{_epochs}");
            _target = (int)@params["samples"];
            _bar = new Progbar(_target, verbose: _verbose, output: output, dynamic_display: dynamic_display);
        }
        _seen = 0;
    }

    /// <inheritdoc />
    public override void on_batch_begin(int batch, Dictionary<string, double>? logs = null)
    {
        if (_seen < _target) _logValues = [];
    }

    /// <inheritdoc />
    public override void on_batch_end(int batch, Dictionary<string, double>? logs = null)
    {
        logs ??= [];
        _seen += (int)logs.GetValueOrDefault("size", 0);
        foreach (var k in (List<string>)@params["metrics"])
            if (logs.TryGetValue(k, out var v)) _logValues.Add((k, v));
        if (_verbose > 0 && _seen < _target) _bar!.update(_seen, _logValues);
    }

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        logs ??= [];
        foreach (var k in (List<string>)@params["metrics"])
            if (logs.TryGetValue(k, out var v)) _logValues.Add((k, v));
        if (_verbose > 0) _bar!.update(_seen, _logValues);
    }
}
