using System.Diagnostics.CodeAnalysis;

namespace SharpFlow;

/// <summary>TensorFlow's <c>DataType</c> enum values (types.proto), so graphs can be written as GraphDefs later.</summary>
public enum DataType
{
    /// <summary>No type.</summary>
    Invalid = 0,
    /// <summary>32-bit IEEE float (DT_FLOAT).</summary>
    Float = 1,
    /// <summary>64-bit IEEE float (DT_DOUBLE).</summary>
    Double = 2,
    /// <summary>32-bit signed integer (DT_INT32).</summary>
    Int32 = 3,
    /// <summary>8-bit unsigned integer (DT_UINT8).</summary>
    UInt8 = 4,
    /// <summary>Byte string (DT_STRING): serialized summaries, text.</summary>
    String = 7,
    /// <summary>64-bit signed integer (DT_INT64).</summary>
    Int64 = 9,
    /// <summary>16-bit signed integer (DT_INT16).</summary>
    Int16 = 5,
    /// <summary>8-bit signed integer (DT_INT8).</summary>
    Int8 = 6,
    /// <summary>16-bit unsigned integer (DT_UINT16): 16-bit PNG pixels.</summary>
    UInt16 = 17,
    /// <summary>16-bit IEEE float (DT_HALF): stored as half precision, computed in float32 and rounded back.</summary>
    Half = 19,
    /// <summary>32-bit unsigned integer (DT_UINT32).</summary>
    UInt32 = 22,
    /// <summary>64-bit unsigned integer (DT_UINT64).</summary>
    UInt64 = 23,
    /// <summary>Boolean (DT_BOOL).</summary>
    Bool = 10,
    /// <summary>
    /// A handle to a run-time resource (DT_RESOURCE): a stack or a tensor array that lives for one run. Each
    /// element is the resource object itself.
    /// </summary>
    Resource = 20,
}

/// <summary>
/// The element type of a tensor: <c>tf.float32</c>, <c>tf.float64</c>, <c>tf.int32</c>, <c>tf.int64</c>,
/// <c>tf.float16</c>, <c>tf.int8</c>, <c>tf.int16</c>, <c>tf.uint8</c>, <c>tf.uint16</c>, <c>tf.uint32</c>, <c>tf.uint64</c>,
/// <c>tf.@bool</c>. Prints with TensorFlow's names (<c>float32</c>).
/// </summary>
public readonly struct DType : IEquatable<DType>
{
    /// <summary>32-bit float, the default for floating-point literals.</summary>
    public static readonly DType float32 = new(DataType.Float);
    /// <summary>64-bit float.</summary>
    public static readonly DType float64 = new(DataType.Double);
    /// <summary>32-bit integer, the default for integer literals.</summary>
    public static readonly DType int32 = new(DataType.Int32);
    /// <summary>64-bit integer.</summary>
    public static readonly DType int64 = new(DataType.Int64);
    /// <summary>8-bit unsigned integer (images).</summary>
    public static readonly DType uint8 = new(DataType.UInt8);
    /// <summary>16-bit unsigned integer (16-bit PNG images).</summary>
    public static readonly DType uint16 = new(DataType.UInt16);
    /// <summary>8-bit signed integer.</summary>
    public static readonly DType int8 = new(DataType.Int8);
    /// <summary>16-bit signed integer.</summary>
    public static readonly DType int16 = new(DataType.Int16);
    /// <summary>32-bit unsigned integer.</summary>
    public static readonly DType uint32 = new(DataType.UInt32);
    /// <summary>64-bit unsigned integer.</summary>
    public static readonly DType uint64 = new(DataType.UInt64);
    /// <summary>16-bit float (<see cref="System.Half"/> storage; kernels compute in float32 and round back, as TensorFlow's CPU kernels do).</summary>
    public static readonly DType float16 = new(DataType.Half);
    /// <summary>Boolean.</summary>
    public static readonly DType @bool = new(DataType.Bool);
    /// <summary>Byte strings (each element a <c>byte[]</c>): what summary ops produce.</summary>
    public static readonly DType @string = new(DataType.String);
    /// <summary>Handles of run-time resources (stacks, tensor arrays): what <c>StackV2</c> and <c>TensorArrayV3</c> produce.</summary>
    public static readonly DType resource = new(DataType.Resource);

    /// <summary>Every supported dtype, in TensorFlow's enum order.</summary>
    public static IReadOnlyList<DType> All { get; } = [float32, float64, int32, uint8, int16, int8, int64, @bool, uint16, float16, uint32, uint64];

    /// <summary>Creates the dtype of a TensorFlow enum value.</summary>
    public DType(DataType id)
    {
        if (id is not (DataType.Float or DataType.Double or DataType.Int32 or DataType.UInt8 or DataType.Int64 or DataType.Bool or DataType.String or DataType.UInt16 or DataType.Resource
            or DataType.Int8 or DataType.Int16 or DataType.UInt32 or DataType.UInt64 or DataType.Half))
            throw new TypeError($"Unsupported data type {(int)id}.");
        Id = id;
    }

    /// <summary>TensorFlow's enum value.</summary>
    public DataType Id { get; }

    /// <summary>The name TensorFlow prints: <c>float32</c>, <c>int32</c>, <c>bool</c>.</summary>
    public string name => Id switch
    {
        DataType.Float => "float32",
        DataType.Double => "float64",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.UInt8 => "uint8",
        DataType.UInt16 => "uint16",
        DataType.Int8 => "int8",
        DataType.Int16 => "int16",
        DataType.UInt32 => "uint32",
        DataType.UInt64 => "uint64",
        DataType.Half => "float16",
        DataType.Bool => "bool",
        DataType.String => "string",
        DataType.Resource => "resource",
        _ => "invalid",
    };

    /// <summary>The name TensorFlow's C++ runtime uses in messages (<c>float</c>, <c>double</c>).</summary>
    public string ProtoName => Id switch
    {
        DataType.Float => "float",
        DataType.Double => "double",
        DataType.Half => "half",
        _ => name,
    };

    /// <summary>Bytes per element.</summary>
    public int size => Id switch
    {
        DataType.Float or DataType.Int32 or DataType.UInt32 => 4,
        DataType.Double or DataType.Int64 or DataType.UInt64 or DataType.Resource => 8,
        DataType.UInt8 or DataType.Int8 or DataType.Bool => 1,
        DataType.UInt16 or DataType.Int16 or DataType.Half => 2,
        _ => 0,
    };

    /// <summary>True for float16, float32 and float64.</summary>
    public bool is_floating => Id is DataType.Float or DataType.Double or DataType.Half;

    /// <summary>True for the signed and unsigned integer types.</summary>
    public bool is_integer => Id is DataType.Int32 or DataType.Int64 or DataType.UInt8 or DataType.UInt16
        or DataType.Int8 or DataType.Int16 or DataType.UInt32 or DataType.UInt64;

    /// <summary>True for the unsigned integer types (TensorFlow's <c>is_unsigned</c>).</summary>
    public bool is_unsigned => Id is DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;

    /// <summary>True for the types arithmetic is defined on (all but bool).</summary>
    public bool IsNumeric => is_floating || is_integer;

    /// <summary>The CLR element type holding values of this dtype.</summary>
    public Type ClrType => Id switch
    {
        DataType.Float => typeof(float),
        DataType.Double => typeof(double),
        DataType.Int32 => typeof(int),
        DataType.Int64 => typeof(long),
        DataType.UInt8 => typeof(byte),
        DataType.UInt16 => typeof(ushort),
        DataType.Int8 => typeof(sbyte),
        DataType.Int16 => typeof(short),
        DataType.UInt32 => typeof(uint),
        DataType.UInt64 => typeof(ulong),
        DataType.Half => typeof(Half),
        DataType.Bool => typeof(bool),
        DataType.String => typeof(byte[]),
        DataType.Resource => typeof(object),
        _ => typeof(void),
    };

    /// <summary>The dtype whose elements are stored as <typeparamref name="T"/>.</summary>
    public static DType Of<T>() where T : unmanaged => FromClrType(typeof(T));

    /// <summary>The dtype whose elements are stored as <paramref name="type"/>.</summary>
    public static DType FromClrType(Type type)
    {
        if (type == typeof(float)) return float32;
        if (type == typeof(double)) return float64;
        if (type == typeof(int)) return int32;
        if (type == typeof(long)) return int64;
        if (type == typeof(byte)) return uint8;
        if (type == typeof(ushort)) return uint16;
        if (type == typeof(sbyte)) return int8;
        if (type == typeof(short)) return int16;
        if (type == typeof(uint)) return uint32;
        if (type == typeof(ulong)) return uint64;
        if (type == typeof(Half)) return float16;
        if (type == typeof(bool)) return @bool;
        if (type == typeof(byte[])) return @string;
        if (type == typeof(object)) return resource;
        throw new TypeError($"No SharpFlow dtype holds values of type {type.Name}.");
    }

    /// <summary>Parses a TensorFlow dtype name (<c>float32</c>, <c>float</c>, <c>int64</c>, ...).</summary>
    public static DType Parse(string name) => name switch
    {
        "float32" or "float" => float32,
        "float64" or "double" => float64,
        "int32" => int32,
        "int64" => int64,
        "uint8" => uint8,
        "uint16" => uint16,
        "int8" => int8,
        "int16" => int16,
        "uint32" => uint32,
        "uint64" => uint64,
        "float16" or "half" => float16,
        "bool" => @bool,
        "string" => @string,
        "resource" => resource,
        _ => throw new TypeError($"Unknown dtype name '{name}'."),
    };

    /// <summary>The dtype itself (TensorFlow's <c>base_dtype</c>; SharpFlow has no reference dtypes).</summary>
    public DType base_dtype => this;

    /// <summary>True when the dtype was initialised (default(DType) is not).</summary>
    public bool IsValid => Id != DataType.Invalid;

    /// <inheritdoc/>
    public bool Equals(DType other) => Id == other.Id;
    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is DType d && Equals(d);
    /// <inheritdoc/>
    public override int GetHashCode() => (int)Id;
    /// <summary>Equality of dtypes.</summary>
    public static bool operator ==(DType a, DType b) => a.Id == b.Id;
    /// <summary>Inequality of dtypes.</summary>
    public static bool operator !=(DType a, DType b) => a.Id != b.Id;
    /// <summary>TensorFlow's repr: <c>&lt;dtype: 'float32'&gt;</c>.</summary>
    public string Repr => $"<dtype: '{name}'>";
    /// <inheritdoc/>
    public override string ToString() => name;
}
