using System.Reflection;
using SharpFlow.Framework;

namespace SharpFlow.GraphIO;

/// <summary>
/// The op types a GraphDef may name: every <see cref="OpDef"/> SharpFlow defines (each op file's static
/// definition), found once by reflection, plus those registered by other assemblies.
/// </summary>
internal static class OpRegistry
{
    private static readonly Lazy<Dictionary<string, OpDef>> Builtin = new(Scan);
    private static readonly Dictionary<string, OpDef> Registered = new(StringComparer.Ordinal);
    private static readonly object Lock = new();

    /// <summary>The definition of op type <paramref name="type"/>, or null when SharpFlow lacks it.</summary>
    public static OpDef? Find(string type)
    {
        lock (Lock)
            if (Registered.TryGetValue(type, out var def)) return def;
        return Builtin.Value.GetValueOrDefault(type);
    }

    /// <summary>Every op type known, sorted.</summary>
    public static IReadOnlyList<string> Types
    {
        get
        {
            lock (Lock) return [.. Builtin.Value.Keys.Concat(Registered.Keys).Distinct().Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// The op types SharpFlow itself imports, sorted (the README lists them): those it defines and TensorFlow 2's
    /// functional control flow, which the importer lowers (<see cref="FunctionalOps"/>).
    /// </summary>
    public static IReadOnlyList<string> BuiltinTypes => [.. Builtin.Value.Keys.Concat(FunctionalOps.Types).Order(StringComparer.Ordinal)];

    /// <summary>Makes an op type defined outside SharpFlow importable.</summary>
    public static void Register(OpDef def)
    {
        ArgumentNullException.ThrowIfNull(def);
        lock (Lock) Registered[def.Type] = def;
    }

    private static Dictionary<string, OpDef> Scan()
    {
        var result = new Dictionary<string, OpDef>(StringComparer.Ordinal);
        foreach (var type in typeof(OpDef).Assembly.GetTypes())
        {
            if (type.ContainsGenericParameters) continue;
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!typeof(OpDef).IsAssignableFrom(field.FieldType) || !field.IsInitOnly) continue;
                if (field.GetValue(null) is OpDef def) result.TryAdd(def.Type, def);
            }
        }
        return result;
    }
}
