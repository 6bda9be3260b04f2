using SharpFlow.FileIO;
using System.Net;
using System.Text.Json;
using SharpFlow.Cli.Board;
using SharpFlow.Summaries;

namespace SharpFlow.Tests.Cli.Board;

/// <summary>
/// <c>sharpflow board</c>'s JSON endpoints on an in-process server over a log directory written here: the runs and
/// their tags, scalars, histograms, images, text and the graph with its run metadata; a malformed file is an error
/// entry naming it while the other runs still work; events appended after a request show up at the next one.
/// </summary>
public sealed class BoardServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-board-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<JsonElement> Get(BoardServer server, string path)
    {
        var response = await _http.GetAsync(new Uri(new Uri(server.Url), path));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static JsonElement Run(JsonElement runs, string name) =>
        runs.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    [Fact]
    public async Task RunsListEveryDirectoryWithEventFilesAndTheirTags()
    {
        BoardLogs.Write(_dir);
        BoardLogs.Append(Path.Combine(_dir, "events.out.tfevents.1.root"), BoardLogs.Scalar("top", 1, 3f));
        using var server = BoardServer.Start(_dir);
        Assert.StartsWith("http://127.0.0.1:", server.Url);
        var runs = await Get(server, "api/runs");
        Assert.Equal([".", "run_a", "run_b"], runs.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        var a = Run(runs, "run_a");
        Assert.Equal(["accuracy", "loss"], Strings(a.GetProperty("tags").GetProperty("scalars")));
        Assert.Equal(["layer1/weights"], Strings(a.GetProperty("tags").GetProperty("histograms")));
        Assert.Equal(["pictures"], Strings(a.GetProperty("tags").GetProperty("images")));
        Assert.Equal(["note"], Strings(a.GetProperty("tags").GetProperty("text")));
        Assert.True(a.GetProperty("graph").GetBoolean());
        Assert.Empty(a.GetProperty("errors").EnumerateArray());
        var b = Run(runs, "run_b");
        Assert.False(b.GetProperty("graph").GetBoolean());
        Assert.Empty(b.GetProperty("tags").GetProperty("histograms").EnumerateArray());
        Assert.Equal(["top"], Strings(Run(runs, ".").GetProperty("tags").GetProperty("scalars")));

        // The page and its assets are served from the assembly.
        var html = await _http.GetStringAsync(new Uri(new Uri(server.Url), "/"));
        Assert.Contains("<script src=\"board.js\">", html);
        Assert.Contains("function smooth", await _http.GetStringAsync(new Uri(new Uri(server.Url), "board.js")));
        Assert.Contains(".card", await _http.GetStringAsync(new Uri(new Uri(server.Url), "board.css")));
    }

    [Fact]
    public async Task ScalarsHaveTheWrittenStepsWallTimesAndValues()
    {
        BoardLogs.Write(_dir);
        using var server = BoardServer.Start(_dir);
        foreach (var (run, loss) in new[] { ("run_a", (Func<int, float>)BoardLogs.LossA), ("run_b", BoardLogs.LossB) })
        {
            var points = (await Get(server, $"api/scalars?run={run}&tag=loss")).EnumerateArray().ToList();
            Assert.Equal(BoardLogs.Steps, points.Count);
            for (var step = 0; step < BoardLogs.Steps; step++)
            {
                Assert.Equal(step, points[step].GetProperty("step").GetInt64());
                Assert.Equal(loss(step), points[step].GetProperty("value").GetDouble(), 1e-6);
                Assert.InRange(points[step].GetProperty("wallTime").GetDouble(), 1.6e9, 4e9);
            }
        }
        var missing = await _http.GetAsync(new Uri(new Uri(server.Url), "api/scalars?run=run_a&tag=nope"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("run run_a has no tag nope", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HistogramsImagesAndTextAreServedPerStep()
    {
        BoardLogs.Write(_dir);
        using var server = BoardServer.Start(_dir);
        var histograms = (await Get(server, "api/histograms?run=run_a&tag=layer1/weights")).EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 4L * i), histograms.Select(h => h.GetProperty("step").GetInt64()));
        for (var i = 0; i < histograms.Count; i++)
        {
            var values = BoardLogs.Weights(4 * i);
            var h = histograms[i];
            Assert.Equal(values.Min(), h.GetProperty("min").GetDouble(), 1e-12);
            Assert.Equal(values.Max(), h.GetProperty("max").GetDouble(), 1e-12);
            Assert.Equal(200, h.GetProperty("num").GetDouble());
            var counts = h.GetProperty("counts").EnumerateArray().Select(c => c.GetDouble()).ToList();
            var limits = h.GetProperty("limits").EnumerateArray().Select(c => c.GetDouble()).ToList();
            Assert.Equal(counts.Count, limits.Count);
            Assert.Equal(200, counts.Sum());
            Assert.True(limits.Zip(limits.Skip(1)).All(p => p.First < p.Second), "the bucket limits increase");
            Assert.True(limits[^1] >= values.Max());
        }

        var images = (await Get(server, "api/images?run=run_a&tag=pictures")).EnumerateArray().ToList();
        Assert.Equal([0L, 10L, 20L], images.Select(i => i.GetProperty("step").GetInt64()));
        Assert.Equal((16, 16), (images[2].GetProperty("width").GetInt32(), images[2].GetProperty("height").GetInt32()));
        var png = await _http.GetByteArrayAsync(new Uri(new Uri(server.Url), "api/image?run=run_a&tag=pictures&index=2"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // IHDR: width, height (big-endian), bit depth 8, colour type 2 (RGB).
        Assert.Equal((16, 16, 8, 2), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), (int)png[24], (int)png[25]));

        var text = Assert.Single((await Get(server, "api/text?run=run_a&tag=note")).EnumerateArray());
        Assert.Equal(5, text.GetProperty("step").GetInt64());
        Assert.Equal("hello **board**", text.GetProperty("text").GetString());
    }

    [Fact]
    public async Task TheGraphHasItsNodesAttrsAndRunMetadata()
    {
        BoardLogs.Write(_dir);
        using var server = BoardServer.Start(_dir);
        var graph = await Get(server, "api/graph?run=run_a");
        var nodes = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
        var matmul = nodes["layer1/MatMul"];
        Assert.Equal("MatMul", matmul.GetProperty("op").GetString());
        Assert.Equal(["x", "layer1/w"], Strings(matmul.GetProperty("inputs")));
        Assert.Equal("float32", matmul.GetProperty("attrs").GetProperty("T").GetString());
        Assert.Equal("false", matmul.GetProperty("attrs").GetProperty("transpose_a").GetString());
        Assert.Equal("[?,3]", nodes["x"].GetProperty("attrs").GetProperty("shape").GetString());
        Assert.Equal("tensor<float32 [3,2]>", nodes["layer1/w"].GetProperty("attrs").GetProperty("value").GetString());
        Assert.Equal("Relu", nodes["layer1/Relu"].GetProperty("op").GetString());

        var meta = graph.GetProperty("runMetadata");
        Assert.Equal("step0", meta.GetProperty("tag").GetString());
        var stats = meta.GetProperty("nodes").GetProperty("layer1/MatMul");
        Assert.Contains("cpu", stats.GetProperty("device").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(stats.GetProperty("allStartMicros").GetInt64() > 0);
        Assert.Contains("float32 [1,2]", Assert.Single(stats.GetProperty("outputs").EnumerateArray()).GetString());

        var none = await _http.GetAsync(new Uri(new Uri(server.Url), "api/graph?run=run_b"));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task AMalformedFileIsAnErrorEntryAndTheOtherRunsStillWork()
    {
        BoardLogs.Write(_dir);
        var broken = Path.Combine(_dir, "broken", "events.out.tfevents.1.bad");
        Directory.CreateDirectory(Path.GetDirectoryName(broken)!);
        BoardLogs.Append(broken, BoardLogs.Scalar("loss", 0, 1f), BoardLogs.Scalar("loss", 1, 2f));
        var bytes = File.ReadAllBytes(broken);
        bytes[^3] ^= 0xff; // the second record's data CRC no longer matches
        File.WriteAllBytes(broken, bytes);
        // Not a TFRecord file at all.
        File.WriteAllText(Path.Combine(_dir, "run_b", "events.out.tfevents.2.text"), "this is not an event file, just some text\n");

        using var server = BoardServer.Start(_dir);
        var runs = await Get(server, "api/runs");
        var error = Assert.Single(Strings(Run(runs, "broken").GetProperty("errors")));
        Assert.Contains(broken, error);
        Assert.Contains("corrupted record at offset", error);
        // The records before the damage are kept.
        Assert.Single((await Get(server, "api/scalars?run=broken&tag=loss")).EnumerateArray());
        var textError = Assert.Single(Strings(Run(runs, "run_b").GetProperty("errors")));
        Assert.Contains("events.out.tfevents.2.text", textError);
        Assert.Equal(BoardLogs.Steps, (await Get(server, "api/scalars?run=run_b&tag=loss")).GetArrayLength());
        Assert.Equal(BoardLogs.Steps, (await Get(server, "api/scalars?run=run_a&tag=loss")).GetArrayLength());
        Assert.Empty(Run(runs, "run_a").GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task EventsAppendedAfterARequestShowUpAndATruncatedTailIsWaitedFor()
    {
        var file = Path.Combine(_dir, "live", "events.out.tfevents.1.live");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        BoardLogs.Append(file, new Event { wall_time = 1_700_000_000, file_version = FileWriter.FileVersion }, BoardLogs.Scalar("loss", 0, 1f), BoardLogs.Scalar("loss", 1, 0.5f));
        using var server = BoardServer.Start(_dir);
        Assert.Equal(2, (await Get(server, "api/scalars?run=live&tag=loss")).GetArrayLength());

        BoardLogs.Append(file, BoardLogs.Scalar("loss", 2, 0.25f), BoardLogs.Scalar("accuracy", 2, 0.9f));
        var points = (await Get(server, "api/scalars?run=live&tag=loss")).EnumerateArray().ToList();
        Assert.Equal([0L, 1L, 2L], points.Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal(0.25, points[2].GetProperty("value").GetDouble());
        Assert.Equal(["accuracy", "loss"], Strings(Run(await Get(server, "api/runs"), "live").GetProperty("tags").GetProperty("scalars")));

        // Half of the next record, as a writer that has not finished it yet: waited for, not an error.
        var record = TFRecord.Frame(BoardLogs.Scalar("loss", 3, 0.125f).SerializeToString());
        using (var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) stream.Write(record, 0, 20);
        var live = Run(await Get(server, "api/runs"), "live");
        Assert.Empty(live.GetProperty("errors").EnumerateArray());
        Assert.Equal(20, Assert.Single(live.GetProperty("files").EnumerateArray()).GetProperty("pending").GetInt64());
        Assert.Equal(3, (await Get(server, "api/scalars?run=live&tag=loss")).GetArrayLength());
        using (var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) stream.Write(record, 20, record.Length - 20);
        Assert.Equal(4, (await Get(server, "api/scalars?run=live&tag=loss")).GetArrayLength());

        // A new run appears while the server runs.
        BoardLogs.Append(Path.Combine(_dir, "later", "events.out.tfevents.2.later"), BoardLogs.Scalar("loss", 0, 7f));
        Assert.Contains("later", (await Get(server, "api/runs")).GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public void AMissingDirectoryOrATakenPortIsAClearError()
    {
        Assert.Contains("no such directory", Assert.Throws<NotFoundError>(() => BoardServer.Start(Path.Combine(_dir, "nope"))).Message);
        using var first = BoardServer.Start(_dir);
        var port = new Uri(first.Url).Port;
        var error = Assert.Throws<IOException>(() => BoardServer.Start(_dir, port));
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", error.Message);
        Assert.Contains("--port", error.Message);
    }
}
