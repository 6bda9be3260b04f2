using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace SharpFlow.Framework;

/// <summary>
/// One attribute an op type declares (TensorFlow's <c>OpDef.AttrDef</c>): its name, its TensorFlow attribute type
/// (<c>bool</c>, <c>int</c>, <c>list(int)</c>, <c>type</c>, ...) and its default, if it has one. Op files declare
/// each attribute once, as a static field of their <see cref="OpDef"/>
/// (<c>static readonly OpAttr&lt;bool&gt; TransposeA = new("transpose_a", false);</c>), read it through that field and
/// list it in <see cref="OpDef.Attrs"/>, so the graph checks the values given when an op is built or imported.
/// </summary>
public abstract class OpAttr
{
    private readonly object? _default;

    private protected OpAttr(string name, bool hasDefault, object? defaultValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        HasDefault = hasDefault;
        _default = defaultValue;
    }

    /// <summary>The attribute's name in the NodeDef (<c>transpose_a</c>).</summary>
    public string Name { get; }

    /// <summary>TensorFlow's name of the attribute's type: <c>bool</c>, <c>int</c>, <c>float</c>, <c>string</c>, <c>type</c>, <c>shape</c>, <c>tensor</c>, <c>list(int)</c>, ...</summary>
    public abstract string TfType { get; }

    /// <summary>Whether a NodeDef may leave the attribute out (it then has <see cref="DefaultValue"/>).</summary>
    public bool HasDefault { get; }

    /// <summary>The value an op has when its NodeDef leaves the attribute out; null when there is no default.</summary>
    public object? DefaultValue => _default;

    /// <summary>Whether <paramref name="value"/>, as stored in an op's attributes, is a value of this attribute's type.</summary>
    public abstract bool Accepts(object value);

    /// <summary>The attribute as TensorFlow prints an AttrDef: <c>transpose_a:bool,default=false</c>.</summary>
    public override string ToString() => HasDefault ? $"{Name}:{TfType},default={Format(_default)}" : $"{Name}:{TfType}";

    /// <summary>TensorFlow's type name of a stored attribute value (<c>int</c> for a <see cref="long"/>, <c>list(int)</c> for an <c>int[]</c>).</summary>
    internal static string TfTypeOfValue(object value) => value switch
    {
        System.Array a => $"list({ElementName(a.GetType().GetElementType()!)})",
        _ => ElementName(value.GetType()),
    };

    /// <summary>TensorFlow's type name of a CLR attribute type.</summary>
    internal static string TfTypeOf(Type type) =>
        type.IsArray ? $"list({ElementName(type.GetElementType()!)})" : ElementName(type);

    private static string ElementName(Type t) =>
        t == typeof(bool) ? "bool"
        : t == typeof(int) || t == typeof(long) ? "int"
        : t == typeof(float) || t == typeof(double) ? "float"
        : t == typeof(string) || t == typeof(byte[]) ? "string"
        : t == typeof(DType) ? "type"
        : t == typeof(Shape) ? "shape"
        : t == typeof(NDArray) ? "tensor"
        : "func";

    private static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => $"\"{s}\"",
        DType d => "DT_" + d.ProtoName.ToUpperInvariant(),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double f => f.ToString("R", CultureInfo.InvariantCulture),
        Shape s => s.ToListString(),
        System.Array a => "[" + string.Join(", ", a.Cast<object?>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>TensorFlow's short form of an op in messages: <c>Op&lt;name=MatMul; attr=transpose_a:bool,default=false, ...&gt;</c>.</summary>
    internal static string OpSignature(string opType, OpDef? def) =>
        def is { Attrs.Count: > 0 } ? $"Op<name={opType}; attr={string.Join(", ", def.Attrs)}>" : $"Op<name={opType}>";

    /// <summary>TensorFlow's error for a NodeDef that lacks a required attribute (<c>NodeDef missing attr 'T' from Op&lt;...&gt;</c>).</summary>
    internal ValueError Missing(string opType, string node, OpDef? def) =>
        new($"NodeDef missing attr '{Name}' from {OpSignature(opType, def)}; NodeDef: {{{{node {node}}}}}");

    /// <summary>TensorFlow's error for an attribute of the wrong type (<c>AttrValue had value with type 'int' when 'bool' expected</c>).</summary>
    internal TypeError WrongType(object value, string opType, string node, OpDef? def) =>
        new($"AttrValue had value with type '{TfTypeOfValue(value)}' when '{TfType}' expected for attr '{Name}'; NodeDef: {{{{node {node}}}}}; {OpSignature(opType, def)}");

    private static readonly ConditionalWeakTable<Type, IReadOnlyList<OpAttr>> Declared = new();

    /// <summary>
    /// The attributes declared as static <see cref="OpAttr"/> fields of <paramref name="type"/> and its base types
    /// (the nearest declaration of a name wins), in declaration order.
    /// </summary>
    internal static IReadOnlyList<OpAttr> DeclaredBy(Type type) => Declared.GetValue(type, static t =>
    {
        var result = new List<OpAttr>();
        for (var c = t; c is not null && c != typeof(object); c = c.BaseType)
            foreach (var field in c.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (typeof(OpAttr).IsAssignableFrom(field.FieldType) && field.GetValue(null) is OpAttr a && result.All(x => x.Name != a.Name))
                    result.Add(a);
        return result;
    });
}

/// <summary>
/// A typed attribute of an op type (see <see cref="OpAttr"/>): <c>TransposeA.Of(op)</c> reads it from an
/// <see cref="Operation"/>, an <see cref="InferenceContext"/> (the shape rule) or an <see cref="OpKernelContext"/>,
/// giving the default when the op lacks it, and throwing TensorFlow's errors, naming the op type, the node and the
/// attribute, when it is missing or of another type. Integers are read as <see cref="int"/> or <see cref="long"/>
/// whichever way they are stored (range-checked), integer lists as <c>int[]</c> or <c>long[]</c>.
/// </summary>
/// <typeparam name="T">
/// <see cref="bool"/>, <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="string"/>,
/// <see cref="DType"/>, <see cref="Shape"/>, <see cref="NDArray"/>, an array of one of these, or a function value.
/// </typeparam>
public sealed class OpAttr<T> : OpAttr
{
    private readonly T _defaultValue;

    /// <summary>A required attribute: an op without it cannot be read.</summary>
    public OpAttr(string name) : base(name, false, null) => _defaultValue = default!;

    /// <summary>An attribute with a default, which an op that lacks it has.</summary>
    public OpAttr(string name, T defaultValue) : base(name, true, defaultValue) => _defaultValue = defaultValue;

    /// <inheritdoc/>
    public override string TfType => TfTypeOf(typeof(T));

    /// <inheritdoc/>
    public override bool Accepts(object value) => TryConvert(value, out _);

    /// <summary>The attribute of <paramref name="op"/>.</summary>
    public T Of(Operation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return Of(op.attrs, op.type, op.name, op.Def);
    }

    /// <summary>The attribute of the op a shape rule is building.</summary>
    public T Of(InferenceContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return Of(ctx.Attrs, ctx.OpType, ctx.OpName, ctx.Def);
    }

    /// <summary>The attribute of the op a kernel is computing.</summary>
    public T Of(OpKernelContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return Of(ctx.op);
    }

    /// <summary>
    /// The attribute in <paramref name="attrs"/>, the attributes of node <paramref name="node"/> of type
    /// <paramref name="opType"/> (which the messages name).
    /// </summary>
    public T Of(IReadOnlyDictionary<string, object> attrs, string opType, string node, OpDef? def = null)
    {
        ArgumentNullException.ThrowIfNull(attrs);
        if (TryOf(attrs, opType, node, def, out var value)) return value;
        throw Missing(opType, node, def);
    }

    /// <summary>The attribute of <paramref name="op"/> when it has it (or a default), else false.</summary>
    public bool TryGet(Operation op, out T value)
    {
        ArgumentNullException.ThrowIfNull(op);
        return TryOf(op.attrs, op.type, op.name, op.Def, out value);
    }

    /// <summary>The attribute of the op a shape rule is building when it has it (or a default), else false.</summary>
    public bool TryGet(InferenceContext ctx, out T value)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return TryOf(ctx.Attrs, ctx.OpType, ctx.OpName, ctx.Def, out value);
    }

    /// <summary>
    /// The attribute in <paramref name="attrs"/>, the attributes of node <paramref name="node"/> of type
    /// <paramref name="opType"/>, when they hold it (or it has a default), else false.
    /// </summary>
    public bool TryGet(IReadOnlyDictionary<string, object> attrs, string opType, string node, OpDef? def, out T value)
    {
        ArgumentNullException.ThrowIfNull(attrs);
        return TryOf(attrs, opType, node, def, out value);
    }

    private bool TryOf(IReadOnlyDictionary<string, object> attrs, string opType, string node, OpDef? def, out T value)
    {
        if (attrs.TryGetValue(Name, out var stored))
        {
            if (TryConvert(stored, out value)) return true;
            if (typeof(T) == typeof(int) && stored is long outside)
                throw new ValueError($"Attr '{Name}' of {opType} has value {outside}, out of the int32 range SharpFlow reads it in; NodeDef: {{{{node {node}}}}}");
            throw WrongType(stored, opType, node, def);
        }
        value = _defaultValue;
        return HasDefault;
    }

    /// <summary>Stores <paramref name="value"/> as this attribute in <paramref name="attrs"/>.</summary>
    public void Set(IDictionary<string, object> attrs, T value)
    {
        ArgumentNullException.ThrowIfNull(attrs);
        attrs[Name] = value ?? throw new ArgumentNullException(nameof(value), $"Attribute '{Name}' cannot be null.");
    }

    private static bool TryConvert(object stored, out T value)
    {
        if (stored is T t)
        {
            value = t;
            return true;
        }
        object? converted = null;
        if (typeof(T) == typeof(long) && stored is int i) converted = (long)i;
        else if (typeof(T) == typeof(int) && stored is long l && l is >= int.MinValue and <= int.MaxValue) converted = (int)l;
        else if (typeof(T) == typeof(float) && stored is double d) converted = (float)d;
        else if (typeof(T) == typeof(int[]) && stored is long[] ls && ls.All(x => x is >= int.MinValue and <= int.MaxValue))
            converted = ls.Select(x => (int)x).ToArray();
        else if (typeof(T) == typeof(long[]) && stored is int[] ints) converted = ints.Select(x => (long)x).ToArray();
        // An empty list carries no element kind in a GraphDef: it is an empty list of any kind.
        else if (typeof(T).IsArray && stored is System.Array { Length: 0 }) converted = System.Array.CreateInstance(typeof(T).GetElementType()!, 0);
        if (converted is T c)
        {
            value = c;
            return true;
        }
        value = default!;
        return false;
    }
}

/// <summary>Typed writes of declared attributes into an op's attribute map.</summary>
public static class OpAttrMap
{
    /// <summary>
    /// Adds <paramref name="attr"/> with <paramref name="value"/>; lets an attribute map be written as a collection
    /// initializer of declared attributes: <c>new() { { T, dtype }, { TransposeA, transposeA } }</c>.
    /// </summary>
    public static void Add<T>(this Dictionary<string, object> attrs, OpAttr<T> attr, T value)
    {
        ArgumentNullException.ThrowIfNull(attr);
        attr.Set(attrs, value);
    }
}
