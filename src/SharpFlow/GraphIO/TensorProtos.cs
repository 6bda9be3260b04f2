using Google.Protobuf;
using Tensorflow;
using TfDataType = Tensorflow.DataType;

namespace SharpFlow.GraphIO;

/// <summary>
/// Conversions between SharpFlow's values and TensorFlow's protobuf messages: dtypes (<c>DataType</c>), shapes
/// (<c>TensorShapeProto</c>) and arrays (<c>TensorProto</c>, as <c>tensor_util.make_tensor_proto</c> writes them and
/// <c>MakeNdarray</c> reads them).
/// </summary>
internal static class TensorProtos
{
    /// <summary>TensorFlow's DataType of a SharpFlow dtype.</summary>
    public static TfDataType ToProto(DType dtype) => dtype.Id switch
    {
        SharpFlow.DataType.Float => TfDataType.DtFloat,
        SharpFlow.DataType.Double => TfDataType.DtDouble,
        SharpFlow.DataType.Int32 => TfDataType.DtInt32,
        SharpFlow.DataType.Int64 => TfDataType.DtInt64,
        SharpFlow.DataType.UInt8 => TfDataType.DtUint8,
        SharpFlow.DataType.UInt16 => TfDataType.DtUint16,
        SharpFlow.DataType.Int8 => TfDataType.DtInt8,
        SharpFlow.DataType.Int16 => TfDataType.DtInt16,
        SharpFlow.DataType.UInt32 => TfDataType.DtUint32,
        SharpFlow.DataType.UInt64 => TfDataType.DtUint64,
        SharpFlow.DataType.Half => TfDataType.DtHalf,
        SharpFlow.DataType.Bool => TfDataType.DtBool,
        SharpFlow.DataType.String => TfDataType.DtString,
        SharpFlow.DataType.Resource => TfDataType.DtResource,
        _ => TfDataType.DtInvalid,
    };

    /// <summary>The SharpFlow dtype of a DataType (a reference type <c>DT_FLOAT_REF</c> as its value type), or null.</summary>
    public static DType? FromProto(TfDataType dtype)
    {
        var value = (int)dtype > 100 ? (TfDataType)((int)dtype - 100) : dtype;
        return value switch
        {
            TfDataType.DtFloat => DType.float32,
            TfDataType.DtDouble => DType.float64,
            TfDataType.DtInt32 => DType.int32,
            TfDataType.DtInt64 => DType.int64,
            TfDataType.DtUint8 => DType.uint8,
            TfDataType.DtUint16 => DType.uint16,
            TfDataType.DtInt8 => DType.int8,
            TfDataType.DtInt16 => DType.int16,
            TfDataType.DtUint32 => DType.uint32,
            TfDataType.DtUint64 => DType.uint64,
            TfDataType.DtHalf => DType.float16,
            TfDataType.DtBool => DType.@bool,
            TfDataType.DtString => DType.@string,
            TfDataType.DtResource => DType.resource,
            _ => null,
        };
    }

    /// <summary>TensorFlow's name of a DataType (<c>DT_HALF</c>), for messages.</summary>
    public static string Name(TfDataType dtype) =>
        typeof(TfDataType).GetField(dtype.ToString())?.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            is [Google.Protobuf.Reflection.OriginalNameAttribute name] ? name.Name : $"DataType({(int)dtype})";

    /// <summary>A TensorShapeProto: one dim per axis (-1 where unknown), or <c>unknown_rank</c>.</summary>
    public static TensorShapeProto ToProto(Shape shape)
    {
        var proto = new TensorShapeProto();
        if (!shape.IsKnownRank) proto.UnknownRank = true;
        else foreach (var d in shape.Dims) proto.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        return proto;
    }

    /// <summary>The shape a TensorShapeProto describes.</summary>
    public static Shape FromProto(TensorShapeProto? proto)
    {
        if (proto is null) return Shape.Scalar;
        if (proto.UnknownRank) return Shape.Unknown;
        var dims = new int[proto.Dim.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            var size = proto.Dim[i].Size;
            if (size < -1 || size > int.MaxValue) throw new ValueError($"Shape dimension {i} is {size}: must be -1 (unknown) or in [0, {int.MaxValue}]");
            dims[i] = (int)size;
        }
        return new Shape(dims);
    }

    /// <summary>
    /// A TensorProto as TensorFlow's <c>make_tensor_proto</c> writes it: arrays of more than one number as raw
    /// little-endian <c>tensor_content</c>, a single number in its typed value field, strings in <c>string_val</c>.
    /// </summary>
    public static TensorProto ToProto(NDArray a)
    {
        var proto = new TensorProto { Dtype = ToProto(a.dtype), TensorShape = ToProto(a.shape) };
        if (a.dtype == DType.@string)
        {
            for (var i = 0; i < a.size; i++) proto.StringVal.Add(ByteString.CopyFrom(a.StringBytes(i)));
            return proto;
        }
        if (a.size > 1)
        {
            proto.TensorContent = ByteString.CopyFrom(a.AsBytes());
            return proto;
        }
        if (a.size == 0) return proto;
        // By dtype, not by the array's CLR type: the CLR lets an sbyte[] match `case byte[]`, a uint[] `case int[]`.
        switch (a.dtype.Id)
        {
            case SharpFlow.DataType.Float: proto.FloatVal.Add(a.AsSpan<float>()[0]); break;
            case SharpFlow.DataType.Double: proto.DoubleVal.Add(a.AsSpan<double>()[0]); break;
            case SharpFlow.DataType.Int32: proto.IntVal.Add(a.AsSpan<int>()[0]); break;
            case SharpFlow.DataType.UInt8: proto.IntVal.Add(a.AsSpan<byte>()[0]); break;
            case SharpFlow.DataType.UInt16: proto.IntVal.Add(a.AsSpan<ushort>()[0]); break;
            case SharpFlow.DataType.Int8: proto.IntVal.Add(a.AsSpan<sbyte>()[0]); break;
            case SharpFlow.DataType.Int16: proto.IntVal.Add(a.AsSpan<short>()[0]); break;
            case SharpFlow.DataType.UInt32: proto.Uint32Val.Add(a.AsSpan<uint>()[0]); break;
            case SharpFlow.DataType.UInt64: proto.Uint64Val.Add(a.AsSpan<ulong>()[0]); break;
            case SharpFlow.DataType.Half: proto.HalfVal.Add(BitConverter.HalfToUInt16Bits(a.AsSpan<Half>()[0])); break;
            case SharpFlow.DataType.Int64: proto.Int64Val.Add(a.AsSpan<long>()[0]); break;
            case SharpFlow.DataType.Bool: proto.BoolVal.Add(a.AsSpan<bool>()[0]); break;
            default: throw new TypeError($"A {a.dtype.name} array cannot be written as a TensorProto");
        }
        return proto;
    }

    /// <summary>
    /// The array a TensorProto holds, as TensorFlow reads it: <c>tensor_content</c> when present, else the typed
    /// values, the last one repeated when fewer than the shape's element count are given (none: zeros).
    /// </summary>
    public static NDArray FromProto(TensorProto proto, string what)
    {
        var dtype = FromProto(proto.Dtype) is { } d && d != DType.resource
            ? d
            : throw new UnimplementedError($"{what}: tensors of type {Name(proto.Dtype)} are not supported");
        var shape = FromProto(proto.TensorShape);
        if (!shape.IsFullyDefined) throw new ValueError($"{what}: a tensor's shape must be fully defined, got {shape}");
        var count = NDArray.CheckedCount(shape, dtype);
        if (dtype == DType.@string)
        {
            var values = proto.StringVal;
            if (values.Count > count) throw new ValueError($"{what}: {values.Count} string values for shape {shape.ToListString()}");
            var result = new byte[count][];
            for (var i = 0; i < count; i++)
                result[i] = values.Count == 0 ? [] : values[System.Math.Min(i, values.Count - 1)].ToByteArray();
            return new NDArray(result, shape);
        }
        var array = NDArray.Zeros(dtype, shape);
        if (!proto.TensorContent.IsEmpty)
        {
            var bytes = proto.TensorContent.Span;
            if (bytes.Length != (long)count * dtype.size)
                throw new ValueError($"{what}: tensor_content holds {bytes.Length} bytes, shape {shape.ToListString()} of {dtype.name} needs {(long)count * dtype.size}");
            bytes.CopyTo(array.AsWritableBytes());
            return array;
        }
        switch (dtype.Id)
        {
            case SharpFlow.DataType.Float: Fill((float[])array.Storage, proto.FloatVal, v => v, what, shape); break;
            case SharpFlow.DataType.Double: Fill((double[])array.Storage, proto.DoubleVal, v => v, what, shape); break;
            case SharpFlow.DataType.Int32: Fill((int[])array.Storage, proto.IntVal, v => v, what, shape); break;
            case SharpFlow.DataType.UInt8: Fill((byte[])array.Storage, proto.IntVal, v => (byte)v, what, shape); break;
            case SharpFlow.DataType.UInt16: Fill((ushort[])array.Storage, proto.IntVal, v => (ushort)v, what, shape); break;
            case SharpFlow.DataType.Int8: Fill((sbyte[])array.Storage, proto.IntVal, v => (sbyte)v, what, shape); break;
            case SharpFlow.DataType.Int16: Fill((short[])array.Storage, proto.IntVal, v => (short)v, what, shape); break;
            case SharpFlow.DataType.UInt32: Fill((uint[])array.Storage, proto.Uint32Val, v => v, what, shape); break;
            case SharpFlow.DataType.UInt64: Fill((ulong[])array.Storage, proto.Uint64Val, v => v, what, shape); break;
            case SharpFlow.DataType.Half: Fill((Half[])array.Storage, proto.HalfVal, v => BitConverter.UInt16BitsToHalf((ushort)v), what, shape); break;
            case SharpFlow.DataType.Int64: Fill((long[])array.Storage, proto.Int64Val, v => v, what, shape); break;
            case SharpFlow.DataType.Bool: Fill((bool[])array.Storage, proto.BoolVal, v => v, what, shape); break;
        }
        return array;
    }

    private static void Fill<TIn, TOut>(TOut[] target, IList<TIn> values, Func<TIn, TOut> convert, string what, Shape shape)
    {
        if (values.Count > target.Length) throw new ValueError($"{what}: {values.Count} values for shape {shape.ToListString()}");
        for (var i = 0; i < target.Length && values.Count > 0; i++) target[i] = convert(values[System.Math.Min(i, values.Count - 1)]);
    }
}
