using System.CommandLine;
using System.Globalization;
using SharpFlow.Summaries;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow events LOGDIR</c>: what the event files of a log directory hold, like <c>tensorboard --inspect</c>:
/// per tag its kind, how many values, the step range and (scalars) the first and last values.
/// </summary>
internal static class EventsCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("logdir") { Description = "a directory of events.out.tfevents.* files (searched recursively)" };
        var command = new Command("events", "List the tags, steps and values of the TensorBoard event files in a directory.") { dir };
        command.SetAction(result => TrainCommand.Run(() => Inspect(result.GetValue(dir)!)));
        return command;
    }

    private sealed class Tag(string kind)
    {
        public string Kind { get; } = kind;
        public int Count { get; set; }
        public long FirstStep { get; set; } = long.MaxValue;
        public long LastStep { get; set; } = long.MinValue;
        public float? First { get; set; }
        public float? Last { get; set; }
    }

    /// <summary>The event files below <paramref name="logdir"/>, in name order; none is an error naming the directory.</summary>
    internal static List<string> EventFiles(string logdir)
    {
        if (!Directory.Exists(logdir)) throw new NotFoundError($"{logdir}: no such directory");
        var files = Directory.GetFiles(logdir, "events.out.tfevents.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new NotFoundError($"{logdir}: no events.out.tfevents.* files");
    }

    private static void Inspect(string logdir)
    {
        var files = EventFiles(logdir);
        foreach (var file in files)
        {
            var tags = new SortedDictionary<string, Tag>(StringComparer.Ordinal);
            int events = 0, graphs = 0;
            string? version = null;
            foreach (var e in FileWriter.Read(file, truncatedTailIsEnd: true))
            {
                events++;
                version ??= e.file_version;
                if (e.graph_def is not null) graphs++;
                if (e.summary is null) continue;
                foreach (var v in e.summary.value)
                {
                    var kind = v.simple_value is not null ? "scalar" : v.histo is not null ? "histogram" : v.image is not null ? "image" : v.text is not null ? "text" : "other";
                    if (!tags.TryGetValue(v.tag, out var t)) tags[v.tag] = t = new Tag(kind);
                    t.Count++;
                    t.FirstStep = Math.Min(t.FirstStep, e.step);
                    t.LastStep = Math.Max(t.LastStep, e.step);
                    if (v.simple_value is { } s)
                    {
                        t.First ??= s;
                        t.Last = s;
                    }
                }
            }
            Console.WriteLine($"{Path.GetRelativePath(logdir, file)}: {events} events, file version {version ?? "(missing)"}, {graphs} graph(s)");
            foreach (var (name, t) in tags)
            {
                var values = t.First is { } first ? $"  first {first.ToString("G6", CultureInfo.InvariantCulture)}, last {t.Last!.Value.ToString("G6", CultureInfo.InvariantCulture)}" : "";
                Console.WriteLine($"  {name,-36} {t.Kind,-9} {t.Count,6} values, steps {t.FirstStep}..{t.LastStep}{values}");
            }
        }
    }
}
