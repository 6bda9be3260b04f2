using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using SharpFlow.Tests.Examples;

namespace SharpFlow.Tests.Packaging;

/// <summary>
/// The NuGet packages as a user gets them: <c>dotnet pack</c> of every packable project (from the build the tests
/// run on), each package's contents checked (readme, icon, XML documentation, symbols with SourceLink, the
/// repository and commit in the .nuspec), then a fresh project outside the repository that references the packages,
/// not the projects, builds and runs the README's first program, and the <c>sharpflow</c> tool installs from the
/// local folder and answers <c>--help</c>. The packages restore from the folder they were packed into; their
/// dependencies come from the machine's NuGet cache used as a read-only source (or nuget.org), into a private
/// packages folder so no earlier run's copy of SharpFlow is ever picked up.
/// </summary>
public sealed class PackagesTests : IClassFixture<PackagesTests.Packed>
{
    private static readonly string[] Libraries = ["SharpFlow", "SharpFlow.Models", "SharpFlow.Onnx", "SharpFlow.Distributed"];

    private readonly Packed packed;

    public PackagesTests(Packed packed) => this.packed = packed;

    /// <summary>Packs the five projects once for all tests of the class, into a throw-away folder.</summary>
    public sealed class Packed : IDisposable
    {
        public Packed()
        {
            Root = Directory.CreateTempSubdirectory("sharpflow-packages-").FullName;
            Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
            foreach (var project in Libraries.Append("SharpFlow.Cli"))
            {
                var pack = ChildProcess.Start("dotnet", ["pack", Path.Combine("src", project, project + ".csproj"), "-c", configuration, "--no-build", "-o", Feed, "-nologo"], Quiet);
                pack.WorkingDirectory = ExampleRunner.RepositoryRoot;
                var (code, output, _) = ChildProcess.Run(pack, limit: TimeSpan.FromMinutes(3));
                Assert.True(code == 0, $"dotnet pack {project}:\n{output}");
            }
            Commit = Git("rev-parse", "HEAD");
        }

        public string Root { get; }
        public string Feed { get; }
        /// <summary>The commit the packages were built from, or null outside a git checkout.</summary>
        public string? Commit { get; }

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        private static string? Git(params string[] args)
        {
            try
            {
                var git = ChildProcess.Start("git", args);
                git.WorkingDirectory = ExampleRunner.RepositoryRoot;
                var (code, output, _) = ChildProcess.Run(git, limit: TimeSpan.FromSeconds(30));
                return code == 0 ? output.Trim() : null;
            }
            catch (System.ComponentModel.Win32Exception) { return null; } // no git on this machine
        }
    }

    private static readonly Dictionary<string, string> Quiet = new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

    public static TheoryData<string> LibraryNames => new(Libraries);

    [Theory]
    [MemberData(nameof(LibraryNames))]
    public void EachLibraryPackageCarriesItsReadmeIconDocumentationAndSourceLinkedSymbols(string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(packed.Feed, $"{id}.0.1.0.nupkg"));
        var spec = Nuspec(package, id);
        Assert.Equal("README.md", Element(spec, "readme"));
        Assert.Equal("icon.png", Element(spec, "icon"));
        Assert.Equal("MIT", Element(spec, "license"));
        Assert.False(string.IsNullOrWhiteSpace(Element(spec, "description")));
        var repository = spec.Descendants().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("https://github.com/sharpflow/sharpflow", (string?)repository.Attribute("url"));
        if (packed.Commit is not null) Assert.Equal(packed.Commit, (string?)repository.Attribute("commit"));

        var readme = Text(package, "README.md");
        Assert.StartsWith("# " + id, readme, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, Bytes(package, "icon.png")[..4]);
        Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
        var docs = XDocument.Parse(Text(package, $"lib/net10.0/{id}.xml"));
        Assert.Equal(id, docs.Root!.Element("assembly")!.Element("name")!.Value);
        Assert.NotEmpty(docs.Root!.Element("members")!.Elements("member"));

        using var symbols = ZipFile.OpenRead(Path.Combine(packed.Feed, $"{id}.0.1.0.snupkg"));
        var pdb = Encoding.UTF8.GetString(Bytes(symbols, $"lib/net10.0/{id}.pdb"));
        // SourceLink reads the repository from .git; a git worktree (where .git is a file) is not linked.
        if (packed.Commit is not null && Directory.Exists(Path.Combine(ExampleRunner.RepositoryRoot, ".git")))
            Assert.Contains($"https://raw.githubusercontent.com/sharpflow/sharpflow/{packed.Commit}/*", pdb, StringComparison.Ordinal);
    }

    [Fact]
    public void TheToolPackageHoldsTheSharpflowCommand()
    {
        using var package = ZipFile.OpenRead(Path.Combine(packed.Feed, "SharpFlow.Cli.0.1.0.nupkg"));
        var spec = Nuspec(package, "SharpFlow.Cli");
        Assert.Contains(spec.Descendants(), e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");
        Assert.StartsWith("# sharpflow", Text(package, "README.md"), StringComparison.Ordinal);
        var settings = XDocument.Parse(Text(package, "tools/net10.0/any/DotnetToolSettings.xml"));
        var command = settings.Descendants("Command").Single();
        Assert.Equal("sharpflow", (string?)command.Attribute("Name"));
        Assert.Equal("SharpFlow.Cli.dll", (string?)command.Attribute("EntryPoint"));
        Assert.NotNull(package.GetEntry("tools/net10.0/any/SharpFlow.dll"));
    }

    [Fact]
    public void AFreshProjectRunsTheReadmesFirstProgramOnThePackagesAndTheToolInstalls()
    {
        var work = Directory.CreateDirectory(Path.Combine(packed.Root, "consumer")).FullName;
        var packagesFolder = Path.Combine(packed.Root, "nuget-packages");
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var sources = new StringBuilder()
            .AppendLine($"    <add key=\"sharpflow\" value=\"{packed.Feed}\" />");
        if (Directory.Exists(cache)) sources.AppendLine($"    <add key=\"machine-cache\" value=\"{cache}\" />");
        sources.AppendLine("    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />");
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packagesFolder}" />
              </config>
              <packageSources>
                <clear />
            {sources}  </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(work, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SharpFlow" Version="0.1.0" />
                <PackageReference Include="SharpFlow.Models" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(work, "Program.cs"), ReadmesFirstProgram() + """

            var images = tf.placeholder(tf.float32, shape: new[] { -1, 28, 28, 1 });
            Console.WriteLine($"LeNet-5: {new SharpFlow.Models.LeNet5().Build(images).Parameters} parameters");
            """);

        var environment = new Dictionary<string, string>(Quiet) { ["NUGET_PACKAGES"] = packagesFolder };
        var run = ChildProcess.Start("dotnet", ["run", "-c", "Release"], environment);
        run.WorkingDirectory = work;
        var (code, output, _) = ChildProcess.Run(run, limit: TimeSpan.FromMinutes(4));
        Assert.True(code == 0, $"dotnet run on the packages:\n{output}");
        Assert.Contains("Tensor(\"add:0\", shape=(2,), dtype=int32)", output, StringComparison.Ordinal);
        Assert.Contains("[3 5]", output, StringComparison.Ordinal);
        Assert.Contains("LeNet-5: 61706 parameters", output, StringComparison.Ordinal);
        // The program ran on the packed assemblies, restored into the private folder, not on the projects' builds.
        Assert.True(File.Exists(Path.Combine(packagesFolder, "sharpflow", "0.1.0", "lib", "net10.0", "SharpFlow.dll")));
        Assert.DoesNotContain(ExampleRunner.RepositoryRoot, File.ReadAllText(Path.Combine(work, "obj", "project.assets.json")), StringComparison.Ordinal);

        var tools = Path.Combine(packed.Root, "tools");
        var install = ChildProcess.Start("dotnet", ["tool", "install", "SharpFlow.Cli", "--version", "0.1.0", "--tool-path", tools, "--configfile", Path.Combine(work, "nuget.config")], environment);
        install.WorkingDirectory = work;
        var (installed, installOutput, _) = ChildProcess.Run(install, limit: TimeSpan.FromMinutes(3));
        Assert.True(installed == 0, $"dotnet tool install:\n{installOutput}");
        var dotnetRoot = Path.GetDirectoryName(Environment.ProcessPath!)!;
        var help = ChildProcess.Start(Path.Combine(tools, "sharpflow"), ["--help"], new Dictionary<string, string> { ["DOTNET_ROOT"] = dotnetRoot });
        var (helped, helpOutput, _) = ChildProcess.Run(help, limit: TimeSpan.FromMinutes(1));
        Assert.True(helped == 0, $"sharpflow --help:\n{helpOutput}");
        Assert.Contains("train", helpOutput, StringComparison.Ordinal);
    }

    /// <summary>The C# block under "## A first program" in README.md, without its <c>#:project</c> line.</summary>
    private static string ReadmesFirstProgram()
    {
        var readme = File.ReadAllText(Path.Combine(ExampleRunner.RepositoryRoot, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var section = readme[readme.IndexOf("## A first program", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var code = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        return string.Join('\n', code.Split('\n').Where(line => !line.StartsWith("#:", StringComparison.Ordinal)));
    }

    private static XElement Nuspec(ZipArchive package, string id) => XDocument.Parse(Text(package, id + ".nuspec")).Root!;

    private static string? Element(XElement spec, string name) => spec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static string Text(ZipArchive package, string entry) => Encoding.UTF8.GetString(Bytes(package, entry)).TrimStart('\uFEFF');

    private static byte[] Bytes(ZipArchive package, string entry)
    {
        var found = package.GetEntry(entry) ?? throw new Xunit.Sdk.XunitException($"the package has no {entry}: {string.Join(", ", package.Entries.Select(e => e.FullName))}");
        using var stream = found.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
