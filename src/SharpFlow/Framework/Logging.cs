using System.Globalization;

namespace SharpFlow.Framework;

/// <summary>
/// TensorFlow's <c>tf_logging</c>, the state behind <c>tf.logging</c>: messages written as
/// <c>LEVEL:tensorflow:message</c> to <see cref="Output"/> when their level is at least the verbosity (WARN by
/// default, as in TensorFlow). Library code below the facade (Keras's fit) logs here.
/// </summary>
internal static class Logging
{
    public const int DEBUG = 10;
    public const int INFO = 20;
    public const int WARN = 30;
    public const int ERROR = 40;
    public const int FATAL = 50;

    private static readonly Dictionary<string, int> Counts = new(StringComparer.Ordinal);

    /// <summary>Where the messages go (standard error by default).</summary>
    public static TextWriter Output { get; set; } = Console.Error;

    /// <summary>The lowest level written.</summary>
    public static int Verbosity { get; set; } = WARN;

    /// <summary>Writes <paramref name="msg"/> (Python's <c>msg % args</c>) at <paramref name="level"/> if the verbosity lets it through.</summary>
    public static void Log(int level, string msg, params object[] args)
    {
        if (level < Verbosity) return;
        var name = level switch { >= FATAL => "FATAL", >= ERROR => "ERROR", >= WARN => "WARNING", >= INFO => "INFO", _ => "DEBUG" };
        lock (Counts) Output.WriteLine($"{name}:tensorflow:{Format(msg, args)}");
    }

    /// <summary>Logs the 1st, (n+1)-th, (2n+1)-th ... call from the same message.</summary>
    public static void LogEveryN(int level, string msg, int n, params object[] args)
    {
        int count;
        lock (Counts) Counts[msg] = (count = Counts.GetValueOrDefault(msg)) + 1;
        if (count % Math.Max(n, 1) == 0) Log(level, msg, args);
    }

    /// <summary>Logs only the first <paramref name="n"/> calls from the same message.</summary>
    public static void LogFirstN(int level, string msg, int n, params object[] args)
    {
        int count;
        lock (Counts) Counts["first:" + msg] = (count = Counts.GetValueOrDefault("first:" + msg)) + 1;
        if (count < n) Log(level, msg, args);
    }

    /// <summary>Python's <c>msg % args</c> for %s, %d, %i, %f, %g, %r and %%.</summary>
    public static string Format(string msg, object[] args)
    {
        if (args.Length == 0) return msg;
        var sb = new System.Text.StringBuilder();
        var next = 0;
        for (var i = 0; i < msg.Length; i++)
        {
            if (msg[i] != '%' || i + 1 >= msg.Length) { sb.Append(msg[i]); continue; }
            var c = msg[++i];
            if (c == '%') { sb.Append('%'); continue; }
            if (next >= args.Length) throw new TypeError("not enough arguments for format string");
            var a = args[next++];
            sb.Append(c switch
            {
                'f' => Convert.ToDouble(a, CultureInfo.InvariantCulture).ToString("F6", CultureInfo.InvariantCulture),
                'd' or 'i' => Convert.ToInt64(a, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                _ => Convert.ToString(a, CultureInfo.InvariantCulture),
            });
        }
        return sb.ToString();
    }
}
