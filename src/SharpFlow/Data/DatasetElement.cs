using SharpFlow.Data.Pipeline;

namespace SharpFlow;

/// <summary>
/// What <c>iterator.get_next()</c> returns: the element's tensors in the dataset's structure. A single tensor
/// converts to <see cref="Tensor"/> (<c>Tensor x = it.get_next();</c>); a tuple deconstructs
/// (<c>var (x, y) = it.get_next();</c>) and indexes (<c>e[0]</c>); a dictionary indexes by key (<c>e["image"]</c>).
/// </summary>
public sealed class DatasetElement
{
    internal DatasetElement(Nest structure, Tensor[] tensors)
    {
        Structure = structure;
        flat = tensors;
    }

    internal Nest Structure { get; }

    /// <summary>The element's tensors flattened in nest order (dictionary keys sorted).</summary>
    public IReadOnlyList<Tensor> flat { get; }

    /// <summary>True when the element is one tensor.</summary>
    public bool is_tensor => Structure.NodeKind == Nest.Kind.Leaf;

    /// <summary>The tensor of a single-tensor element.</summary>
    public Tensor tensor => is_tensor ? flat[0] : throw new ValueError($"The element is a structure {Structure}, not one tensor.");

    /// <summary>Number of parts of a tuple, list or dictionary element.</summary>
    public int Count => is_tensor ? 1 : Structure.Children.Length;

    /// <summary>Part <paramref name="index"/> of a tuple or list element, as a structure.</summary>
    public DatasetElement element(int index)
    {
        if (is_tensor || Structure.NodeKind == Nest.Kind.Dict) throw new ValueError($"The element {Structure} is not a tuple.");
        if (index < 0 || index >= Structure.Children.Length) throw new ArgumentOutOfRangeException(nameof(index), $"The element has {Structure.Children.Length} parts.");
        var start = Structure.Children.Take(index).Sum(c => c.Count);
        return new DatasetElement(Structure.Children[index], [.. flat.Skip(start).Take(Structure.Children[index].Count)]);
    }

    /// <summary>The value under <paramref name="key"/> of a dictionary element, as a structure.</summary>
    public DatasetElement element(string key)
    {
        var index = Structure.NodeKind == Nest.Kind.Dict ? Array.IndexOf(Structure.Keys, key) : -1;
        if (index < 0) throw new KeyNotFoundException($"The element {Structure} has no key '{key}'.");
        var start = Structure.Children.Take(index).Sum(c => c.Count);
        return new DatasetElement(Structure.Children[index], [.. flat.Skip(start).Take(Structure.Children[index].Count)]);
    }

    /// <summary>Tensor <paramref name="index"/> of a tuple element.</summary>
    public Tensor this[int index] => element(index).tensor;

    /// <summary>The tensor under <paramref name="key"/> of a dictionary element.</summary>
    public Tensor this[string key] => element(key).tensor;

    /// <summary>The keys of a dictionary element.</summary>
    public IReadOnlyList<string> keys => Structure.Keys;

    /// <summary>A dictionary element as a dictionary of tensors.</summary>
    public Dictionary<string, Tensor> ToDictionary() => Structure.Keys.ToDictionary(k => k, k => this[k], StringComparer.Ordinal);

    /// <summary>A pair.</summary>
    public void Deconstruct(out Tensor first, out Tensor second)
    {
        CheckTuple(2);
        (first, second) = (this[0], this[1]);
    }

    /// <summary>A triple.</summary>
    public void Deconstruct(out Tensor first, out Tensor second, out Tensor third)
    {
        CheckTuple(3);
        (first, second, third) = (this[0], this[1], this[2]);
    }

    /// <summary>A quadruple.</summary>
    public void Deconstruct(out Tensor first, out Tensor second, out Tensor third, out Tensor fourth)
    {
        CheckTuple(4);
        (first, second, third, fourth) = (this[0], this[1], this[2], this[3]);
    }

    private void CheckTuple(int n)
    {
        if (is_tensor || Structure.NodeKind == Nest.Kind.Dict || Structure.Children.Length != n)
            throw new ValueError($"not enough values to unpack: the element is {Structure}, not a tuple of {n}");
    }

    /// <summary>The tensor of a single-tensor element.</summary>
#pragma warning disable CA2225 // the facade mirrors Python, where the element is the tensor
    public static implicit operator Tensor(DatasetElement element) => element?.tensor ?? throw new ArgumentNullException(nameof(element));
#pragma warning restore CA2225

    /// <summary>The structure with its tensors, as Python prints it.</summary>
    public override string ToString() => (string)Structure.Pack(flat, t => t.ToString(), (n, parts) => n.NodeKind switch
    {
        Nest.Kind.Dict => "{" + string.Join(", ", n.Keys.Zip(parts).Select(p => $"'{p.First}': {p.Second}")) + "}",
        Nest.Kind.List => "[" + string.Join(", ", parts) + "]",
        _ => "(" + string.Join(", ", parts) + (parts.Length == 1 ? ",)" : ")"),
    });
}
