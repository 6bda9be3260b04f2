using SharpFlow.Keras.Utils;

namespace SharpFlow.Keras.Callbacks;

/// <summary>Prints <c>Epoch 1/5</c> and Keras's progress bar (added by <c>fit</c> when <c>verbose</c> is 1 or 2).</summary>
public sealed class ProgbarLogger(TextWriter? output = null, bool? dynamic_display = null) : Callback
{
    private Progbar? _bar;
    private int _seen, _verbose, _epochs;
    private int? _target;
    private List<(string, double)> _logValues = [];
    private readonly List<List<(string, double)>> _held = [];   // verbose 2, unknown target: the batches' values until the end is known
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
            // Steps or samples per epoch; unknown for a dataset read to its end.
            _target = @params.TryGetValue("samples", out var n) && n is int t ? t : null;
            _bar = new Progbar(_target, verbose: _verbose, output: output, dynamic_display: dynamic_display);
        }
        _seen = 0;
        _held.Clear();
    }

    /// <inheritdoc />
    public override void on_batch_begin(int batch, Dictionary<string, double>? logs = null)
    {
        if (_target is null || _seen < _target) _logValues = [];
    }

    /// <inheritdoc />
    public override void on_batch_end(int batch, Dictionary<string, double>? logs = null)
    {
        logs ??= [];
        _seen += (int)logs.GetValueOrDefault("size", 0);
        foreach (var k in (List<string>)@params["metrics"])
            if (logs.TryGetValue(k, out var v)) _logValues.Add((k, v));
        if (_target is { } t ? _verbose > 0 && _seen < t : _verbose == 1) _bar!.update(_seen, _logValues);
        else if (_target is null && _verbose == 2) _held.Add(_logValues);
    }

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        logs ??= [];
        foreach (var k in (List<string>)@params["metrics"])
            if (logs.TryGetValue(k, out var v)) _logValues.Add((k, v));
        if (_verbose > 0)
        {
            if (_bar!.target is null && _seen > 0)
            {
                // The epoch's steps are known now: the bar gets its target and the held batch values.
                _bar.target = _seen;
                for (var i = 0; i < _held.Count - 1; i++) _bar.update(i + 1, _held[i]);
            }
            _bar.update(_seen, _logValues);
        }
    }
}
