using System.Text.RegularExpressions;

namespace SharpFlow.Tests.Cli.Board;

/// <summary><c>sharpflow board</c> as a process: it prints its URL and serves until Ctrl+C (exit code 0); a missing log
/// directory or a taken port is a message and exit code 1.</summary>
public sealed partial class BoardCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-board-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"at (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex UrlPattern();

    [SkippableFact]
    public void BoardPrintsItsUrlServesAndStopsOnCtrlC()
    {
        Skip.If(ChildProcess.SigIntIgnored, ChildProcess.SigIntIgnoredReason);
        BoardLogs.Append(Path.Combine(_dir, "events.out.tfevents.1.x"), BoardLogs.Scalar("loss", 1, 0.5f));
        string? body = null;
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(["board", _dir, "--port", "0"]), (process, line) =>
        {
            if (UrlPattern().Match(line) is not { Success: true } match) return;
            using var http = new HttpClient();
            body = http.GetStringAsync(new Uri(new Uri(match.Groups[1].Value), "api/scalars?run=.&tag=loss")).GetAwaiter().GetResult();
            ChildProcess.Signal(process.Id, 2); // SIGINT, as Ctrl+C
        }, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, output);
        Assert.Contains("sharpflow board: serving", output);
        Assert.Contains("\"value\":0.5", body);
        Assert.Contains("stopped", output);
    }

    [Fact]
    public void AMissingLogDirOrATakenPortIsAMessageAndExitCode1()
    {
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(["board", Path.Combine(_dir, "nope")]));
        Assert.Equal(1, code);
        Assert.Contains("nope: no such directory", output);

        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(["board", _dir, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        Assert.Equal(1, code);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", output);
    }
}
