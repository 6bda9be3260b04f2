using System.Collections;
using System.Runtime.CompilerServices;
using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// The structure of a dataset element, as TensorFlow's <c>nest</c> sees it: a single value (a leaf), a tuple
/// (ValueTuple or Tuple), a list (an array of tensors or objects) or a dictionary (keys in sorted order, as
/// <c>nest.flatten</c> orders them), nested to any depth. Elements travel flattened; the structure packs them back.
/// </summary>
internal sealed class Nest
{
    public enum Kind { Leaf, Tuple, List, Dict }

    private Nest(Kind kind, Nest[] children, string[] keys)
    {
        NodeKind = kind;
        Children = children;
        Keys = keys;
        Count = kind == Kind.Leaf ? 1 : children.Sum(c => c.Count);
    }

    public Kind NodeKind { get; }

    public Nest[] Children { get; }

    public string[] Keys { get; }

    /// <summary>Number of leaves.</summary>
    public int Count { get; }

    public static Nest Leaf { get; } = new(Kind.Leaf, [], []);

    /// <summary>A tuple of single values.</summary>
    public static Nest TupleOf(int n) => n == 1 ? Leaf : new(Kind.Tuple, Enumerable.Repeat(Leaf, n).ToArray(), []);

    /// <summary>A tuple of structures.</summary>
    public static Nest TupleOf(Nest[] children) => new(Kind.Tuple, children, []);

    /// <summary>The structure of <paramref name="value"/>, adding its leaves to <paramref name="leaves"/> in nest order.</summary>
    public static Nest Flatten(object? value, List<object> leaves, Func<object, (Nest, IEnumerable<object>)?>? custom = null)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(value));
        if (custom?.Invoke(value) is var (nest, items))
        {
            leaves.AddRange(items);
            return nest;
        }
        switch (value)
        {
            case ITuple tuple:
            {
                var children = new Nest[tuple.Length];
                for (var i = 0; i < children.Length; i++) children[i] = Flatten(tuple[i], leaves, custom);
                return new Nest(Kind.Tuple, children, []);
            }
            case IDictionary dict:
            {
                var keys = dict.Keys.Cast<object>().Select(k => k as string ?? throw new TypeError($"dictionary keys of a dataset element must be strings, got {k.GetType().Name}"))
                    .OrderBy(k => k, StringComparer.Ordinal).ToArray();
                var children = keys.Select(k => Flatten(dict[k], leaves, custom)).ToArray();
                return new Nest(Kind.Dict, children, keys);
            }
            case IList list when IsStructureList(value):
            {
                var children = new Nest[list.Count];
                for (var i = 0; i < children.Length; i++) children[i] = Flatten(list[i], leaves, custom);
                return new Nest(Kind.List, children, []);
            }
            default:
                leaves.Add(value);
                return Leaf;
        }
    }

    // Arrays of numbers, bools or strings are tensor values; arrays and lists of anything else are structures.
    private static bool IsStructureList(object value)
    {
        var type = value.GetType();
        var element = type.IsArray ? type.GetElementType()! : type.IsGenericType ? type.GetGenericArguments()[0] : typeof(object);
        return !(element.IsPrimitive || element == typeof(string) || element.IsArray);
    }

    /// <summary>Packs flat <paramref name="leaves"/> (from <paramref name="start"/>) into this structure.</summary>
    public object Pack<T>(IReadOnlyList<T> leaves, Func<T, object> leaf, Func<Nest, object[], object> node, int start = 0)
    {
        if (NodeKind == Kind.Leaf) return leaf(leaves[start])!;
        var parts = new object[Children.Length];
        var at = start;
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Children[i].Pack(leaves, leaf, node, at);
            at += Children[i].Count;
        }
        return node(this, parts);
    }

    /// <summary>True when both structures have the same shape (kinds, sizes and keys).</summary>
    public bool SameAs(Nest other) =>
        NodeKind == other.NodeKind && Children.Length == other.Children.Length && Keys.SequenceEqual(other.Keys)
        && Children.Zip(other.Children).All(p => p.First.SameAs(p.Second));

    public override string ToString() => NodeKind switch
    {
        Kind.Leaf => "x",
        Kind.Dict => "{" + string.Join(", ", Keys.Zip(Children).Select(p => $"'{p.First}': {p.Second}")) + "}",
        Kind.List => "[" + string.Join(", ", Children.Select(c => c.ToString())) + "]",
        _ => "(" + string.Join(", ", Children.Select(c => c.ToString())) + (Children.Length == 1 ? ",)" : ")"),
    };
}
