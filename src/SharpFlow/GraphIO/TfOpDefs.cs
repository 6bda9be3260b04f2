using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// TensorFlow's registered OpDefs for the op types SharpFlow writes into <c>meta_info_def.stripped_op_list</c>
/// (TensorFlow's <c>stripped_op_list_for_graph</c>). SharpFlow's own op definitions do not carry TensorFlow's
/// signatures, so they come from the table GraphIO/TfOpDefs.pbtxt (TensorFlow-written OpDefs; see its header);
/// op types the table lacks are left out of the list.
/// </summary>
internal static class TfOpDefs
{
    private static readonly Lazy<Dictionary<string, OpDef>> Table = new(Load);

    private static Dictionary<string, OpDef> Load()
    {
        using var stream = typeof(TfOpDefs).Assembly.GetManifestResourceStream("SharpFlow.GraphIO.TfOpDefs.pbtxt")
            ?? throw new InvalidOperationException("the embedded table SharpFlow.GraphIO.TfOpDefs.pbtxt is missing");
        using var reader = new StreamReader(stream);
        var list = TextFormat.Parse<OpList>(reader.ReadToEnd());
        var table = new Dictionary<string, OpDef>(StringComparer.Ordinal);
        foreach (var op in list.Op)
            if (!table.TryAdd(op.Name, op)) throw new InvalidOperationException($"TfOpDefs.pbtxt lists {op.Name} twice");
        return table;
    }

    /// <summary>TensorFlow's OpDef of op type <paramref name="type"/>, or null when the table lacks it.</summary>
    public static OpDef? Find(string type) => Table.Value.TryGetValue(type, out var def) ? def.Clone() : null;

    /// <summary>Every op type the table holds, sorted.</summary>
    public static IReadOnlyList<string> Types => [.. Table.Value.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The OpDefs of the op types <paramref name="graphDef"/> uses, its library's functions included, sorted by name,
    /// as far as the table has them.
    /// </summary>
    public static OpList StrippedOpList(GraphDef graphDef)
    {
        var list = new OpList();
        var nodes = graphDef.Node.Concat(graphDef.Library?.Function.SelectMany(f => f.NodeDef) ?? []);
        foreach (var type in nodes.Select(n => n.Op).Distinct().Order(StringComparer.Ordinal))
            if (Find(type) is { } def) list.Op.Add(def);
        return list;
    }
}
