using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>Converts ONNX <c>TensorProto</c> values to and from <see cref="NDArray"/>.</summary>
internal static class OnnxTensors
{
    /// <summary>The value of an initializer or a <c>Constant</c> node, checked against its dims.</summary>
    public static NDArray ToNDArray(TensorProto t, string source)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
            throw new UnimplementedError($"{source}: tensor '{t.Name}' keeps its data in an external file, which SharpFlow.Onnx does not read.");
        if (t.Segment is not null) throw new UnimplementedError($"{source}: tensor '{t.Name}' is segmented, which SharpFlow.Onnx does not read.");
        var dims = new int[t.Dims.Count];
        long count = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            var d = t.Dims[i];
            if (d < 0 || d > int.MaxValue) throw new DataLossError($"{source}: tensor '{t.Name}' has an invalid dimension {d}.");
            dims[i] = (int)d;
            count *= d;
            if (count > Array.MaxLength) throw new DataLossError($"{source}: tensor '{t.Name}' of shape [{string.Join(",", t.Dims)}] is too large.");
        }
        var shape = new Shape(dims);
        var n = (int)count;
        var type = (TensorProto.Types.DataType)t.DataType;
        var raw = t.HasRawData ? t.RawData.Span : default;
        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                return NDArray.FromFlat(t.HasRawData ? Raw<float>(raw, n, t, source) : Typed(t.FloatData, n, t, source), shape);
            case TensorProto.Types.DataType.Double:
                return NDArray.FromFlat(t.HasRawData ? Raw<double>(raw, n, t, source) : Typed(t.DoubleData, n, t, source), shape);
            case TensorProto.Types.DataType.Int64:
                return NDArray.FromFlat(t.HasRawData ? Raw<long>(raw, n, t, source) : Typed(t.Int64Data, n, t, source), shape);
            case TensorProto.Types.DataType.Int32:
                return NDArray.FromFlat(t.HasRawData ? Raw<int>(raw, n, t, source) : Typed(t.Int32Data, n, t, source), shape);
            default:
                throw new UnimplementedError($"{source}: tensor '{t.Name}' has ONNX data type {type}; SharpFlow.Onnx reads FLOAT, DOUBLE, INT32 and INT64.");
        }
    }

    private static T[] Typed<T>(Google.Protobuf.Collections.RepeatedField<T> values, int count, TensorProto t, string source)
    {
        if (values.Count != count)
            throw new DataLossError($"{source}: tensor '{t.Name}' of shape [{string.Join(",", t.Dims)}] holds {values.Count} values, expected {count}.");
        var result = new T[count];
        values.CopyTo(result, 0);
        return result;
    }

    private static T[] Raw<T>(ReadOnlySpan<byte> raw, int count, TensorProto t, string source) where T : unmanaged
    {
        var size = Marshal.SizeOf<T>();
        if (raw.Length != (long)count * size)
            throw new DataLossError($"{source}: tensor '{t.Name}' of shape [{string.Join(",", t.Dims)}] has {raw.Length} bytes of raw data, expected {(long)count * size}.");
        var result = new T[count];
        raw.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        if (!BitConverter.IsLittleEndian) throw new UnimplementedError("SharpFlow.Onnx reads raw tensor data on little-endian machines only.");
        return result;
    }

    /// <summary>An ONNX tensor holding <paramref name="value"/> (float data packed, as ONNX's own tools write it).</summary>
    public static TensorProto FromNDArray(NDArray value, string name)
    {
        var t = new TensorProto { Name = name };
        foreach (var d in value.shape.Dims) t.Dims.Add(d);
        if (value.dtype == DType.float32)
        {
            t.DataType = (int)TensorProto.Types.DataType.Float;
            t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(value.AsReadOnlySpan<float>()));
        }
        else if (value.dtype == DType.int32)
        {
            t.DataType = (int)TensorProto.Types.DataType.Int32;
            var ints = value.AsReadOnlySpan<int>();
            var bytes = new byte[ints.Length * 4];
            for (var i = 0; i < ints.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), ints[i]);
            t.RawData = ByteString.CopyFrom(bytes);
        }
        else if (value.dtype == DType.int64)
        {
            t.DataType = (int)TensorProto.Types.DataType.Int64;
            var longs = value.ToArray<long>();
            var bytes = new byte[longs.Length * 8];
            for (var i = 0; i < longs.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), longs[i]);
            t.RawData = ByteString.CopyFrom(bytes);
        }
        else throw new UnimplementedError($"Cannot export a {value.dtype} tensor '{name}' to ONNX; float32 and integer tensors are supported.");
        return t;
    }
}
