#pragma warning disable CS8981
using System.Dynamic;
using System.Globalization;
using SharpFlow.Framework;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// TensorFlow 1.x's <c>tf.logging</c>: messages on standard error as <c>INFO:tensorflow:message</c>, shown
        /// when their level is at least the verbosity (<c>WARN</c> by default, as in TensorFlow).
        /// </summary>
        public static class logging
        {
            /// <summary>Level 10.</summary>
            public const int DEBUG = 10;
            /// <summary>Level 20.</summary>
            public const int INFO = 20;
            /// <summary>Level 30, the default verbosity.</summary>
            public const int WARN = 30;
            /// <summary>Level 40.</summary>
            public const int ERROR = 40;
            /// <summary>Level 50.</summary>
            public const int FATAL = 50;

            /// <summary>Where messages go (standard error; tests may redirect it).</summary>
            public static TextWriter Output { get => Logging.Output; set => Logging.Output = value; }

            /// <summary>Shows messages of <paramref name="v"/> and above.</summary>
            public static void set_verbosity(int v) => Logging.Verbosity = v;

            /// <summary>The current verbosity.</summary>
            public static int get_verbosity() => Logging.Verbosity;

            /// <summary>Logs <paramref name="msg"/> (formatted with <paramref name="args"/>, Python's %-style placeholders) at <paramref name="level"/>.</summary>
            public static void log(int level, string msg, params object[] args) => Logging.Log(level, msg, args);

            /// <summary>At DEBUG.</summary>
            public static void debug(string msg, params object[] args) => log(DEBUG, msg, args);
            /// <summary>At INFO.</summary>
            public static void info(string msg, params object[] args) => log(INFO, msg, args);
            /// <summary>At WARN.</summary>
            public static void warn(string msg, params object[] args) => log(WARN, msg, args);
            /// <summary>At WARN.</summary>
            public static void warning(string msg, params object[] args) => log(WARN, msg, args);
            /// <summary>At ERROR.</summary>
            public static void error(string msg, params object[] args) => log(ERROR, msg, args);
            /// <summary>At FATAL.</summary>
            public static void fatal(string msg, params object[] args) => log(FATAL, msg, args);

            /// <summary>Logs the 1st, (n+1)-th, (2n+1)-th ... call from the same message.</summary>
            public static void log_every_n(int level, string msg, int n, params object[] args) => Logging.LogEveryN(level, msg, n, args);

            /// <summary>Logs only the first <paramref name="n"/> calls from the same message.</summary>
            public static void log_first_n(int level, string msg, int n, params object[] args) => Logging.LogFirstN(level, msg, n, args);
        }

        /// <summary>TensorFlow 1.x's <c>tf.app</c>: command-line flags and <c>run(main)</c>.</summary>
        public static class app
        {
            /// <summary>
            /// <c>tf.app.flags</c>: <c>DEFINE_string/integer/float/boolean(name, default, help)</c> and <c>FLAGS</c>,
            /// whose attributes are the flags' values (<c>FLAGS.job_name</c>, through <c>dynamic</c>) once
            /// <c>run</c> has parsed the command line (before that, their defaults).
            /// </summary>
            public static class flags
            {
                /// <summary>The flags' values: <c>tf.app.flags.FLAGS.learning_rate</c>.</summary>
                public static dynamic FLAGS { get; } = new FlagValues();

                /// <summary>Defines a string flag.</summary>
                public static void DEFINE_string(string name, string? default_value, string help = "") => Values.Define(name, default_value, typeof(string), help);
                /// <summary>Defines an integer flag.</summary>
                public static void DEFINE_integer(string name, long default_value, string help = "") => Values.Define(name, default_value, typeof(long), help);
                /// <summary>Defines a floating-point flag.</summary>
                public static void DEFINE_float(string name, double default_value, string help = "") => Values.Define(name, default_value, typeof(double), help);
                /// <summary>Defines a boolean flag (<c>--name</c>, <c>--noname</c>, <c>--name=false</c>).</summary>
                public static void DEFINE_boolean(string name, bool default_value, string help = "") => Values.Define(name, default_value, typeof(bool), help);
                /// <summary>The same as <see cref="DEFINE_boolean"/>.</summary>
                public static void DEFINE_bool(string name, bool default_value, string help = "") => DEFINE_boolean(name, default_value, help);

                internal static FlagValues Values => (FlagValues)FLAGS;
            }

            /// <summary>
            /// Parses <paramref name="argv"/> (default: this process's arguments) into <see cref="flags.FLAGS"/>
            /// (<c>--name=value</c> or <c>--name value</c>), then calls <paramref name="main"/> with the arguments
            /// left over, the program's name first, as TensorFlow does. An unknown flag or a bad value is a
            /// <see cref="ValueError"/> naming it. Returns <paramref name="main"/>'s result as the exit code.
            /// </summary>
            public static int run(Func<string[], int>? main = null, string[]? argv = null)
            {
                argv ??= Environment.GetCommandLineArgs();
                var rest = flags.Values.Parse(argv);
                return main?.Invoke(rest) ?? 0;
            }

            /// <summary><c>run</c> with a <c>main</c> that returns nothing.</summary>
            public static int run(Action<string[]> main, string[]? argv = null) => run(a => { main(a); return 0; }, argv);
        }
    }

    /// <summary>The values behind <c>tf.app.flags.FLAGS</c>.</summary>
    internal sealed class FlagValues : DynamicObject
    {
        private readonly Dictionary<string, (Type Type, object? Value, string Help)> _flags = new(StringComparer.Ordinal);

        public void Define(string name, object? value, Type type, string help)
        {
            lock (_flags)
            {
                if (_flags.ContainsKey(name)) throw new ValueError($"flag --{name} is defined twice");
                _flags[name] = (type, value, help);
            }
        }

        public override bool TryGetMember(GetMemberBinder binder, out object? result)
        {
            lock (_flags)
            {
                if (!_flags.TryGetValue(binder.Name, out var flag)) throw new ValueError($"no flag named --{binder.Name} is defined");
                result = flag.Value;
                return true;
            }
        }

        public override bool TrySetMember(SetMemberBinder binder, object? value)
        {
            lock (_flags)
            {
                if (!_flags.TryGetValue(binder.Name, out var flag)) throw new ValueError($"no flag named --{binder.Name} is defined");
                _flags[binder.Name] = (flag.Type, value, flag.Help);
                return true;
            }
        }

        public string[] Parse(string[] argv)
        {
            var rest = new List<string>();
            if (argv.Length > 0) rest.Add(argv[0]);
            for (var i = 1; i < argv.Length; i++)
            {
                var arg = argv[i];
                if (arg == "--") { rest.AddRange(argv[(i + 1)..]); break; }
                if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2) { rest.Add(arg); continue; }
                var body = arg[2..];
                var eq = body.IndexOf('=', StringComparison.Ordinal);
                var name = eq >= 0 ? body[..eq] : body;
                lock (_flags)
                {
                    if (!_flags.TryGetValue(name, out var flag))
                    {
                        if (eq < 0 && name.StartsWith("no", StringComparison.Ordinal) && _flags.TryGetValue(name[2..], out var negated) && negated.Type == typeof(bool))
                        {
                            _flags[name[2..]] = (typeof(bool), false, negated.Help);
                            continue;
                        }
                        throw new ValueError($"Unknown command line flag '{name}'");
                    }
                    string text;
                    if (eq >= 0) text = body[(eq + 1)..];
                    else if (flag.Type == typeof(bool)) text = "true";
                    else if (i + 1 < argv.Length) text = argv[++i];
                    else throw new ValueError($"Flag --{name} must have a value other than None.");
                    _flags[name] = (flag.Type, Convert(name, text, flag.Type), flag.Help);
                }
            }
            return [.. rest];
        }

        private static object Convert(string name, string text, Type type)
        {
            var ok = true;
            object value = text;
            if (type == typeof(long)) { ok = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l); value = l; }
            else if (type == typeof(double)) { ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d); value = d; }
            else if (type == typeof(bool))
            {
                ok = text.ToLowerInvariant() is "true" or "false" or "1" or "0" or "t" or "f";
                value = text.ToLowerInvariant() is "true" or "1" or "t";
            }
            if (!ok) throw new ValueError($"flag --{name}={text}: {(type == typeof(bool) ? "invalid boolean value" : $"could not convert to {(type == typeof(long) ? "int" : "float")}")}");
            return value;
        }
    }
}
