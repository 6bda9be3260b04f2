using System.Globalization;
using System.Text;
using Google.Protobuf;
using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.FileIO.ParsingOps;

// Inside the namespace: FileIO has facade classes of the same names (tf.train.Feature, ...).
using Example = Tensorflow.Example;
using Feature = Tensorflow.Feature;
using SequenceExample = Tensorflow.SequenceExample;

/// <summary>A dense feature to parse: its key, dtype, shape (a leading -1: variable length) and default.</summary>
internal sealed record DenseSpec(string Key, DType Type, Shape Shape)
{
    /// <summary>True for a FixedLenSequenceFeature (<c>allow_missing</c>): rows of <c>Shape[1:]</c>, padded.</summary>
    public bool VariableLength => Shape.ndims > 0 && Shape[0] == -1;

    /// <summary>The number of values in one row.</summary>
    public long Stride => VariableLength ? Shape.Dims[1..].Aggregate(1L, (a, b) => a * b) : Shape.NumElements;
}

/// <summary>
/// The parsing shared by ParseExample, ParseSingleExample and ParseSingleSequenceExample: TensorFlow's
/// example_parsing_ops.cc and example_proto_helper.cc, with their messages (which name the example and the
/// feature). The wire format is decoded by the generated Example messages; a malformed one is an
/// <see cref="InvalidArgumentError"/>.
/// </summary>
internal static class ExampleParser
{
    /// <summary>The dtypes a feature can have.</summary>
    public static bool ValidType(DType t) => t == DType.float32 || t == DType.int64 || t == DType.@string;

    public static Example ParseExample(OpKernelContext ctx, byte[] bytes)
    {
        try
        {
            return Example.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw ctx.InvalidArgument($"Could not parse example input, value: '{Printable(bytes)}'");
        }
    }

    public static SequenceExample ParseSequenceExample(OpKernelContext ctx, byte[] bytes)
    {
        try
        {
            return SequenceExample.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw ctx.InvalidArgument($"Could not parse example input, value: '{Printable(bytes)}'");
        }
    }

    private static string Printable(byte[] bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes.Take(256))
            sb.Append(b is >= 32 and < 127 and not (byte)'\\' and not (byte)'\'' ? ((char)b).ToString() : "\\" + Convert.ToString(b, 8).PadLeft(3, '0'));
        if (bytes.Length > 256) sb.Append("...");
        return sb.ToString();
    }

    /// <summary>True when the feature holds the list kind of <paramref name="dtype"/> (or no list at all).</summary>
    public static bool TypesMatch(Feature f, DType dtype) => f.KindCase switch
    {
        Feature.KindOneofCase.None => true,
        Feature.KindOneofCase.Int64List => dtype == DType.int64,
        Feature.KindOneofCase.FloatList => dtype == DType.float32,
        _ => dtype == DType.@string,
    };

    public static int Count(Feature f) => f.KindCase switch
    {
        Feature.KindOneofCase.Int64List => f.Int64List.Value.Count,
        Feature.KindOneofCase.FloatList => f.FloatList.Value.Count,
        Feature.KindOneofCase.BytesList => f.BytesList.Value.Count,
        _ => 0,
    };

    private static string TypeName(DType dtype) => dtype == DType.@string ? "bytes" : dtype == DType.int64 ? "int64" : "float";

    /// <summary>TensorFlow's <c>Feature.DebugString()</c> in short.</summary>
    public static string Debug(Feature f) => f.KindCase switch
    {
        Feature.KindOneofCase.Int64List => "int64_list { " + string.Join(" ", f.Int64List.Value.Select(v => $"value: {v}")) + " }",
        Feature.KindOneofCase.FloatList => "float_list { " + string.Join(" ", f.FloatList.Value.Select(v => $"value: {v.ToString(CultureInfo.InvariantCulture)}")) + " }",
        Feature.KindOneofCase.BytesList => "bytes_list { " + string.Join(" ", f.BytesList.Value.Select(v => $"value: \"{Printable(v.ToByteArray())}\"")) + " }",
        _ => "",
    };

    public static InvalidArgumentError TypeMismatch(OpKernelContext ctx, string prefix, DType dtype, Feature f) =>
        ctx.InvalidArgument($"{prefix}.  Data types don't match. Expected type: {dtype.name}  Feature is: {Debug(f)}");

    /// <summary>Copies <paramref name="count"/> values of the feature from <paramref name="from"/> to <paramref name="dst"/> at <paramref name="at"/>.</summary>
    public static void CopyValues(Feature f, NDArray dst, long at, int from = 0, int count = -1)
    {
        if (count < 0) count = Count(f) - from;
        var a = (int)at;
        switch (f.KindCase)
        {
            case Feature.KindOneofCase.Int64List:
                var longs = dst.AsSpan<long>();
                for (var k = 0; k < count; k++) longs[a + k] = f.Int64List.Value[from + k];
                break;
            case Feature.KindOneofCase.FloatList:
                var floats = dst.AsSpan<float>();
                for (var k = 0; k < count; k++) floats[a + k] = f.FloatList.Value[from + k];
                break;
            case Feature.KindOneofCase.BytesList:
                var strings = Elements.Strings(dst);
                for (var k = 0; k < count; k++) strings[a + k] = f.BytesList.Value[from + k].ToByteArray();
                break;
        }
    }

    /// <summary>The values of a feature as a vector.</summary>
    public static NDArray Values(Feature? f, DType dtype)
    {
        var n = f is null ? 0 : Count(f);
        var values = NDArray.Zeros(dtype, new Shape(n));
        if (n > 0) CopyValues(f!, values, 0);
        return values;
    }

    /// <summary>
    /// Checks a fixed-length dense feature's count (TensorFlow's FeatureDenseCopy) and copies it to row
    /// <paramref name="row"/> of <paramref name="output"/>.
    /// </summary>
    public static void DenseCopy(OpKernelContext ctx, string name, DenseSpec spec, Feature f, long index, NDArray output, long row)
    {
        var n = Count(f);
        if (n != spec.Stride)
            throw ctx.InvalidArgument($"Name: {name}, Key: {spec.Key}, Index: {index}.  Number of {TypeName(spec.Type)} values != expected.  values size: {n} but output shape: {spec.Shape.ToListString()}");
        CopyValues(f, output, row * spec.Stride);
    }

    /// <summary>The number of rows of a variable-length feature, checking that its values fill whole rows.</summary>
    public static long Rows(OpKernelContext ctx, string name, DenseSpec spec, Feature? f, long index)
    {
        if (f is null) return 0;
        var n = Count(f);
        if (spec.Stride == 0) return 0;
        if (n % spec.Stride != 0)
            throw ctx.InvalidArgument($"Name: {name}, Key: {spec.Key}, Index: {index}.  Number of {TypeName(spec.Type)} values is not a multiple of stride length. Saw {n} values but output shape is: {spec.Shape.ToListString()}");
        return n / spec.Stride;
    }

    /// <summary>
    /// Parses a batch of Examples into the sparse and dense outputs laid out as TensorFlow's ops do:
    /// sparse indices, sparse values, sparse shapes, then dense values. With <paramref name="batched"/> the
    /// outputs carry a leading batch axis (ParseExample); without it one example (ParseSingleExample).
    /// </summary>
    public static void ParseBatch(OpKernelContext ctx, byte[][] serialized, string[]? names, (string Key, DType Type)[] sparse,
        DenseSpec[] dense, NDArray[] defaults, bool batched)
    {
        var examples = new Example[serialized.Length];
        for (var b = 0; b < serialized.Length; b++) examples[b] = ParseExample(ctx, serialized[b]);
        string Name(int b) => names is { Length: > 0 } ? names[b] : "<unknown>";
        var batch = serialized.Length;
        var ns = sparse.Length;

        for (var d = 0; d < dense.Length; d++)
        {
            var spec = dense[d];
            var dflt = defaults[d];
            var found = new Feature?[batch];
            for (var b = 0; b < batch; b++)
            {
                examples[b].Features?.Feature.TryGetValue(spec.Key, out found[b]);
                if (found[b] is { } f && !TypesMatch(f, spec.Type))
                    throw TypeMismatch(ctx, $"Name: {Name(b)}, Feature: {spec.Key}", spec.Type, f);
            }
            if (!spec.VariableLength)
            {
                var shape = batched ? new Shape(batch).Concatenate(spec.Shape) : spec.Shape;
                var output = ctx.AllocateOutput(3 * ns + d, spec.Type, shape);
                for (var b = 0; b < batch; b++)
                {
                    if (found[b] is { } f) DenseCopy(ctx, Name(b), spec, f, b, output, b);
                    else if (dflt.size == 0) throw ctx.InvalidArgument($"Name: {Name(b)}, Feature: {spec.Key} is required but could not be found.");
                    else Elements.Copy(dflt, 0, output, (int)(b * spec.Stride), (int)spec.Stride);
                }
            }
            else
            {
                var rows = new long[batch];
                for (var b = 0; b < batch; b++) rows[b] = Rows(ctx, Name(b), spec, found[b], b);
                var maxRows = rows.Length == 0 ? 0 : rows.Max();
                var rowShape = new Shape(spec.Shape.Dims[1..]);
                var shape = new Shape(checked((int)maxRows)).Concatenate(rowShape);
                if (batched) shape = new Shape(batch).Concatenate(shape);
                var output = ctx.AllocateUninitializedOutput(3 * ns + d, spec.Type, shape);
                if (output.size > 0) Elements.Fill(output, dflt, 0);
                for (var b = 0; b < batch; b++)
                    if (found[b] is { } f) CopyValues(f, output, b * maxRows * spec.Stride);
            }
        }

        for (var s = 0; s < ns; s++)
        {
            var (key, type) = sparse[s];
            var found = new Feature?[batch];
            long total = 0, max = 0;
            for (var b = 0; b < batch; b++)
            {
                if (examples[b].Features?.Feature.TryGetValue(key, out var f) == true && f.KindCase != Feature.KindOneofCase.None)
                {
                    if (!TypesMatch(f, type)) throw TypeMismatch(ctx, $"Name: {Name(b)}, Feature: {key}", type, f);
                    found[b] = f;
                    total += Count(f);
                    max = System.Math.Max(max, Count(f));
                }
            }
            var rank = batched ? 2 : 1;
            var indices = ctx.AllocateUninitializedOutput(s, DType.int64, new Shape(checked((int)total), rank)).AsSpan<long>();
            var values = ctx.AllocateUninitializedOutput(ns + s, type, new Shape(checked((int)total)));
            var shape = ctx.AllocateUninitializedOutput(2 * ns + s, DType.int64, new Shape(rank)).AsSpan<long>();
            long offset = 0;
            for (var b = 0; b < batch; b++)
            {
                if (found[b] is not { } f) continue;
                var n = Count(f);
                CopyValues(f, values, offset);
                for (var k = 0; k < n; k++)
                {
                    if (batched) { indices[(int)(2 * (offset + k))] = b; indices[(int)(2 * (offset + k) + 1)] = k; }
                    else indices[(int)(offset + k)] = k;
                }
                offset += n;
            }
            if (batched) { shape[0] = batch; shape[1] = max; }
            else shape[0] = max;
        }
    }

    /// <summary>The string of a scalar key input.</summary>
    public static string Key(NDArray value) => Encoding.UTF8.GetString(Elements.Strings(value)[0]);
}
