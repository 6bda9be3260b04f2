using System.Globalization;
using SharpFlow.Keras.Engine;

namespace SharpFlow.Keras.Callbacks;

/// <summary>Shared "min"/"max"/"auto" monitoring of a logged value.</summary>
internal static class Monitor
{
    public static bool Maximize(string mode, string monitor) => mode switch
    {
        "max" => true,
        "min" => false,
        _ => monitor.Contains("acc", StringComparison.Ordinal) || monitor.StartsWith("fmeasure", StringComparison.Ordinal),
    };
}

/// <summary><c>EarlyStopping</c>: stops training when <c>monitor</c> has not improved by <c>min_delta</c> for <c>patience</c> epochs.</summary>
public sealed class EarlyStopping(string monitor = "val_loss", double min_delta = 0, int patience = 0, int verbose = 0, string mode = "auto",
    double? baseline = null, bool restore_best_weights = false) : Callback
{
    private readonly bool _max = Monitor.Maximize(mode, monitor);
    private int _wait;
    private double _best;
    private List<NDArray>? _bestWeights;

    /// <summary>The epoch training stopped at (0 when it ran to the end).</summary>
    public int stopped_epoch { get; private set; }

    private bool Better(double current, double reference) =>
        _max ? current - Math.Abs(min_delta) > reference : current + Math.Abs(min_delta) < reference;

    /// <inheritdoc />
    public override void on_train_begin(Dictionary<string, double>? logs = null)
    {
        _wait = 0;
        stopped_epoch = 0;
        _best = baseline ?? (_max ? double.NegativeInfinity : double.PositiveInfinity);
    }

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        if (logs is null || !logs.TryGetValue(monitor, out var current))
        {
            Console.Error.WriteLine($"Early stopping conditioned on metric `{monitor}` which is not available. Available metrics are: {string.Join(",", logs?.Keys ?? Enumerable.Empty<string>())}");
            return;
        }
        if (Better(current, _best))
        {
            _best = current;
            _wait = 0;
            if (restore_best_weights) _bestWeights = model!.get_weights();
        }
        else
        {
            _wait++;
            if (_wait >= patience)
            {
                stopped_epoch = epoch;
                model!.stop_training = true;
                if (restore_best_weights && _bestWeights is not null) model.set_weights(_bestWeights);
            }
        }
    }

    /// <inheritdoc />
    public override void on_train_end(Dictionary<string, double>? logs = null)
    {
        if (stopped_epoch > 0 && verbose > 0) Console.WriteLine($"Epoch {stopped_epoch + 1:00000}: early stopping");
    }
}

/// <summary>
/// <c>ModelCheckpoint</c>: saves the weights after each epoch (or every <c>period</c> epochs) to <c>filepath</c>
/// formatted with the epoch and logs (<c>weights.{epoch:02d}-{val_loss:.2f}</c>), only the best with
/// <c>save_best_only</c>. The weights are written in TensorFlow's checkpoint format by SharpFlow's Saver.
/// </summary>
public sealed class ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool save_best_only = false, bool save_weights_only = true,
    string mode = "auto", int period = 1) : Callback
{
    private readonly bool _max = Monitor.Maximize(mode, monitor);
    private double _best = Monitor.Maximize(mode, monitor) ? double.NegativeInfinity : double.PositiveInfinity;
    private int _sinceLast;

    /// <summary>Whether only weights are saved (the model's structure is not saved either way).</summary>
    public bool SaveWeightsOnly => save_weights_only;

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        logs ??= [];
        _sinceLast++;
        if (_sinceLast < period) return;
        _sinceLast = 0;
        var path = Format(filepath, epoch + 1, logs);
        if (save_best_only)
        {
            if (!logs.TryGetValue(monitor, out var current))
            {
                Console.Error.WriteLine($"Can save best model only with {monitor} available, skipping.");
                return;
            }
            if (_max ? current > _best : current < _best)
            {
                if (verbose > 0)
                    Console.WriteLine($"\nEpoch {epoch + 1:00000}: {monitor} improved from {_best.ToString("F5", CultureInfo.InvariantCulture)} to {current.ToString("F5", CultureInfo.InvariantCulture)}, saving model to {path}");
                _best = current;
                model!.save_weights(path);
            }
            else if (verbose > 0)
                Console.WriteLine($"\nEpoch {epoch + 1:00000}: {monitor} did not improve from {_best.ToString("F5", CultureInfo.InvariantCulture)}");
        }
        else
        {
            if (verbose > 0) Console.WriteLine($"\nEpoch {epoch + 1:00000}: saving model to {path}");
            model!.save_weights(path);
        }
    }

    /// <summary>Python's <c>str.format</c> for <c>{epoch:02d}</c> and <c>{name:.4f}</c> fields.</summary>
    internal static string Format(string pattern, int epoch, IReadOnlyDictionary<string, double> logs) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(?::([^}]*))?\}", m =>
        {
            var key = m.Groups[1].Value;
            var spec = m.Groups[2].Success ? m.Groups[2].Value : "";
            double value;
            if (key == "epoch") value = epoch;
            else if (!logs.TryGetValue(key, out value)) return m.Value;
            var fmt = System.Text.RegularExpressions.Regex.Match(spec, @"^(0?)(\d*)(?:\.(\d+))?([dfe]?)$");
            if (!fmt.Success || spec.Length == 0) return key == "epoch" ? epoch.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
            var width = fmt.Groups[2].Value.Length > 0 ? int.Parse(fmt.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            var text = fmt.Groups[4].Value switch
            {
                "d" => ((long)value).ToString(CultureInfo.InvariantCulture),
                "e" => value.ToString("0." + new string('0', int.Parse(fmt.Groups[3].Value.Length > 0 ? fmt.Groups[3].Value : "6", CultureInfo.InvariantCulture)) + "e+00", CultureInfo.InvariantCulture),
                _ => value.ToString("F" + (fmt.Groups[3].Value.Length > 0 ? fmt.Groups[3].Value : "6"), CultureInfo.InvariantCulture),
            };
            return fmt.Groups[1].Value == "0" ? text.PadLeft(width, '0') : text.PadLeft(width);
        });
}

/// <summary><c>ReduceLROnPlateau</c>: multiplies the optimizer's <c>lr</c> by <c>factor</c> after <c>patience</c> epochs without improvement.</summary>
public sealed class ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0, string mode = "auto",
    double min_delta = 1e-4, int cooldown = 0, double min_lr = 0) : Callback
{
    private readonly bool _max = Monitor.Maximize(mode, monitor);
    private double _best;
    private int _wait, _cooldownCounter;

    /// <inheritdoc />
    public override void on_train_begin(Dictionary<string, double>? logs = null)
    {
        if (factor >= 1.0) throw new ValueError("ReduceLROnPlateau does not support a factor >= 1.0.");
        _best = _max ? double.NegativeInfinity : double.PositiveInfinity;
        _wait = 0;
        _cooldownCounter = 0;
    }

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        logs ??= [];
        var lrVar = model!.optimizer!.lr;
        logs["lr"] = Backend.get_value(lrVar).Cast(DType.float64).item<double>();
        if (!logs.TryGetValue(monitor, out var current))
        {
            Console.Error.WriteLine($"Reduce LR on plateau conditioned on metric `{monitor}` which is not available. Available metrics are: {string.Join(",", logs.Keys)}");
            return;
        }
        if (_cooldownCounter > 0) { _cooldownCounter--; _wait = 0; }
        if (_max ? current > _best + min_delta : current < _best - min_delta) { _best = current; _wait = 0; }
        else if (_cooldownCounter <= 0)
        {
            _wait++;
            if (_wait >= patience)
            {
                var oldLr = logs["lr"];
                if (oldLr > min_lr)
                {
                    var newLr = Math.Max(oldLr * factor, min_lr);
                    Backend.set_value(lrVar, NDArray.Scalar((float)newLr));
                    if (verbose > 0) Console.WriteLine($"\nEpoch {epoch + 1:00000}: ReduceLROnPlateau reducing learning rate to {newLr.ToString(CultureInfo.InvariantCulture)}.");
                    _cooldownCounter = cooldown;
                    _wait = 0;
                }
            }
        }
    }
}

/// <summary><c>LearningRateScheduler</c>: sets the optimizer's <c>lr</c> at each epoch's start to <c>schedule(epoch, lr)</c>.</summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule, int verbose = 0) : Callback
{
    /// <summary>A schedule of the epoch only.</summary>
    public LearningRateScheduler(Func<int, double> schedule, int verbose = 0) : this((e, _) => schedule(e), verbose) { }

    /// <inheritdoc />
    public override void on_epoch_begin(int epoch, Dictionary<string, double>? logs = null)
    {
        var lrVar = model!.optimizer!.lr;
        var lr = schedule(epoch, Backend.get_value(lrVar).Cast(DType.float64).item<double>());
        Backend.set_value(lrVar, NDArray.Scalar((float)lr));
        if (verbose > 0) Console.WriteLine($"\nEpoch {epoch + 1:00000}: LearningRateScheduler setting learning rate to {lr.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        if (logs is not null) logs["lr"] = Backend.get_value(model!.optimizer!.lr).Cast(DType.float64).item<double>();
    }
}

/// <summary><c>CSVLogger</c>: one row per epoch (<c>epoch</c> then the logged values in sorted key order).</summary>
public sealed class CSVLogger(string filename, string separator = ",", bool append = false) : Callback
{
    private List<string>? _keys;

    /// <inheritdoc />
    public override void on_train_begin(Dictionary<string, double>? logs = null)
    {
        if (!append && File.Exists(filename)) File.Delete(filename);
        _keys = append && File.Exists(filename) && new FileInfo(filename).Length > 0 ? [] : null;
    }

    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null)
    {
        logs ??= [];
        var writeHeader = _keys is null;
        if (_keys is null || _keys.Count == 0) _keys = [.. logs.Keys.Order(StringComparer.Ordinal)];
        using var w = new StreamWriter(filename, append: true);
        if (writeHeader) w.Write("epoch" + separator + string.Join(separator, _keys) + "\n");
        w.Write(epoch.ToString(CultureInfo.InvariantCulture) + separator + string.Join(separator,
            _keys.Select(k => logs.TryGetValue(k, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "NA")) + "\n");
    }
}

/// <summary><c>LambdaCallback</c>: callbacks from functions.</summary>
public sealed class LambdaCallback(Action<int, Dictionary<string, double>>? on_epoch_begin = null, Action<int, Dictionary<string, double>>? on_epoch_end = null,
    Action<int, Dictionary<string, double>>? on_batch_begin = null, Action<int, Dictionary<string, double>>? on_batch_end = null,
    Action<Dictionary<string, double>>? on_train_begin = null, Action<Dictionary<string, double>>? on_train_end = null) : Callback
{
    private readonly Action<int, Dictionary<string, double>>? _epochBegin = on_epoch_begin, _epochEnd = on_epoch_end, _batchBegin = on_batch_begin, _batchEnd = on_batch_end;
    private readonly Action<Dictionary<string, double>>? _trainBegin = on_train_begin, _trainEnd = on_train_end;

    /// <inheritdoc />
    public override void on_epoch_begin(int epoch, Dictionary<string, double>? logs = null) => _epochBegin?.Invoke(epoch, logs ?? []);
    /// <inheritdoc />
    public override void on_epoch_end(int epoch, Dictionary<string, double>? logs = null) => _epochEnd?.Invoke(epoch, logs ?? []);
    /// <inheritdoc />
    public override void on_batch_begin(int batch, Dictionary<string, double>? logs = null) => _batchBegin?.Invoke(batch, logs ?? []);
    /// <inheritdoc />
    public override void on_batch_end(int batch, Dictionary<string, double>? logs = null) => _batchEnd?.Invoke(batch, logs ?? []);
    /// <inheritdoc />
    public override void on_train_begin(Dictionary<string, double>? logs = null) => _trainBegin?.Invoke(logs ?? []);
    /// <inheritdoc />
    public override void on_train_end(Dictionary<string, double>? logs = null) => _trainEnd?.Invoke(logs ?? []);
}

/// <summary><c>TerminateOnNaN</c>: stops training when a batch's loss is NaN or infinite.</summary>
public sealed class TerminateOnNaN : Callback
{
    /// <inheritdoc />
    public override void on_batch_end(int batch, Dictionary<string, double>? logs = null)
    {
        if (logs is not null && logs.TryGetValue("loss", out var loss) && !double.IsFinite(loss))
        {
            Console.WriteLine($"Batch {batch}: Invalid loss, terminating training");
            model!.stop_training = true;
        }
    }
}
