using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpFlow.Summaries;

namespace SharpFlow.Cli.Board;

/// <summary>
/// The web server of <c>sharpflow board</c>: Kestrel on one address serving the embedded page and its JSON
/// endpoints over a log directory, re-read (incrementally) at each request. <see cref="Start"/> returns once it
/// listens; dispose to stop it.
/// </summary>
internal sealed class BoardServer : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly WebApplication _app;

    private BoardServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The URL the server listens on (<c>http://127.0.0.1:PORT/</c>).</summary>
    public string Url { get; }

    /// <summary>
    /// Starts serving <paramref name="logdir"/> on <paramref name="host"/>:<paramref name="port"/> (port 0: a free
    /// one). A missing directory is a <see cref="NotFoundError"/>; an address in use an <see cref="IOException"/>
    /// saying so.
    /// </summary>
    public static BoardServer Start(string logdir, int port = 0, string host = "127.0.0.1")
    {
        if (!Directory.Exists(logdir)) throw new NotFoundError($"{logdir}: no such directory");
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"--host {host}: not an IP address (use 127.0.0.1, 0.0.0.0 or localhost)");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.ConfigureKestrel(options => options.Listen(address, port));
        var app = builder.Build();
        Map(app, new LogDir(logdir));
        try
        {
            app.Start();
        }
        catch (IOException e)
        {
            (app as IDisposable).Dispose();
            throw new IOException($"cannot listen on {host}:{port}: {e.Message} (choose another port with --port)", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(bound);
        var shown = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : host;
        return new BoardServer(app, $"http://{shown}:{uri.Port}/");
    }

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        (_app as IDisposable).Dispose();
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static IResult Asset(string name, string contentType)
    {
        using var stream = typeof(BoardServer).Assembly.GetManifestResourceStream("SharpFlow.Cli.Board." + name)
            ?? throw new InvalidOperationException($"the page's {name} is not embedded in the sharpflow assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Results.Bytes(copy.ToArray(), contentType);
    }

    private static IResult Ok(object value) => Results.Json(value, Json);

    private static IResult Missing(string what) => Results.Json(new { error = what }, Json, statusCode: 404);

    /// <summary>Runs <paramref name="body"/> on the refreshed log dir under its lock; a failure is a JSON error.</summary>
    private static IResult With(LogDir logdir, Func<IResult> body)
    {
        lock (logdir.Sync)
        {
            try
            {
                logdir.Refresh();
                return body();
            }
            catch (Exception e) when (e is DataLossError or IOException or UnauthorizedAccessException or ArgumentException)
            {
                return Results.Json(new { error = e.Message }, Json, statusCode: 500);
            }
        }
    }

    private static IResult Series<T>(LogDir logdir, HttpRequest request, Func<RunData, SortedDictionary<string, List<T>>> kind, Func<T, int, object> shape)
    {
        var (runName, tag) = (request.Query["run"].ToString(), request.Query["tag"].ToString());
        return With(logdir, () =>
            logdir.Run(runName) is not { } run ? Missing($"no run {runName}")
            : !kind(run).TryGetValue(tag, out var list) ? Missing($"run {runName} has no tag {tag}")
            : Ok(list.Select(shape).ToList()));
    }

    private static void Map(WebApplication app, LogDir logdir)
    {
        app.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        app.MapGet("/board.js", () => Asset("board.js", "text/javascript; charset=utf-8"));
        app.MapGet("/board.css", () => Asset("board.css", "text/css; charset=utf-8"));

        app.MapGet("/api/runs", () => With(logdir, () => Ok(new
        {
            logdir = logdir.Root,
            error = logdir.Error,
            runs = logdir.Runs.Select(r => new
            {
                name = r.Name,
                errors = r.Errors.ToList(),
                files = r.Files.Values.Select(f => new { name = Path.GetFileName(f.Path), offset = f.Offset, pending = f.Pending, error = f.Error }).ToList(),
                tags = new
                {
                    scalars = r.Scalars.Keys.ToList(),
                    histograms = r.Histograms.Keys.ToList(),
                    images = r.Images.Keys.ToList(),
                    text = r.Texts.Keys.ToList(),
                },
                graph = r.GraphDef is not null,
                runMetadata = r.RunMetadata.Select(m => new { tag = m.Tag, step = m.Step }).ToList(),
            }).ToList(),
        })));

        app.MapGet("/api/scalars", (HttpRequest request) => Series(logdir, request, r => r.Scalars,
            (p, _) => new { step = p.Step, wallTime = p.WallTime, value = p.Value }));
        app.MapGet("/api/histograms", (HttpRequest request) => Series(logdir, request, r => r.Histograms,
            (p, _) => new { step = p.Step, wallTime = p.WallTime, min = p.Min, max = p.Max, num = p.Num, sum = p.Sum, limits = p.Limits, counts = p.Counts }));
        app.MapGet("/api/images", (HttpRequest request) => Series(logdir, request, r => r.Images,
            (p, i) => new { step = p.Step, wallTime = p.WallTime, width = p.Width, height = p.Height, index = i }));
        app.MapGet("/api/text", (HttpRequest request) => Series(logdir, request, r => r.Texts,
            (p, _) => new { step = p.Step, wallTime = p.WallTime, text = p.Text }));

        app.MapGet("/api/image", (HttpRequest request) =>
        {
            var (runName, tag) = (request.Query["run"].ToString(), request.Query["tag"].ToString());
            _ = int.TryParse(request.Query["index"].ToString(), out var index);
            return With(logdir, () =>
                logdir.Run(runName) is { } run && run.Images.TryGetValue(tag, out var list) && index >= 0 && index < list.Count
                    ? Results.Bytes(list[index].Png, "image/png")
                    : Missing($"no image {index} for run {runName}, tag {tag}"));
        });

        app.MapGet("/api/graph", (HttpRequest request) =>
        {
            var runName = request.Query["run"].ToString();
            var metaTag = request.Query["tag"].ToString();
            return With(logdir, () =>
            {
                if (logdir.Run(runName) is not { } run) return Missing($"no run {runName}");
                if (run.GraphDef is not { } graph) return Missing($"run {runName} has no graph");
                var nodes = GraphReader.Nodes(graph);
                var meta = run.RunMetadata.LastOrDefault(m => metaTag.Length == 0 || m.Tag == metaTag);
                return Ok(new
                {
                    nodes = nodes.Select(n => new { name = n.Name, op = n.Op, inputs = n.Inputs, device = n.Device, attrs = n.Attrs }).ToList(),
                    runMetadata = new
                    {
                        tags = run.RunMetadata.Select(m => new { tag = m.Tag, step = m.Step }).ToList(),
                        tag = meta?.Tag,
                        step = meta?.Step,
                        nodes = meta is null ? new Dictionary<string, NodeStats>() : GraphReader.StepStats(meta.Data),
                    },
                });
            });
        });
    }
}
