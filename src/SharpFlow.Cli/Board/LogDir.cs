using SharpFlow.Summaries;

namespace SharpFlow.Cli.Board;

/// <summary>A scalar value at a step.</summary>
internal sealed record ScalarPoint(long Step, double WallTime, double Value);

/// <summary>A histogram at a step: its range and its buckets (the right edges and the counts).</summary>
internal sealed record HistogramPoint(long Step, double WallTime, double Min, double Max, double Num, double Sum, IReadOnlyList<double> Limits, IReadOnlyList<double> Counts);

/// <summary>An image at a step (PNG bytes as written).</summary>
internal sealed record ImagePoint(long Step, double WallTime, int Width, int Height, byte[] Png);

/// <summary>A text at a step.</summary>
internal sealed record TextPoint(long Step, double WallTime, string Text);

/// <summary>A serialized RunMetadata with its tag and step.</summary>
internal sealed record RunMetadataPoint(string Tag, long Step, byte[] Data);

/// <summary>What the event files of one directory (a run) hold so far.</summary>
internal sealed class RunData(string name, string directory)
{
    /// <summary>The run's name: its directory relative to the log dir (<c>.</c> for the log dir itself).</summary>
    public string Name { get; } = name;

    /// <summary>The run's directory.</summary>
    public string Directory { get; } = directory;

    /// <summary>The run's event files by path, each with its offset.</summary>
    public SortedDictionary<string, EventFileTail> Files { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, List<ScalarPoint>> Scalars { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, List<HistogramPoint>> Histograms { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, List<ImagePoint>> Images { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, List<TextPoint>> Texts { get; } = new(StringComparer.Ordinal);
    public List<RunMetadataPoint> RunMetadata { get; } = [];

    /// <summary>The last GraphDef written (serialized), or null.</summary>
    public byte[]? GraphDef { get; private set; }

    /// <summary>The files' errors (a malformed or unreadable file), each naming its file.</summary>
    public IEnumerable<string> Errors => Files.Values.Select(f => f.Error).OfType<string>();

    /// <summary>Reads what the run's files gained since the last call.</summary>
    public void Refresh()
    {
        foreach (var file in Files.Values)
            foreach (var e in file.ReadNew()) Add(e);
    }

    private static List<T> Series<T>(SortedDictionary<string, List<T>> kind, string tag)
    {
        if (!kind.TryGetValue(tag, out var list)) kind[tag] = list = [];
        return list;
    }

    private void Add(Event e)
    {
        if (e.graph_def is { } graph) GraphDef = graph;
        if (e.tagged_run_metadata is { } tagged) RunMetadata.Add(new RunMetadataPoint(tagged.Tag, e.step, tagged.RunMetadata));
        if (e.summary is null) return;
        foreach (var v in e.summary.value)
        {
            if (v.simple_value is { } s) Series(Scalars, v.tag).Add(new ScalarPoint(e.step, e.wall_time, s));
            else if (v.histo is { } h) Series(Histograms, v.tag).Add(new HistogramPoint(e.step, e.wall_time, h.min, h.max, h.num, h.sum, h.bucket_limit, h.bucket));
            else if (v.image is { } i) Series(Images, v.tag).Add(new ImagePoint(e.step, e.wall_time, i.width, i.height, i.encoded_image_string));
            else if (v.text is { } t) Series(Texts, v.tag).Add(new TextPoint(e.step, e.wall_time, t));
        }
    }
}

/// <summary>
/// A log directory: every directory below it (itself included) that holds <c>events.out.tfevents.*</c> files is a
/// run. Each refresh looks for new runs and files and reads what the files gained; the caller holds the lock.
/// </summary>
internal sealed class LogDir(string root)
{
    private readonly SortedDictionary<string, RunData> _runs = new(StringComparer.Ordinal);

    /// <summary>The log directory.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Guards the runs: one request reads or refreshes at a time.</summary>
    public Lock Sync { get; } = new();

    /// <summary>A problem with the log directory itself (it vanished, cannot be listed), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The runs in name order.</summary>
    public IEnumerable<RunData> Runs => _runs.Values;

    /// <summary>The run named <paramref name="name"/>, or null.</summary>
    public RunData? Run(string? name) => name is not null && _runs.TryGetValue(name, out var run) ? run : null;

    /// <summary>Finds new runs and event files and reads what every file gained.</summary>
    public void Refresh()
    {
        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(Root, "events.out.tfevents.*", SearchOption.AllDirectories);
            Error = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error = $"{Root}: {e.Message}";
            files = [];
        }
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var directory = Path.GetDirectoryName(file)!;
            var name = Path.GetRelativePath(Root, directory).Replace('\\', '/');
            if (!_runs.TryGetValue(name, out var run)) _runs[name] = run = new RunData(name, directory);
            if (!run.Files.ContainsKey(file)) run.Files[file] = new EventFileTail(file);
        }
        foreach (var run in _runs.Values) run.Refresh();
    }
}
