using System.Diagnostics;

namespace SharpFlow.Tests.Examples;

/// <summary>Runs an example with <c>dotnet run examples/&lt;file&gt;.cs</c>, as a user would, and returns its output.</summary>
public static class ExampleRunner
{
    private static readonly object Gate = new(); // examples build the library; one build at a time

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SharpFlow.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (SharpFlow.slnx).");
        }
    }

    /// <summary>
    /// Builds the example, then runs it on <paramref name="ranks"/> MPI ranks (<c>mpiexec -n</c>, one thread each):
    /// the exit code and everything the ranks printed.
    /// </summary>
    public static (int ExitCode, string Output) RunOnRanks(string file, int ranks, params string[] arguments)
    {
        lock (Gate)
        {
            var path = Path.Combine("examples", file);
            var build = ChildProcess.Start("dotnet", ["build", path]);
            build.WorkingDirectory = RepositoryRoot;
            var (built, buildOutput, _) = ChildProcess.Run(build);
            Assert.True(built == 0, $"dotnet build {path}:\n{buildOutput}");
            var run = ChildProcess.Start(Mpich.Mpiexec, ["-n", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", "run", "--no-build", path, "--", .. arguments],
                new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" });
            run.WorkingDirectory = RepositoryRoot;
            var (code, output, _) = ChildProcess.Run(run);
            return (code, output);
        }
    }

    public static string Run(string file, TimeSpan? timeout = null, params string[] arguments)
    {
        lock (Gate)
        {
            var psi = new ProcessStartInfo("dotnet", ["run", Path.Combine("examples", file), .. (arguments.Length > 0 ? ["--", .. arguments] : Array.Empty<string>())])
            {
                WorkingDirectory = RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["DOTNET_NOLOGO"] = "1";
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"examples/{file} did not finish in time.");
            }
            var output = stdout.Result.Replace("\r\n", "\n");
            Assert.True(process.ExitCode == 0, $"examples/{file} exited with {process.ExitCode}:\n{output}\n{stderr.Result}");
            return output;
        }
    }
}
