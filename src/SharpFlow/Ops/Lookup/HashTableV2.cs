using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Lookup;

/// <summary>
/// The table behind a HashTableV2 handle: keys (int64 or strings, compared by their bytes) to values, filled once
/// by InitializeTableV2.
/// </summary>
internal sealed class LookupTable(DType keyDType, DType valueDType)
{
    private readonly Dictionary<object, int> _index = [];
    private NDArray? _values;

    public DType KeyDType { get; } = keyDType;

    public DType ValueDType { get; } = valueDType;

    public bool Initialized => _values is not null;

    public long Size => _index.Count;

    internal static object Key(NDArray keys, int i) => keys.dtype == DType.@string
        ? Convert.ToBase64String(Elements.Strings(keys)[i])
        : keys.Cast(DType.int64).AsSpan<long>()[i];

    public void Initialize(NDArray keys, NDArray values, Func<string, Exception> error)
    {
        lock (_index)
        {
            if (_values is not null) return;
            if (keys.size != values.size) throw error($"Expected shape {keys.shape} for value, got {values.shape}");
            var k = keys.dtype == DType.@string ? keys : keys.Cast(DType.int64);
            for (var i = 0; i < k.size; i++)
            {
                var key = Key(k, i);
                if (!_index.TryAdd(key, i)) throw error($"HashTable has different value for same key. Key {(keys.dtype == DType.@string ? System.Text.Encoding.UTF8.GetString(Elements.Strings(keys)[i]) : k.AsSpan<long>()[i].ToString(System.Globalization.CultureInfo.InvariantCulture))} has {i} and trying to add value {i}");
            }
            _values = values.Copy();
        }
    }

    public NDArray Find(NDArray keys, NDArray defaultValue, Func<string, Exception> failedPrecondition)
    {
        var values = _values ?? throw failedPrecondition("Table not initialized.");
        var output = NDArray.AllocateStorage(ValueDType, keys.size);
        var source = values.Storage;
        var fallback = defaultValue.Storage;
        var k = keys.dtype == DType.@string ? keys : keys.Cast(DType.int64);
        for (var i = 0; i < k.size; i++)
        {
            if (_index.TryGetValue(Key(k, i), out var at)) System.Array.Copy(source, at, output, i, 1);
            else System.Array.Copy(fallback, 0, output, i, 1);
        }
        return new NDArray(output, keys.shape);
    }

    public static LookupTable Of(NDArray handle, Func<string, Exception> error) =>
        handle.Storage is object[] { Length: 1 } items && items[0] is LookupTable table ? table : throw error("the handle is not a lookup table");
}

/// <summary>HashTableV2: a table from <c>key_dtype</c> to <c>value_dtype</c>, one per session; outputs its handle.</summary>
internal sealed class HashTableV2 : OpDef
{
    public static readonly HashTableV2 Def = new();

    private static readonly OpAttr<DType> KeyDtype = new("key_dtype");
    private static readonly OpAttr<DType> ValueDtype = new("value_dtype");
    internal static readonly OpAttr<string> Container = new("container", "");
    internal static readonly OpAttr<string> SharedName = new("shared_name", "");
    internal static readonly OpAttr<bool> UseNodeNameSharing = new("use_node_name_sharing", false);

    public override string Type => "HashTableV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(DType.resource, Shape.Scalar);

    public override OpKernel CreateKernel(Operation op)
    {
        var table = new NDArray(new object[] { new LookupTable(KeyDtype.Of(op), ValueDtype.Of(op)) }, Shape.Scalar);
        return OpKernel.From(ctx => ctx.ForwardOutput(0, table));
    }

    /// <summary>A new table.</summary>
    public static Tensor Build(DType key_dtype, DType value_dtype, string shared_name = "", string? name = null)
    {
        using var b = OpBuilder.Begin(name, "hash_table");
        return b.Create(Def, [], new()
        {
            { Container, "" },
            { SharedName, shared_name },
            { UseNodeNameSharing, false },
            { KeyDtype, key_dtype },
            { ValueDtype, value_dtype },
        }).outputs[0];
    }
}

/// <summary>InitializeTableV2: fills a table with <c>keys</c> → <c>values</c> (once; later runs change nothing).</summary>
internal sealed class InitializeTableV2 : OpDef
{
    public static readonly InitializeTableV2 Def = new();
    internal static readonly OpAttr<DType> Tkey = new("Tkey");
    internal static readonly OpAttr<DType> Tval = new("Tval");

    public override string Type => "InitializeTableV2";

    public override bool IsStateful => true;

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError("table_handle must be a resource");
        var keys = ctx.InputShape(1);
        if (keys.IsKnownRank && keys.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {keys.ndims}");
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var table = LookupTable.Of(ctx.Input(0), ctx.InvalidArgument);
        var keys = ctx.Input(1);
        var values = ctx.Input(2);
        if (keys.dtype != table.KeyDType && !(table.KeyDType == DType.int64 && keys.dtype == DType.int32))
            throw ctx.InvalidArgument($"Key dtype {keys.dtype.name} does not match the table's {table.KeyDType.name}");
        if (values.dtype != table.ValueDType) throw ctx.InvalidArgument($"Value dtype {values.dtype.name} does not match the table's {table.ValueDType.name}");
        table.Initialize(keys, values, ctx.InvalidArgument);
    });

    /// <summary>The initializer, added to the TABLE_INITIALIZERS collection.</summary>
    public static Operation Build(Tensor table, TensorLike keys, TensorLike values, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "table_init", table, keys, values);
        var k = b.Convert(keys, "keys");
        var v = b.Convert(values, "values");
        var op = b.Create(Def, [table, k, v], new() { { Tkey, k.dtype }, { Tval, v.dtype } });
        table.graph.add_to_collection(GraphKeys.TABLE_INITIALIZERS, op);
        return op;
    }
}

/// <summary>LookupTableFindV2: each key's value, or <c>default_value</c> for keys not in the table.</summary>
internal sealed class LookupTableFindV2 : OpDef
{
    public static readonly LookupTableFindV2 Def = new();

    private static readonly OpAttr<DType> Tout = new("Tout");
    internal static readonly OpAttr<DType> Tin = new("Tin");

    public override string Type => "LookupTableFindV2";

    public override bool IsStateful => true;

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError("table_handle must be a resource");
        ctx.AddOutput(Tout.Of(ctx), ctx.InputShape(1));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var table = LookupTable.Of(ctx.Input(0), ctx.InvalidArgument);
        var keys = ctx.Input(1);
        var found = table.Find(keys, ctx.Input(2), m => new FailedPreconditionError(m, ctx.op.name));
        ctx.ForwardOutput(0, found);
    });

    /// <summary>Looks <paramref name="keys"/> up.</summary>
    public static Tensor Build(Tensor table, TensorLike keys, TensorLike default_value, DType valueDType, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "hash_table_Lookup", table, keys, default_value);
        var k = b.Convert(keys, "keys");
        var d = b.Convert(default_value, "default_value", valueDType);
        return b.Create(Def, [table, k, d], new() { { Tin, k.dtype }, { Tout, valueDType } }).outputs[0];
    }
}
