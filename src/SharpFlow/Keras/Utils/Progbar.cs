using System.Diagnostics;
using System.Globalization;

namespace SharpFlow.Keras.Utils;

/// <summary>
/// Keras 2.2.4's <c>Progbar</c>. <c>verbose=1</c> on a terminal redraws
/// <c> 640/1000 [==================&gt;...........] - ETA: 1s - loss: 0.4123 - acc: 0.8750</c> in place, at most
/// every 0.05 s; when the output is redirected it writes only the finished bar of each run, one line. <c>verbose=2</c>
/// writes <c> - 3s - loss: 0.4123 - acc: 0.8750</c> at the end. Values are averaged over the samples seen.
/// </summary>
public sealed class Progbar
{
    private int? _target;
    private readonly int _width;
    private readonly int _verbose;
    private readonly double _interval;
    private readonly TextWriter _out;
    private readonly bool _dynamic;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, (double Sum, int Count)> _sums = [];
    private readonly List<string> _order = [];
    private int _seen;
    private int _totalWidth;
    private double _lastUpdate = double.NegativeInfinity;
    private readonly Func<double>? _now;

    /// <summary>A bar to <paramref name="target"/> steps or samples.</summary>
    public Progbar(int? target, int width = 30, int verbose = 1, double interval = 0.05, TextWriter? output = null, bool? dynamic_display = null,
        Func<double>? clock = null)
    {
        _target = target;
        _width = width;
        _verbose = verbose;
        _interval = interval;
        _out = output ?? Console.Out;
        _dynamic = dynamic_display ?? (output is null && !Console.IsOutputRedirected);
        _now = clock;
    }

    /// <summary>The steps or samples to reach (null: unknown, set when the end is known).</summary>
    public int? target { get => _target; set => _target = value; }

    private double Now => _now?.Invoke() ?? _clock.Elapsed.TotalSeconds;

    /// <summary>Moves the bar to <paramref name="current"/>, adding <paramref name="values"/> weighted by the steps since the last update.</summary>
    public void update(int current, IEnumerable<(string Name, double Value)>? values = null)
    {
        foreach (var (k, v) in values ?? [])
        {
            var n = current - _seen;
            if (_sums.TryGetValue(k, out var old)) _sums[k] = (old.Sum + v * n, old.Count + n);
            else { _sums[k] = (v * n, n); _order.Add(k); }
        }
        _seen = current;
        var now = Now;
        var info = " - " + Round0(now) + "s";
        var done = _target is { } t0 && current >= t0;
        if (_verbose == 1)
        {
            if (now - _lastUpdate < _interval && !done) return;
            if (!_dynamic && !done) { _lastUpdate = now; return; }
            var prevWidth = _totalWidth;
            if (_dynamic) _out.Write(new string('\b', prevWidth) + "\r");
            string bar;
            if (_target is { } target)
            {
                var digits = (int)Math.Floor(Math.Log10(target)) + 1;
                bar = current.ToString(CultureInfo.InvariantCulture).PadLeft(digits) + "/" + target.ToString(CultureInfo.InvariantCulture) + " [";
                var prog = (double)current / target;
                var progWidth = (int)(_width * prog);
                if (progWidth > 0)
                {
                    bar += new string('=', progWidth - 1);
                    bar += current < target ? ">" : "=";
                }
                bar += new string('.', Math.Max(0, _width - progWidth));
                bar += "]";
            }
            else bar = current.ToString(CultureInfo.InvariantCulture).PadLeft(7) + "/Unknown";
            _totalWidth = bar.Length;
            _out.Write(bar);
            var perUnit = current > 0 ? now / current : 0;
            if (_target is { } tt && current < tt)
            {
                var eta = perUnit * (tt - current);
                var etaFormat = eta > 3600 ? $"{(int)(eta / 3600)}:{(int)(eta % 3600 / 60):00}:{(int)(eta % 60):00}"
                    : eta > 60 ? $"{(int)(eta / 60)}:{(int)(eta % 60):00}" : $"{(int)eta}s";
                info = " - ETA: " + etaFormat;
            }
            else
            {
                if (perUnit >= 1) info += " " + Round0(perUnit) + "s/step";
                else if (perUnit >= 1e-3) info += " " + Round0(perUnit * 1e3) + "ms/step";
                else info += " " + Round0(perUnit * 1e6) + "us/step";
            }
            info += Values();
            _totalWidth += info.Length;
            if (prevWidth > _totalWidth && _dynamic) info += new string(' ', prevWidth - _totalWidth);
            if (done) info += "\n";
            _out.Write(info);
            _out.Flush();
        }
        else if (_verbose == 2 && (_target is null || done))
        {
            _out.Write(info + Values() + "\n");
            _out.Flush();
        }
        _lastUpdate = now;
    }

    /// <summary>Adds <paramref name="n"/> steps.</summary>
    public void add(int n, IEnumerable<(string Name, double Value)>? values = null) => update(_seen + n, values);

    private string Values()
    {
        var s = "";
        foreach (var k in _order)
        {
            var (sum, count) = _sums[k];
            s += " - " + k + ": " + FormatValue(sum / Math.Max(1, count));
        }
        return s;
    }

    /// <summary>Keras's value format: <c>%.4f</c> above 1e-3 in magnitude, else <c>%.4e</c>.</summary>
    public static string FormatValue(double avg) => Math.Abs(avg) > 1e-3
        ? avg.ToString("F4", CultureInfo.InvariantCulture)
        : PythonExponent(avg);

    private static string PythonExponent(double v)
    {
        var s = v.ToString("0.0000e+00", CultureInfo.InvariantCulture);
        return s;
    }

    private static string Round0(double v) => Math.Round(v, MidpointRounding.ToEven).ToString("F0", CultureInfo.InvariantCulture);
}
