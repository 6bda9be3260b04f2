using System.Diagnostics;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// Debian's <c>protoc</c> (package protobuf-compiler) as an independent reader and writer of TensorFlow's
/// messages, with the schemas in src/SharpFlow/Protos. Tests that need it are skipped, saying so, without it.
/// </summary>
internal static class Protoc
{
    private static readonly Lazy<string?> Executable = new(() =>
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "protoc");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    });

    private static readonly Lazy<string> ProtoRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "SharpFlow", "Protos");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("src/SharpFlow/Protos was not found in the repository");
    });

    /// <summary>Skips the calling <c>[SkippableFact]</c> when protoc is missing.</summary>
    public static void SkipUnlessAvailable() =>
        Skip.If(Executable.Value is null, "protoc is not installed (apt-get install protobuf-compiler): the independent protobuf check is skipped");

    /// <summary><c>protoc --decode=TYPE</c> of <paramref name="bytes"/>: the message as text.</summary>
    public static string Decode(string type, byte[] bytes, string proto = "tensorflow/core/protobuf/meta_graph.proto") =>
        System.Text.Encoding.UTF8.GetString(Run([$"--decode={type}", proto], bytes));

    /// <summary><c>protoc --encode=TYPE</c> of <paramref name="text"/>: the message's bytes.</summary>
    public static byte[] Encode(string type, string text, string proto = "tensorflow/core/protobuf/meta_graph.proto") =>
        Run([$"--encode={type}", proto], System.Text.Encoding.UTF8.GetBytes(text));

    private static byte[] Run(string[] args, byte[] input)
    {
        var start = new ProcessStartInfo(Executable.Value!)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("-I" + ProtoRoot.Value);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        copy.Wait(TimeSpan.FromMinutes(1));
        process.WaitForExit(60_000);
        Assert.True(process.ExitCode == 0, $"protoc {string.Join(' ', args)} failed: {stderr.Result}");
        return output.ToArray();
    }
}
