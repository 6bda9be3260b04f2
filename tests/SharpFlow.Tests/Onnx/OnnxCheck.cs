using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Tests.Onnx;

/// <summary>One operand of a one-node test model: fed as a graph input, or stored as an initializer (a constant).</summary>
internal sealed record OnnxArg(NDArray? Value, bool Fed = true)
{
    public static implicit operator OnnxArg(NDArray value) => new(value);
}

/// <summary>
/// One-node ONNX models run in ONNX Runtime and imported into SharpFlow, every output compared (dtype, shape and
/// values): the operator cross-checks.
/// </summary>
internal static class OnnxCheck
{
    /// <summary>A random float32 tensor in [lo, hi).</summary>
    public static NDArray F(int seed, params int[] shape) => Uniform(seed, -1, 1, shape);

    public static NDArray Uniform(int seed, double lo, double hi, params int[] shape)
    {
        var r = new Random(seed);
        var n = shape.Aggregate(1, (a, b) => a * b);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(_ => (float)(lo + r.NextDouble() * (hi - lo))).ToArray(), new Shape(shape));
    }

    public static NDArray L(long[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape.Length == 0 && values.Length != 1 ? [values.Length] : shape));

    public static NDArray L(params long[] values) => NDArray.FromFlat(values, new Shape(values.Length));

    public static OnnxArg Const(NDArray value) => new(value, Fed: false);

    public static readonly OnnxArg None = new(null);

    /// <summary>A model of one node with inputs in0, in1, … (an absent optional input is "") and outputs out0, out1, ….</summary>
    public static byte[] Model(string op, int opset, (string Name, object Value)[] attributes, OnnxArg[] inputs, int outputs)
    {
        var graph = new GraphProto { Name = "check" };
        var names = new List<string>();
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Value is not { } value)
            {
                names.Add("");
                continue;
            }
            var name = $"in{i}";
            names.Add(name);
            if (inputs[i].Fed) graph.Input.Add(ValueInfo(name, value));
            else graph.Initializer.Add(OnnxTensors.FromNDArray(value, name));
        }
        var outs = Enumerable.Range(0, outputs).Select(i => $"out{i}").ToArray();
        graph.Node.Add(OnnxNodes.Create(op, 0, [.. names], outs, attributes));
        foreach (var o in outs) graph.Output.Add(new ValueInfoProto { Name = o });
        var model = new ModelProto { IrVersion = opset >= 21 ? 10 : opset >= 19 ? 9 : 8, ProducerName = "SharpFlow tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }

    private static ValueInfoProto ValueInfo(string name, NDArray value)
    {
        var shape = new TensorShapeProto();
        foreach (var d in value.shape.Dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = ElemType(value.dtype), Shape = shape } } };
    }

    private static int ElemType(DType dtype) => dtype.Id switch
    {
        DataType.Float => 1,
        DataType.UInt8 => 2,
        DataType.Int32 => 6,
        DataType.Int64 => 7,
        DataType.Bool => 9,
        DataType.Double => 11,
        DataType.Int8 => 3,
        DataType.UInt16 => 4,
        DataType.Int16 => 5,
        DataType.Half => 10,
        DataType.UInt32 => 12,
        DataType.UInt64 => 13,
        _ => throw new ArgumentException($"no ONNX type for {dtype}"),
    };

    /// <summary>Runs a model in ONNX Runtime on the fed inputs (string tensors as their UTF-8 text).</summary>
    public static NDArray[] RunOnnxRuntime(byte[] model, IReadOnlyList<(string Name, NDArray Value)> feeds, string[] outputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var values = feeds.Select(f => ToOrt(f.Value)).ToList();
        try
        {
            using var run = new RunOptions();
            using var results = session.Run(run, [.. feeds.Select(f => f.Name)], values, outputs);
            return [.. results.Select(FromOrt)];
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static OrtValue ToOrt(NDArray a)
    {
        var shape = a.shape.Dims.Select(d => (long)d).ToArray();
        return a.dtype.Id switch
        {
            DataType.String => OrtValue.CreateFromStringTensor(new DenseTensor<string>(
                Enumerable.Range(0, a.size).Select(i => System.Text.Encoding.UTF8.GetString(a.StringBytes(i))).ToArray(), [.. a.shape.Dims])),
            DataType.Float => OrtValue.CreateTensorValueFromMemory(a.ToArray<float>(), shape),
            DataType.Double => OrtValue.CreateTensorValueFromMemory(a.ToArray<double>(), shape),
            DataType.Int32 => OrtValue.CreateTensorValueFromMemory(a.ToArray<int>(), shape),
            DataType.Int64 => OrtValue.CreateTensorValueFromMemory(a.ToArray<long>(), shape),
            DataType.UInt8 => OrtValue.CreateTensorValueFromMemory(a.ToArray<byte>(), shape),
            DataType.Bool => OrtValue.CreateTensorValueFromMemory(a.ToArray<bool>(), shape),
            DataType.Int8 => OrtValue.CreateTensorValueFromMemory(a.ToArray<sbyte>(), shape),
            DataType.Int16 => OrtValue.CreateTensorValueFromMemory(a.ToArray<short>(), shape),
            DataType.UInt16 => OrtValue.CreateTensorValueFromMemory(a.ToArray<ushort>(), shape),
            DataType.UInt32 => OrtValue.CreateTensorValueFromMemory(a.ToArray<uint>(), shape),
            DataType.UInt64 => OrtValue.CreateTensorValueFromMemory(a.ToArray<ulong>(), shape),
            DataType.Half => OrtValue.CreateTensorValueFromMemory(System.Runtime.InteropServices.MemoryMarshal.Cast<Half, Float16>(a.ToArray<Half>()).ToArray(), shape),
            _ => throw new ArgumentException($"cannot feed {a.dtype} to ONNX Runtime"),
        };
    }

    private static NDArray FromOrt(OrtValue v)
    {
        var info = v.GetTensorTypeAndShape();
        var shape = new Shape([.. info.Shape.Select(d => (int)d)]);
        return info.ElementDataType switch
        {
            TensorElementType.String => NDArray.FromStrings(v.GetStringTensorAsArray(), shape),
            TensorElementType.Float => NDArray.FromFlat(v.GetTensorDataAsSpan<float>().ToArray(), shape),
            TensorElementType.Double => NDArray.FromFlat(v.GetTensorDataAsSpan<double>().ToArray(), shape),
            TensorElementType.Int32 => NDArray.FromFlat(v.GetTensorDataAsSpan<int>().ToArray(), shape),
            TensorElementType.Int64 => NDArray.FromFlat(v.GetTensorDataAsSpan<long>().ToArray(), shape),
            TensorElementType.UInt8 => NDArray.FromFlat(v.GetTensorDataAsSpan<byte>().ToArray(), shape),
            TensorElementType.Bool => NDArray.FromFlat(v.GetTensorDataAsSpan<bool>().ToArray(), shape),
            TensorElementType.Int8 => NDArray.FromFlat(v.GetTensorDataAsSpan<sbyte>().ToArray(), shape),
            TensorElementType.Int16 => NDArray.FromFlat(v.GetTensorDataAsSpan<short>().ToArray(), shape),
            TensorElementType.UInt16 => NDArray.FromFlat(v.GetTensorDataAsSpan<ushort>().ToArray(), shape),
            TensorElementType.UInt32 => NDArray.FromFlat(v.GetTensorDataAsSpan<uint>().ToArray(), shape),
            TensorElementType.UInt64 => NDArray.FromFlat(v.GetTensorDataAsSpan<ulong>().ToArray(), shape),
            TensorElementType.Float16 => NDArray.FromFlat(System.Runtime.InteropServices.MemoryMarshal.Cast<Float16, Half>(v.GetTensorDataAsSpan<Float16>()).ToArray(), shape),
            var t => throw new ArgumentException($"ONNX Runtime returned {t}"),
        };
    }

    /// <summary>Runs a model imported into SharpFlow on the fed inputs.</summary>
    public static NDArray[] RunSharpFlow(byte[] model, IReadOnlyList<(string Name, NDArray Value)> feeds, string[] outputs, bool dynamicBatch = true, bool nhwc = false)
    {
        using var g = TestGraph.Enter();
        var net = OnnxModel.Parse(model, "check.onnx").Import(new OnnxImportOptions { DynamicBatch = dynamicBatch, Nhwc = nhwc });
        using var sess = tf.Session();
        var feed = new FeedDict();
        foreach (var (name, value) in feeds) feed[net.Inputs[name]] = value;
        return sess.run(outputs.Select(o => net.Outputs[o]).ToArray(), feed);
    }

    /// <summary>
    /// Exports <paramref name="outputs"/> of a SharpFlow graph, runs the model in ONNX Runtime and (with
    /// <paramref name="reimport"/>) re-imported into SharpFlow, and compares each with SharpFlow's own run; returns SharpFlow's values.
    /// </summary>
    public static NDArray[] ExportAgrees(Session sess, Dictionary<string, Tensor> inputs, Tensor[] outputs, (string Name, NDArray Value)[] feed, int opset, double tolerance = 1e-6, bool reimport = true, bool dynamicBatch = true)
    {
        var named = outputs.Select((t, i) => (Name: $"y{i}", t)).ToDictionary(p => p.Name, p => p.t);
        var exported = OnnxModel.Export(sess, inputs, named, opset);
        Assert.Equal(opset, exported.Opset);
        var dict = new FeedDict();
        foreach (var (name, value) in feed) dict[inputs[name]] = value;
        var ours = sess.run(outputs, dict);
        var bytes = exported.ToByteArray();
        var names = named.Keys.ToArray();
        var ort = RunOnnxRuntime(bytes, feed, names);
        var back = reimport ? RunSharpFlow(bytes, feed, names, dynamicBatch) : null;
        for (var i = 0; i < ours.Length; i++)
        {
            Same(ours[i], ort[i], $"ONNX Runtime, {outputs[i].op.type} {outputs[i].name} (opset {opset})", tolerance);
            if (back is not null) Same(ours[i], back[i], $"re-imported, {outputs[i].op.type} {outputs[i].name} (opset {opset})", tolerance);
        }
        return ours;
    }

    /// <summary>
    /// One operator, in ONNX Runtime and imported into SharpFlow: every output has ONNX Runtime's dtype, shape and
    /// values (floats within <paramref name="tolerance"/>, relative above 1).
    /// </summary>
    public static void Agrees(string op, int opset, (string Name, object Value)[] attributes, OnnxArg[] inputs, int outputs = 1, double tolerance = 1e-5, bool dynamicBatch = true)
    {
        var model = Model(op, opset, attributes, inputs, outputs);
        var feeds = inputs.Select((a, i) => (Name: $"in{i}", a)).Where(p => p.a.Value is not null && p.a.Fed).Select(p => (p.Name, p.a.Value!)).ToList();
        var names = Enumerable.Range(0, outputs).Select(i => $"out{i}").ToArray();
        var what = $"{op} (opset {opset}) with {string.Join(", ", attributes.Select(a => $"{a.Name}={Format(a.Value)}"))}";
        var expected = RunOnnxRuntime(model, feeds, names);
        NDArray[] actual;
        try
        {
            actual = RunSharpFlow(model, feeds, names, dynamicBatch);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: SharpFlow failed: {e.GetType().Name}: {e.Message}");
        }
        for (var i = 0; i < outputs; i++) Same(expected[i], actual[i], $"{what}, output {i}", tolerance);
    }

    private static string Format(object value) => value switch
    {
        int[] ints => $"[{string.Join(",", ints)}]",
        long[] longs => $"[{string.Join(",", longs)}]",
        float[] floats => $"[{string.Join(",", floats)}]",
        _ => value.ToString() ?? "",
    };

    public static void Same(NDArray expected, NDArray actual, string what, double tolerance)
    {
        Assert.True(expected.dtype == actual.dtype, $"{what}: ONNX Runtime gives {expected.dtype.name}, SharpFlow {actual.dtype.name}");
        Assert.True(expected.shape.Dims.SequenceEqual(actual.shape.Dims), $"{what}: ONNX Runtime gives shape [{string.Join(",", expected.shape.Dims)}], SharpFlow [{string.Join(",", actual.shape.Dims)}]");
        if (expected.dtype.is_floating)
        {
            var (e, a) = (expected.Cast(DType.float64).ToArray<double>(), actual.Cast(DType.float64).ToArray<double>());
            for (var i = 0; i < e.Length; i++)
            {
                if (double.IsNaN(e[i]) && double.IsNaN(a[i])) continue;
                if (e[i] == a[i]) continue;
                Assert.True(System.Math.Abs(e[i] - a[i]) <= tolerance * System.Math.Max(1, System.Math.Abs(e[i])), $"{what}: element {i}: ONNX Runtime {e[i]}, SharpFlow {a[i]}");
            }
        }
        else Assert.True(expected.ValueEquals(actual), $"{what}: ONNX Runtime {expected}, SharpFlow {actual}");
    }
}
