using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SharpFlow.Tests.Support;

/// <summary>
/// Runs a program to its end for a test: stdout and stderr captured, each stdout line shown to an optional callback
/// as it comes (to signal or kill something at a given moment), the whole process tree killed after a time limit or
/// when the callback throws, so a failing test leaves nothing running.
/// </summary>
public static class ChildProcess
{
    /// <summary>The SharpFlow CLI as a <c>dotnet</c> command line, with <paramref name="args"/>.</summary>
    public static ProcessStartInfo Sharpflow(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "SharpFlow.Cli.dll"), .. args], environment);

    /// <summary>A start description with redirected output, <c>COLUMNS=160</c> and <paramref name="environment"/>.</summary>
    public static ProcessStartInfo Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["COLUMNS"] = "160";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return start;
    }

    /// <summary>Runs <paramref name="start"/> to its end: the exit code, stdout followed by stderr, and the time it took.</summary>
    public static (int ExitCode, string Output, TimeSpan Elapsed) Run(ProcessStartInfo start, Action<Process, string>? onLine = null, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        using var watchdog = new Timer(_ => Kill(process), null, limit ?? TimeSpan.FromMinutes(3), Timeout.InfiniteTimeSpan);
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        try
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                output.AppendLine(line);
                onLine?.Invoke(process, line);
            }
            process.WaitForExit();
        }
        catch
        {
            Kill(process);
            throw;
        }
        return (process.ExitCode, output + stderr.Result, clock.Elapsed);
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already gone
    }

    /// <summary>
    /// Whether this process ignores SIGINT, as a command started in the background by a shell without job control
    /// does: its children inherit that, and .NET keeps a SIGINT ignored at startup ignored, so Ctrl+C tests cannot
    /// interrupt them. Read from the SigIgn mask of <c>/proc/self/status</c>.
    /// </summary>
    public static bool SigIntIgnored
    {
        get
        {
            const string status = "/proc/self/status";
            if (!File.Exists(status)) return false;
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
        }
    }

    /// <summary>The skip reason of the Ctrl+C tests when <see cref="SigIntIgnored"/>.</summary>
    public const string SigIntIgnoredReason = "SIGINT is ignored in this process (started in the background by a shell without job control) and so in the CLI it starts: run the tests in the foreground";

    /// <summary>Sends <paramref name="signal"/> (2: SIGINT, 19: SIGSTOP) to <paramref name="pid"/>; true when it was delivered.</summary>
    public static bool Signal(int pid, int signal) => SendSignal(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int signal);
}
