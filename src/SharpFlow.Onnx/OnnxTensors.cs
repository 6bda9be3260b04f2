using SharpFlow.Framework.Dispatch;
using System.Runtime.InteropServices;
using Google.Protobuf;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>Converts ONNX <c>TensorProto</c> values to and from <see cref="NDArray"/>.</summary>
internal static class OnnxTensors
{
    /// <summary>ONNX's element types that SharpFlow has a dtype for, each with it: the one table import and export share.</summary>
    private static readonly (TensorProto.Types.DataType Onnx, DType DType)[] ElementTypes =
    [
        (TensorProto.Types.DataType.Float, DType.float32), (TensorProto.Types.DataType.Uint8, DType.uint8),
        (TensorProto.Types.DataType.Int8, DType.int8), (TensorProto.Types.DataType.Uint16, DType.uint16),
        (TensorProto.Types.DataType.Int16, DType.int16), (TensorProto.Types.DataType.Int32, DType.int32),
        (TensorProto.Types.DataType.Int64, DType.int64), (TensorProto.Types.DataType.Bool, DType.@bool),
        (TensorProto.Types.DataType.Float16, DType.float16), (TensorProto.Types.DataType.Double, DType.float64),
        (TensorProto.Types.DataType.Uint32, DType.uint32), (TensorProto.Types.DataType.Uint64, DType.uint64),
    ];

    /// <summary>The ONNX element type of a SharpFlow dtype (STRING for string, export only), or null for one ONNX tensors cannot hold (resource, variant).</summary>
    public static int? ElemTypeOf(DType dtype) =>
        dtype == DType.@string ? (int)TensorProto.Types.DataType.String :
        Array.FindIndex(ElementTypes, e => e.DType == dtype) is var i and >= 0 ? (int)ElementTypes[i].Onnx : null;

    /// <summary>The SharpFlow dtype of an ONNX element type, or null for one SharpFlow lacks (bfloat16, complex).</summary>
    public static DType? DTypeOf(int elemType) =>
        Array.FindIndex(ElementTypes, e => (int)e.Onnx == elemType) is var i and >= 0 ? ElementTypes[i].DType : null;

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
            case TensorProto.Types.DataType.Uint8:
                return NDArray.FromFlat<byte>(t.HasRawData ? Raw<byte>(raw, n, t, source) : [.. Typed(t.Int32Data, n, t, source).Select(v => (byte)v)], shape);
            case TensorProto.Types.DataType.Int8:
                return NDArray.FromFlat<sbyte>(t.HasRawData ? Raw<sbyte>(raw, n, t, source) : [.. Typed(t.Int32Data, n, t, source).Select(v => (sbyte)v)], shape);
            case TensorProto.Types.DataType.Int16:
                return NDArray.FromFlat<short>(t.HasRawData ? Raw<short>(raw, n, t, source) : [.. Typed(t.Int32Data, n, t, source).Select(v => (short)v)], shape);
            case TensorProto.Types.DataType.Uint16:
                return NDArray.FromFlat<ushort>(t.HasRawData ? Raw<ushort>(raw, n, t, source) : [.. Typed(t.Int32Data, n, t, source).Select(v => (ushort)v)], shape);
            case TensorProto.Types.DataType.Uint32:
                return NDArray.FromFlat<uint>(t.HasRawData ? Raw<uint>(raw, n, t, source) : [.. Typed(t.Uint64Data, n, t, source).Select(v => (uint)v)], shape);
            case TensorProto.Types.DataType.Uint64:
                return NDArray.FromFlat<ulong>(t.HasRawData ? Raw<ulong>(raw, n, t, source) : Typed(t.Uint64Data, n, t, source), shape);
            case TensorProto.Types.DataType.Float16:
                // int32_data holds each half's 16 bits.
                return NDArray.FromFlat<Half>(t.HasRawData ? Raw<Half>(raw, n, t, source) : [.. Typed(t.Int32Data, n, t, source).Select(v => BitConverter.UInt16BitsToHalf((ushort)v))], shape);
            case TensorProto.Types.DataType.Bool:
                return NDArray.FromFlat<bool>(t.HasRawData ? [.. Raw<byte>(raw, n, t, source).Select(v => v != 0)] : [.. Typed(t.Int32Data, n, t, source).Select(v => v != 0)], shape);
            default:
                throw new UnimplementedError($"{source}: tensor '{t.Name}' has ONNX data type {type}, which SharpFlow has no dtype for; SharpFlow.Onnx reads FLOAT, FLOAT16, DOUBLE, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 and BOOL.");
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
        CheckLittleEndian();
        var size = Marshal.SizeOf<T>();
        if (raw.Length != (long)count * size)
            throw new DataLossError($"{source}: tensor '{t.Name}' of shape [{string.Join(",", t.Dims)}] has {raw.Length} bytes of raw data, expected {(long)count * size}.");
        var result = new T[count];
        raw.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    /// <summary>ONNX raw data is little-endian, which is also this machine's layout: values are copied as bytes.</summary>
    private static void CheckLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new UnimplementedError("SharpFlow.Onnx reads and writes raw tensor data on little-endian machines only.");
    }

    /// <summary>An ONNX tensor holding <paramref name="value"/>, its values as raw little-endian bytes.</summary>
    public static TensorProto FromNDArray(NDArray value, string name)
    {
        CheckLittleEndian();
        var t = new TensorProto { Name = name };
        foreach (var d in value.shape.Dims) t.Dims.Add(d);
        t.DataType = ElemTypeOf(value.dtype)
            ?? throw new UnimplementedError($"Cannot export a {value.dtype} tensor '{name}' to ONNX; numeric, bool and string tensors are supported.");
        if (value.dtype == DType.@string)
        {
            // A STRING tensor holds its elements' bytes in string_data (raw_data cannot hold strings).
            for (var i = 0; i < value.size; i++) t.StringData.Add(ByteString.CopyFrom(value.StringBytes(i)));
            return t;
        }
        t.RawData = ByteString.CopyFrom(value.AsBytes());
        return t;
    }

    /// <summary>A constant's axes permuted once, at import or export (output axis i is input axis <paramref name="perm"/>[i]).</summary>
    public static NDArray Permute(NDArray value, int[] perm)
    {
        var output = NDArray.Zeros(value.dtype, new Shape(perm.Select(i => value.shape[i]).ToArray()));
        SharpFlow.Framework.Dispatch.DataMovement.Transpose(value, perm, output);
        return output;
    }
}
