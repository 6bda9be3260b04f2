using System.Reflection;

namespace SharpFlow.Tests.Architecture;

/// <summary>
/// The library's floors, enforced: a folder may use its own floor and the floors below it, never one above, and no
/// folders form a cycle. Each folder is its own namespace; only the public types a TensorFlow program names (the
/// <c>tf</c> facade and <c>Graph</c>, <c>Tensor</c>, <c>Session</c>, <c>Variable</c> …) live in the root namespace;
/// no namespace shadows one of <c>System</c>'s.
/// </summary>
public sealed class LayerTests
{
    /// <summary>The floors, bottom first (README "How it is built").</summary>
    internal static readonly string[][] Floors =
    [
        [Dependencies.Generated, "Protos", "Kernels"],
        ["Framework"],
        ["Ops", "Functions"],
        ["Gradients"],
        ["Execution", "FileIO", "Checkpoints", "Data", "Summaries", "GraphIO"],
        ["Train"],
        ["Layers", "Metrics", "Rnn", "FeatureColumns", "Slim"],
        ["Keras", "Estimators"],
        ["Api"],
    ];

    private static int FloorOf(string folder)
    {
        for (var i = 0; i < Floors.Length; i++)
            if (Floors[i].Contains(folder)) return i;
        return -1;
    }

    [Fact]
    public void EveryFolderHasAFloor()
    {
        var folders = Dependencies.Library.Edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct();
        var missing = folders.Where(f => FloorOf(f) < 0).Order().ToList();
        Assert.True(missing.Count == 0, "folders without a floor in LayerTests.Floors: " + string.Join(", ", missing));
    }

    [Fact]
    public void NoDependencyPointsUpTheFloors()
    {
        var up = Dependencies.Library.Edges
            .Where(e => FloorOf(e.Key.From) >= 0 && FloorOf(e.Key.To) > FloorOf(e.Key.From))
            .Select(e => $"{e.Key.From} → {e.Key.To}:\n    " + string.Join("\n    ", e.Value))
            .ToList();
        Assert.True(up.Count == 0, "dependencies pointing up the floors:\n" + string.Join("\n", up));
    }

    [Fact]
    public void NoCycleBetweenFolders()
    {
        // Upward edges are reported above; a cycle is folders on one floor using each other.
        var edges = Dependencies.Library.Edges.Keys.ToList();
        var cycles = StronglyConnected(edges).Where(c => c.Count > 1).Select(c => string.Join(" ⇄ ", c.Order())).ToList();
        Assert.True(cycles.Count == 0, "folders that depend on each other: " + string.Join("; ", cycles) + "\n" +
            string.Join("\n", edges.Where(e => cycles.Any(c => c.Contains(e.From) && c.Contains(e.To)))
                .Select(e => $"{e.From} → {e.To}: {Dependencies.Library.Edges[e][0]}")));
    }

    [Fact]
    public void KernelsKnowNothingOfGraphs()
    {
        var uses = Dependencies.Library.Edges.Where(e => e.Key.From == "Kernels" && e.Key.To != Dependencies.Generated)
            .SelectMany(e => e.Value).ToList();
        Assert.True(uses.Count == 0, "Kernels must take spans and shapes only:\n" + string.Join("\n", uses));
    }

    [Fact]
    public void EachFolderIsItsOwnNamespace()
    {
        var wrong = new List<string>();
        foreach (var (type, directory) in Dependencies.Library.TypesByDirectory)
        {
            var expected = "SharpFlow." + directory.Replace('/', '.');
            var ns = type.Namespace;
            var inFolder = ns == expected || (expected.StartsWith(ns + ".", StringComparison.Ordinal) && ns.Contains('.', StringComparison.Ordinal));
            // The root namespace holds the facade: public types a TensorFlow program names, wherever they are written.
            var facade = ns == "SharpFlow" && type.IsPublic;
            if (!inFolder && !facade) wrong.Add($"{type.FullName} (in {directory}/, expected namespace {expected})");
        }
        Assert.True(wrong.Count == 0, "types outside their folder's namespace:\n" + string.Join("\n", wrong.Order()));
    }

    [Fact]
    public void NoNamespaceShadowsASystemOne()
    {
        var core = typeof(object).Assembly.GetExportedTypes();
        var system = core.Where(t => t.Namespace == "System").Select(t => t.Name.Split('`')[0])
            .Concat(core.Select(t => t.Namespace ?? "").Where(n => n.StartsWith("System.", StringComparison.Ordinal)).Select(n => n.Split('.')[1]))
            .ToHashSet();
        Assembly[] ours =
        [
            typeof(Graph).Assembly, typeof(SharpFlow.Models.LeNet5).Assembly, typeof(SharpFlow.Onnx.OnnxModel).Assembly,
        ];
        var shadowing = ours.SelectMany(a => a.GetTypes()).Select(t => t.Namespace ?? "")
            .Where(n => n.StartsWith("SharpFlow.", StringComparison.Ordinal)).Distinct()
            .Where(n => n.Split('.').Skip(1).Any(system.Contains)).Order().ToList();
        Assert.True(shadowing.Count == 0, "namespaces that shadow System's: " + string.Join(", ", shadowing));
    }

    [Fact]
    public void OnlyTestAssembliesSeeInternals()
    {
        // Issue 22: the packages and the CLI build on the public API, as a NuGet user's assembly would; only the
        // test, benchmark and fuzz assemblies may reach into internals.
        string[] allowed = ["SharpFlow.Tests", "SharpFlow.Benchmarks", "SharpFlow.Fuzz"];
        Assembly[] packages =
        [
            typeof(Graph).Assembly, typeof(SharpFlow.Models.LeNet5).Assembly, typeof(SharpFlow.Onnx.OnnxModel).Assembly,
            typeof(SharpFlow.Distributed.hvd).Assembly,
        ];
        var granted = packages.SelectMany(a => a.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
                .Select(g => (Assembly: a.GetName().Name, Friend: g.AssemblyName)))
            .Where(g => !allowed.Contains(g.Friend)).Select(g => $"{g.Assembly} → {g.Friend}").ToList();
        Assert.True(granted.Count == 0, "InternalsVisibleTo beyond the test assemblies: " + string.Join(", ", granted));
        Assert.Contains(typeof(Graph).Assembly.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>(),
            g => g.AssemblyName == "SharpFlow.Tests");
    }

    private static List<List<string>> StronglyConnected(List<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var nodes = edges.SelectMany(e => new[] { e.From, e.To }).Distinct().ToList();
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var wIndex)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], wIndex);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            result.Add(component);
        }
        foreach (var n in nodes)
            if (!index.ContainsKey(n)) Visit(n);
        return result;
    }
}
