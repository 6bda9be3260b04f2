using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;
using SharpFlow.Tests.Examples;

namespace SharpFlow.Tests.Architecture;

/// <summary>
/// The library's dependencies between its top-level folders, read from the compiled assembly: every type a method
/// names (signatures, locals, the types, methods and fields its IL uses, base types, interfaces, fields) counts.
/// Code belongs to the folder of the source file it was compiled from, read from the PDB, so a partial class
/// spread over folders (the Tensor operators in Ops, <c>Graph.as_graph_def</c> in GraphIO) counts where each part
/// is written; a type belongs to the folder of the file named after it.
/// </summary>
internal sealed class Dependencies
{
    /// <summary>Code compiled from files the build generates (the protobuf classes under obj/).</summary>
    public const string Generated = "(generated)";

    private static readonly Lazy<Dependencies> LibraryLazy = new(() => new Dependencies(typeof(Graph).Assembly, "src/SharpFlow/"));

    /// <summary>The SharpFlow library's dependencies.</summary>
    public static Dependencies Library => LibraryLazy.Value;

    private readonly Dictionary<TypeDefinition, string> _home = [];
    private readonly Dictionary<TypeDefinition, string> _file = [];

    /// <summary>From folder → to folder, with up to a few examples each ("Type::Method uses Type").</summary>
    public Dictionary<(string From, string To), List<string>> Edges { get; } = [];

    /// <summary>Every type compiled from a file in a folder, with that file's folder path below the project.</summary>
    public List<(TypeDefinition Type, string Directory)> TypesByDirectory { get; } = [];

    private Dependencies(Assembly assembly, string projectPrefix)
    {
        using var module = ModuleDefinition.ReadModule(assembly.Location, new ReaderParameters { ReadSymbols = true });
        // Lambdas, iterators and async methods compile to nested generated types: their code counts where it is written.
        var types = module.GetTypes().Where(t => !IsGeneratedTopLevel(t)).ToList();
        foreach (var t in types) Home(t, projectPrefix);
        foreach (var t in types)
        {
            var home = _home[t];
            if (t.DeclaringType is null && _file.TryGetValue(t, out var dir) && home != Generated) TypesByDirectory.Add((t, dir));
            Add(module, home, t.FullName, t.BaseType, "derives from");
            foreach (var i in t.Interfaces) Add(module, home, t.FullName, i.InterfaceType, "implements");
            foreach (var f in t.Fields) Add(module, home, t.FullName, f.FieldType, "has a field of");
            foreach (var m in t.Methods)
            {
                var folder = MethodFolder(m, projectPrefix) ?? home;
                var who = $"{t.FullName}::{m.Name}";
                Add(module, folder, who, m.ReturnType, "returns");
                foreach (var p in m.Parameters) Add(module, folder, who, p.ParameterType, "takes");
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Add(module, folder, who, v.VariableType, "uses");
                foreach (var ins in m.Body.Instructions)
                {
                    switch (ins.Operand)
                    {
                        case TypeReference r: Add(module, folder, who, r, "uses"); break;
                        case MethodReference mr: Add(module, folder, who, mr.DeclaringType, "calls"); break;
                        case FieldReference fr: Add(module, folder, who, fr.DeclaringType, "uses"); break;
                    }
                }
            }
        }
    }

    private static bool IsGeneratedTopLevel(TypeDefinition t)
    {
        var top = t;
        while (top.DeclaringType is not null) top = top.DeclaringType;
        return top.Name.StartsWith('<');
    }

    private static bool IsCompilerGenerated(TypeDefinition t)
    {
        for (var x = t; x is not null; x = x.DeclaringType)
            if (x.Name.StartsWith('<')) return true;
        return false;
    }

    /// <summary>The folder below the project of a source path, "" for a file in the project's root, or null when outside it.</summary>
    private static (string Top, string Directory)? FolderOf(string url, string projectPrefix)
    {
        url = url.Replace('\\', '/');
        var at = url.IndexOf(projectPrefix, StringComparison.Ordinal);
        if (at < 0) return null;
        var rel = url[(at + projectPrefix.Length)..];
        var slash = rel.LastIndexOf('/');
        if (slash < 0) return ("", "");
        var dir = rel[..slash];
        if (dir == "obj" || dir.StartsWith("obj/", StringComparison.Ordinal)) return (Generated, Generated);
        return (dir.Split('/')[0], dir);
    }

    private static SequencePoint? FirstPoint(MethodDefinition m) =>
        m.HasBody ? m.DebugInformation.SequencePoints.FirstOrDefault(s => !s.IsHidden) : null;

    private static string? MethodFolder(MethodDefinition m, string projectPrefix) =>
        FirstPoint(m) is { } sp ? FolderOf(sp.Document.Url, projectPrefix)?.Top : null;

    private string Home(TypeDefinition t, string projectPrefix)
    {
        if (_home.TryGetValue(t, out var known)) return known;
        var counts = new Dictionary<(string Top, string Directory), int>();
        var bare = t.Name.Split('`')[0];
        foreach (var m in t.Methods)
        {
            if (FirstPoint(m) is not { } sp || FolderOf(sp.Document.Url, projectPrefix) is not { } f) continue;
            if (Path.GetFileNameWithoutExtension(sp.Document.Url.Replace('\\', '/')) == bare)
            {
                _file[t] = f.Directory;
                return _home[t] = f.Top;
            }
            counts[f] = counts.GetValueOrDefault(f) + 1;
        }
        if (counts.Count > 0)
        {
            var best = counts.MaxBy(kv => kv.Value).Key;
            _file[t] = best.Directory;
            return _home[t] = best.Top;
        }
        if (t.DeclaringType is not null) return _home[t] = Home(t.DeclaringType, projectPrefix);
        if (t.Namespace == "Tensorflow" || t.Namespace.StartsWith("Tensorflow.", StringComparison.Ordinal)) return _home[t] = Generated;
        // No code of its own (an interface, an enum, a delegate, a record of fields): the file that declares it.
        if (Declarations.Value.TryGetValue(t.Namespace + "." + t.Name.Split('`')[0], out var declared))
        {
            _file[t] = declared.Directory;
            return _home[t] = declared.Top;
        }
        return _home[t] = "(not found: " + t.FullName + ")";
    }

    /// <summary>Where each namespace-qualified type name is declared in the library's sources (for types the PDB has no lines for).</summary>
    private static readonly Lazy<Dictionary<string, (string Top, string Directory)>> Declarations = new(() =>
    {
        var src = Path.Combine(ExampleRunner.RepositoryRoot, "src", "SharpFlow");
        var found = new Dictionary<string, (string, string)>();
        var declaration = new System.Text.RegularExpressions.Regex(@"\b(?:enum|interface|delegate\s+\S+|class|struct|record)\s+(\w+)");
        var fileNamespace = new System.Text.RegularExpressions.Regex(@"^namespace\s+([\w.]+)\s*;", System.Text.RegularExpressions.RegexOptions.Multiline);
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(src, file).Replace('\\', '/');
            if (rel.StartsWith("obj/", StringComparison.Ordinal) || rel.StartsWith("bin/", StringComparison.Ordinal)) continue;
            var slash = rel.LastIndexOf('/');
            if (slash < 0) continue;
            var dir = rel[..slash];
            var text = File.ReadAllText(file);
            var ns = fileNamespace.Match(text) is { Success: true } n ? n.Groups[1].Value : "";
            foreach (System.Text.RegularExpressions.Match m in declaration.Matches(text))
                found.TryAdd(ns + "." + m.Groups[1].Value, (dir.Split('/')[0], dir));
        }
        return found;
    });

    private void Add(ModuleDefinition module, string from, string who, TypeReference? reference, string how)
    {
        if (reference is null) return;
        while (reference is TypeSpecification spec)
        {
            if (reference is GenericInstanceType generic)
                foreach (var a in generic.GenericArguments) Add(module, from, who, a, how);
            reference = spec.ElementType;
        }
        if (reference is GenericParameter) return;
        TypeDefinition? target;
        try { target = reference.Resolve(); }
        catch (AssemblyResolutionException) { return; }
        if (target is null || target.Module != module || IsCompilerGenerated(target)) return;
        var to = Home(target, "src/SharpFlow/");
        if (to == from) return;
        if (!Edges.TryGetValue((from, to), out var examples)) Edges[(from, to)] = examples = [];
        if (examples.Count < 5) examples.Add($"{who} {how} {target.FullName}");
    }
}
