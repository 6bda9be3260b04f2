using SharpFlow.FileIO;
using System.Collections.Concurrent;
using Google.Protobuf;
using SharpFlow.Framework;
using SharpFlow.Execution;

namespace SharpFlow.Summaries;

/// <summary>
/// <c>tf.summary.FileWriter</c>: writes an event file <c>events.out.tfevents.SECONDS.HOST</c> into
/// <c>logdir</c> that TensorBoard reads. The first record is an <see cref="Event"/> with
/// <c>file_version = "brain.Event:2"</c>; every later one a summary or a graph, framed as TFRecords. A background
/// thread does the writing, so <see cref="add_summary(Summary, long)"/> only queues the event (it waits only when
/// <c>max_queue</c> events are pending); the file is flushed every <c>flush_secs</c>, on <see cref="flush"/> and
/// on <see cref="close"/>. An error of the writing thread is raised by the next call.
/// </summary>
public sealed class FileWriter : IDisposable
{
    /// <summary>The version string TensorBoard expects in the first record.</summary>
    public const string FileVersion = "brain.Event:2";

    private readonly BlockingCollection<(byte[]? Record, ManualResetEventSlim? Flushed)> _queue;
    private readonly Thread _thread;
    private readonly FileStream _file;
    private readonly TimeSpan _flushInterval;
    private readonly string _logdir;
    private volatile Exception? _error;
    private bool _closed;

    /// <summary>Creates <paramref name="logdir"/> if needed and a new event file in it; with a graph, writes it first.</summary>
    public FileWriter(string logdir, Graph? graph = null, int max_queue = 10, double flush_secs = 120, string filename_suffix = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(logdir);
        if (max_queue <= 0) throw new ValueError($"max_queue must be positive, got {max_queue}");
        Directory.CreateDirectory(logdir);
        _logdir = logdir;
        // Encode the graph first: a graph that cannot be written fails here, before any file or thread exists.
        var graphEvent = graph is null ? null : new Event { wall_time = Now(), graph_def = graph.as_graph_def(add_shapes: true).ToByteArray() }.SerializeToString();
        var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var name = $"events.out.tfevents.{seconds:D10}.{Environment.MachineName}{filename_suffix}";
        path = Path.Combine(logdir, name);
        // Two writers in one directory within one second: TensorBoard reads every file with "tfevents" in its name.
        for (var n = 1; File.Exists(path); n++) path = Path.Combine(logdir, $"{name}.{n}");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _flushInterval = TimeSpan.FromSeconds(flush_secs);
        _queue = new BlockingCollection<(byte[]?, ManualResetEventSlim?)>(max_queue);
        try
        {
            TFRecord.Write(_file, new Event { wall_time = Now(), file_version = FileVersion }.SerializeToString());
            if (graphEvent is not null) TFRecord.Write(_file, graphEvent);
            _file.Flush();
        }
        catch
        {
            _file.Dispose();
            _queue.Dispose();
            throw;
        }
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "SharpFlow FileWriter" };
        _thread.Start();
    }

    /// <summary>The event file's path.</summary>
    public string path { get; }

    /// <summary>The directory of the event file (TensorFlow's accessor).</summary>
    public string get_logdir() => _logdir;

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Queues a serialized <c>Summary</c> (what <c>sess.run</c> of a summary op returns) at <paramref name="global_step"/>.</summary>
    public void add_summary(byte[] summary, long global_step = 0) =>
        add_summary(Summary.FromString(summary ?? throw new ArgumentNullException(nameof(summary))), global_step);

    /// <summary>Queues the serialized summary a summary op returned from <c>sess.run</c> (a scalar string).</summary>
    public void add_summary(NDArray summary, long global_step = 0)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.dtype != DType.@string || summary.size != 1)
            throw new ValueError($"add_summary takes a scalar string (what a summary op returns), got {summary.dtype.name} {summary.shape}");
        add_summary(summary.StringBytes(), global_step);
    }

    /// <summary>Queues a summary at <paramref name="global_step"/>.</summary>
    public void add_summary(Summary summary, long global_step = 0)
    {
        ArgumentNullException.ThrowIfNull(summary);
        add_event(new Event { wall_time = Now(), step = global_step, summary = summary });
    }

    /// <summary>Queues the graph, as a GraphDef TensorBoard draws.</summary>
    public void add_graph(Graph graph, long global_step = 0)
    {
        ArgumentNullException.ThrowIfNull(graph);
        add_event(new Event { wall_time = Now(), step = global_step, graph_def = graph.as_graph_def(add_shapes: true).ToByteArray() });
    }

    /// <summary>
    /// Writes the step statistics of a traced run (<c>sess.run(..., options, run_metadata)</c>) for TensorBoard's
    /// graph view: an Event whose <c>tagged_run_metadata</c> holds the tag and the serialized RunMetadata.
    /// </summary>
    public void add_run_metadata(RunMetadata run_metadata, string tag, long global_step = 0)
    {
        ArgumentNullException.ThrowIfNull(run_metadata);
        ArgumentNullException.ThrowIfNull(tag);
        add_event(new Event { wall_time = Now(), step = global_step, tagged_run_metadata = (tag, run_metadata.SerializeToString()) });
    }

    /// <summary>Queues an event.</summary>
    public void add_event(Event @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        Check();
        try
        {
            _queue.Add((@event.SerializeToString(), null));
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            throw new InvalidOperationException($"FileWriter for {path} is closed", e);
        }
    }

    /// <summary>Writes every queued event to disk.</summary>
    public void flush()
    {
        Check();
        using var done = new ManualResetEventSlim();
        try
        {
            _queue.Add((null, done));
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            throw new InvalidOperationException($"FileWriter for {path} is closed", e);
        }
        done.Wait();
        Check();
    }

    /// <summary>Flushes and closes the file; later adds are errors.</summary>
    public void close()
    {
        if (_closed) return;
        _closed = true;
        _queue.CompleteAdding();
        _thread.Join();
        _file.Dispose();
        _queue.Dispose();
        if (_error is not null) throw new DataLossError($"{path}: writing the event file failed: {_error.Message}", null, _error);
    }

    /// <inheritdoc/>
    public void Dispose() => close();

    private void Check()
    {
        if (_closed) throw new InvalidOperationException($"FileWriter for {path} is closed");
        if (_error is not null) throw new DataLossError($"{path}: writing the event file failed: {_error.Message}", null, _error);
    }

    private void WriteLoop()
    {
        var lastFlush = DateTime.UtcNow;
        try
        {
            while (!_queue.IsCompleted)
            {
                if (_queue.TryTake(out var item, TimeSpan.FromMilliseconds(200)))
                {
                    if (item.Record is not null) TFRecord.Write(_file, item.Record);
                    if (item.Flushed is not null)
                    {
                        _file.Flush(flushToDisk: true);
                        lastFlush = DateTime.UtcNow;
                        item.Flushed.Set();
                    }
                }
                if (DateTime.UtcNow - lastFlush >= _flushInterval)
                {
                    _file.Flush();
                    lastFlush = DateTime.UtcNow;
                }
            }
            _file.Flush(flushToDisk: true);
        }
        catch (Exception e)
        {
            // Whatever stops the writer is raised by the next call on it, never lost and never fatal here.
            _error = e;
            // Release anyone waiting on a flush.
            foreach (var item in _queue.GetConsumingEnumerable()) item.Flushed?.Set();
        }
    }

    /// <summary>
    /// The events of an event file, in order (<c>tf.train.summary_iterator</c>); with
    /// <paramref name="truncatedTailIsEnd"/> a last record cut short by a killed writer ends the file.
    /// </summary>
    public static IEnumerable<Event> Read(string eventFile, bool truncatedTailIsEnd = false) =>
        Events(TFRecord.Read(eventFile, truncatedTailIsEnd), eventFile);

    /// <summary>The events of an event stream; <paramref name="name"/> names it in errors.</summary>
    public static IEnumerable<Event> Read(Stream stream, string name, bool truncatedTailIsEnd = false) =>
        Events(TFRecord.Read(stream, name, truncatedTailIsEnd), name);

    private static IEnumerable<Event> Events(IEnumerable<byte[]> records, string eventFile)
    {
        var index = 0;
        foreach (var record in records)
        {
            Event e;
            try
            {
                e = Event.FromString(record);
            }
            catch (DataLossError error)
            {
                throw new DataLossError($"{eventFile}: record {index} is not an Event: {error.Message}", null, error);
            }
            index++;
            yield return e;
        }
    }
}
