using SharpFlow.Tests.Examples;

namespace SharpFlow.Tests.Packaging;

/// <summary>
/// The documentation site (<c>tools/docs/build-site.sh</c>: docfx over the XML documentation and the README's guides)
/// builds with no warning at all: no broken link, no unresolved cross-reference, no malformed XML comment. The
/// script treats warnings as errors; this test also checks that the pages a reader starts from exist.
/// </summary>
public sealed class DocsSiteTests
{
    [Fact]
    public void TheSiteBuildsWithoutWarningsAndHoldsTheGuideAndTheApiReference()
    {
        var root = ExampleRunner.RepositoryRoot;
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        // The site reads the Release build of the CLI; a Release test run has just built it.
        string[] args = configuration == "Release" ? ["tools/docs/build-site.sh", "--no-build"] : ["tools/docs/build-site.sh"];
        var build = ChildProcess.Start("bash", args, new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
        build.WorkingDirectory = root;
        var (code, output, _) = ChildProcess.Run(build, limit: TimeSpan.FromMinutes(6));
        Assert.True(code == 0, $"tools/docs/build-site.sh failed:\n{output}");
        Assert.Contains("0 warning(s)", output, StringComparison.Ordinal);

        var site = Path.Combine(root, "docs", "site", "_site");
        Assert.True(File.Exists(Path.Combine(site, "index.html")));
        var guide = File.ReadAllText(Path.Combine(site, "guide", "README.html"));
        Assert.Contains("A first program", guide, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(site, "guide", "lenet5-curves.png")));
        var api = Directory.GetFiles(Path.Combine(site, "api"), "*.html").Select(Path.GetFileName).ToHashSet();
        foreach (var page in new[] { "SharpFlow.Session.html", "SharpFlow.Models.LeNet5.html", "SharpFlow.Onnx.OnnxModel.html" })
            Assert.Contains(page, api);
    }
}
