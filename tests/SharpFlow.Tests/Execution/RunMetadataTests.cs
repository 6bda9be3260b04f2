using SharpFlow.FileIO;
using SharpFlow.Execution;
using SharpFlow.Summaries;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution;

/// <summary>RunOptions(FULL_TRACE) and RunMetadata: step stats in both executors, and FileWriter.add_run_metadata.</summary>
public sealed class RunMetadataTests : IDisposable
{
    private const string Cpu = "/job:localhost/replica:0/task:0/device:CPU:0";
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-runmeta-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFullTraceRecordsEveryOpOfTheStaticPlan()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new[] { 2, 3 }, name: "x");
        var w = tf.constant(new float[,] { { 1 }, { 2 }, { 3 } }, name: "w");
        var y = tf.matmul(x, w, name: "y");
        var z = tf.reduce_sum(y, name: "z");
        using var sess = tf.Session();
        var options = new tf.RunOptions(trace_level: tf.RunOptions.TraceLevel.FULL_TRACE);
        var metadata = new tf.RunMetadata();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var feed = new FeedDict { [x] = NDArray.FromFlat(new float[] { 1, 1, 1, 1, 0, 0 }, new Shape(2, 3)) };
        var value = sess.run(z, feed, options, metadata);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + 1000;
        Assert.Equal(7f, (float)value);

        var device = Assert.Single(metadata.step_stats.dev_stats);
        Assert.Equal(Cpu, device.device);
        var byName = device.node_stats.ToDictionary(n => n.node_name);
        Assert.Contains("w", byName.Keys);
        Assert.Contains("y", byName.Keys);
        Assert.Contains("z", byName.Keys);
        foreach (var n in device.node_stats)
        {
            Assert.InRange(n.all_start_micros, before - 1000, after);
            Assert.Equal(0, n.op_start_rel_micros);
            Assert.InRange(n.op_end_rel_micros, 0, 10_000_000);
            Assert.Equal(n.op_end_rel_micros, n.all_end_rel_micros);
        }
        Assert.True(byName["y"].all_start_micros <= byName["z"].all_start_micros);
        Assert.Equal("y = MatMul(x, w)", byName["y"].timeline_label);
        var output = Assert.Single(byName["y"].output);
        Assert.Equal(0, output.slot);
        Assert.Equal(new long[] { 2, 1 }, output.shape);
        Assert.Equal(8, output.requested_bytes);
        Assert.Equal(1, output.dtype); // DT_FLOAT

        // Without the options (or NO_TRACE) the metadata is not touched.
        var untouched = new tf.RunMetadata();
        sess.run(z, feed, new tf.RunOptions(), untouched);
        sess.run(z, feed, run_metadata: untouched);
        Assert.Empty(untouched.step_stats.dev_stats);
    }

    [Fact]
    public void AFullTraceRecordsTheOpsOfAControlFlowRun()
    {
        using var g = TestGraph.Enter();
        var i = tf.constant(0, name: "i0");
        var loop = tf.while_loop(v => tf.less(v, 3), v => tf.add(v, 1), i, name: "loop");
        using var sess = tf.Session();
        var metadata = new tf.RunMetadata();
        var result = sess.run(loop, options: new tf.RunOptions(trace_level: tf.RunOptions.FULL_TRACE), run_metadata: metadata);
        Assert.Equal(3, (int)result);
        var names = metadata.step_stats.dev_stats.Single().node_stats.Select(n => n.node_name).ToList();
        Assert.Contains("i0", names);
        // The loop's body ran three times: three records of its add.
        Assert.Equal(3, names.Count(n => n.StartsWith("loop/", StringComparison.Ordinal) && n.EndsWith("Add", StringComparison.Ordinal)));
        Assert.Contains(names, n => n.StartsWith("loop/Exit", StringComparison.Ordinal));
    }

    [Fact]
    public void AddRunMetadataWritesATaggedRunMetadataEvent()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(2.0, name: "a");
        var b = tf.square(a, name: "b");
        using var sess = tf.Session();
        var metadata = new tf.RunMetadata();
        sess.run(b, null, new tf.RunOptions(trace_level: tf.RunOptions.FULL_TRACE), metadata);
        string path;
        using (var writer = tf.summary.FileWriter(_dir, g.Graph))
        {
            writer.add_run_metadata(metadata, "step7", global_step: 7);
            path = writer.path;
        }
        var events = FileWriter.Read(path).ToList();
        var tagged = Assert.Single(events, e => e.tagged_run_metadata is not null);
        Assert.Equal(7, tagged.step);
        var (tag, bytes) = tagged.tagged_run_metadata!.Value;
        Assert.Equal("step7", tag);

        // Decode by hand with TensorFlow's field numbers: RunMetadata{step_stats = 1}, StepStats{dev_stats = 1},
        // DeviceStepStats{device = 1, node_stats = 2}, NodeExecStats{node_name = 1, all_start_micros = 2,
        // op_end_rel_micros = 4, all_end_rel_micros = 5, output = 7, timeline_label = 8}.
        var stepStats = Assert.Single(ProtoReader.Fields(bytes), f => f.Number == 1);
        var dev = Assert.Single(ProtoReader.Fields(stepStats.Data), f => f.Number == 1);
        var devFields = ProtoReader.Fields(dev.Data);
        Assert.Equal(Cpu, devFields.Single(f => f.Number == 1).AsString);
        var nodes = devFields.Where(f => f.Number == 2).Select(f => ProtoReader.Fields(f.Data)).ToList();
        var names = nodes.Select(n => n.Single(f => f.Number == 1).AsString).ToList();
        Assert.Equal(new[] { "a", "b" }, names.Order());
        var nowMicros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        foreach (var n in nodes)
        {
            var start = (long)n.Single(f => f.Number == 2).Varint;
            Assert.InRange(start, nowMicros - 600_000_000, nowMicros + 1000);
        }
        var square = nodes.Single(n => n.Single(f => f.Number == 1).AsString == "b");
        Assert.Equal("b = Square(a)", square.Single(f => f.Number == 8).AsString);
        // NodeOutput{tensor_description = 3}: TensorDescription{dtype = 1 (DT_FLOAT = 1: tf.constant(2.0) is float32), allocation_description = 4
        // {requested_bytes = 1}}.
        var description = ProtoReader.Fields(ProtoReader.Fields(square.Single(f => f.Number == 7).Data).Single(f => f.Number == 3).Data);
        Assert.Equal(1UL, description.Single(f => f.Number == 1).Varint);
        Assert.Equal(4UL, ProtoReader.Fields(description.Single(f => f.Number == 4).Data).Single(f => f.Number == 1).Varint);
    }

    [SkippableFact]
    public void ProtocDecodesTheRunMetadataEventWithTensorFlowsProtoFiles()
    {
        // The independent check: tools/proto/decode-events.py with protoc and TensorFlow's own step_stats.proto.
        // Machines without protoc (Debian's protobuf-compiler, which .ci/run installs) or python3 report it skipped;
        // the field-number test above runs everywhere.
        var script = FindUp(Path.Combine("tools", "proto", "decode-events.py"));
        Skip.If(script is null, "tools/proto/decode-events.py not found");
        Skip.If(!OnPath("protoc") || !OnPath("python3"), "needs protoc and python3: apt-get install protobuf-compiler");
        using var g = TestGraph.Enter();
        var y = tf.matmul(tf.ones(new[] { 2, 2 }, name: "ones"), tf.ones(new[] { 2, 2 }), name: "product");
        using var sess = tf.Session();
        var metadata = new tf.RunMetadata();
        sess.run(y, null, new tf.RunOptions(trace_level: tf.RunOptions.FULL_TRACE), metadata);
        string path;
        using (var writer = tf.summary.FileWriter(_dir))
        {
            writer.add_run_metadata(metadata, "traced", 3);
            path = writer.path;
        }
        var info = new System.Diagnostics.ProcessStartInfo("python3", [script!, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        Assert.Contains("tag: \"traced\"", output);
        Assert.Contains($"device: \"{Cpu}\"", output);
        Assert.Contains("node_name: \"product\"", output);
        Assert.Contains("timeline_label: \"product = MatMul(ones, ones_1)\"", output);
        Assert.Contains("all_start_micros: ", output);
        Assert.Contains("requested_bytes: 16", output);
        Assert.Contains("dtype: DT_FLOAT", output);
    }

    private static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        return null;
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, program)));
}
