using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The element types ONNX models bring that SharpFlow now has (INT8, INT16, UINT16, UINT32, UINT64, FLOAT16):
/// fed inputs, initializers in raw and typed storage, casts between every pair, and the operators ONNX Runtime's CPU
/// provider defines for them, each against ONNX Runtime; and SharpFlow graphs of these types exported.
/// </summary>
public sealed class OnnxDTypeTests
{
    private static readonly (string, object)[] NoAttributes = [];

    private static NDArray Int8(params sbyte[] v) => NDArray.FromFlat(v, new Shape(v.Length));
    private static NDArray Int16(params short[] v) => NDArray.FromFlat(v, new Shape(v.Length));
    private static NDArray UInt16(params ushort[] v) => NDArray.FromFlat(v, new Shape(v.Length));
    private static NDArray UInt32(params uint[] v) => NDArray.FromFlat(v, new Shape(v.Length));
    private static NDArray UInt64(params ulong[] v) => NDArray.FromFlat(v, new Shape(v.Length));
    private static NDArray Half16(params float[] v) => NDArray.FromFlat(v.Select(x => (Half)x).ToArray(), new Shape(v.Length));

    private static IEnumerable<NDArray> Samples()
    {
        yield return Int8(-128, -3, 0, 5, 127);
        yield return Int16(-32768, -300, 0, 301, 32767);
        yield return UInt16(0, 1, 255, 256, 65535);
        yield return UInt32(0, 7, 65536, 2_000_000_000, uint.MaxValue);
        yield return UInt64(0, 9, 1UL << 40, 1UL << 63, ulong.MaxValue);
        yield return Half16(-65504f, -2.5f, 0.1f, 0.5f, 300.75f);
    }

    // ONNX element types: FLOAT 1, UINT8 2, INT8 3, UINT16 4, INT16 5, INT32 6, INT64 7, BOOL 9, FLOAT16 10, DOUBLE 11, UINT32 12, UINT64 13.
    private static readonly int[] Targets = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13];

    [Fact]
    public void CastsBetweenEveryPairAgreeWithOnnxRuntime()
    {
        foreach (var x in Samples())
            foreach (var to in Targets)
            {
                // Out-of-range float → integer conversions are undefined in C++ and ONNX: only in-range values are compared.
                var input = x.dtype.is_floating && to is 2 or 3 or 4 or 5 or 12 or 13 ? Half16(-2.5f, 0.1f, 0.5f, 100.75f) : x;
                if (input.dtype.is_floating && to is 2 or 4 or 12 or 13) input = Half16(0.1f, 0.5f, 100.75f, 2f);
                Agrees("Cast", 13, [("to", to)], [input]);
            }
        // Into the new types from float32, int64 and double (in range).
        foreach (var to in new[] { 3, 4, 5, 10, 12, 13 })
        {
            Agrees("Cast", 13, [("to", to)], [NDArray.FromFlat(new[] { 0f, 1.9f, 7.5f, 100f }, new Shape(4))]);
            Agrees("Cast", 13, [("to", to)], [L(0, 1, 7, 100)]);
            Agrees("Cast", 13, [("to", to)], [NDArray.FromFlat(new[] { 0.0, 1.9, 7.5, 100.0 }, new Shape(4))]);
        }
    }

    /// <summary>
    /// Runs <see cref="OnnxCheck.Agrees"/> where ONNX Runtime's CPU provider implements the operator for the type
    /// (it has no Max for int8, for example) and ONNX's schema allows the type (Neg of uint16 is not ONNX); returns
    /// whether it compared.
    /// </summary>
    private static bool AgreesWhereOrtHasIt(string op, int opset, (string, object)[] attributes, OnnxArg[] inputs, double tolerance = 1e-5)
    {
        try
        {
            Agrees(op, opset, attributes, inputs, tolerance: tolerance);
            return true;
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e) when (e.Message.Contains("NotImplemented", StringComparison.Ordinal)
                                                                      || e.Message.Contains("Could not find an implementation", StringComparison.Ordinal)
                                                                      || e.Message.Contains("Type Error", StringComparison.Ordinal))
        {
            return false;
        }
    }

    [Fact]
    public void OperatorsOfTheNewTypesAgreeWithOnnxRuntime()
    {
        foreach (var x in Samples())
        {
            var y = Reversed(x);
            var compared = new List<string>();
            void Check(string op, int opset, (string, object)[] attributes, OnnxArg[] inputs)
            {
                if (AgreesWhereOrtHasIt(op, opset, attributes, inputs, x.dtype == DType.float16 ? 1e-3 : 1e-5)) compared.Add(op);
            }
            foreach (var op in new[] { "Max", "Min", "Equal", "Less", "Greater", "Add", "Sub", "Mul" })
                Check(op, 14, NoAttributes, [x, y]);
            foreach (var op in new[] { "Identity", "Flatten", "Abs", "Neg", "Sign", "Relu" })
                Check(op, 14, NoAttributes, [x]);
            Check("Reshape", 14, NoAttributes, [x, Const(L(5, 1))]);
            Check("Concat", 13, [("axis", 0)], [x, y]);
            Check("Gather", 13, [("axis", 0)], [x, Const(L(4, 0, 2))]);
            Check("Unsqueeze", 13, NoAttributes, [x, Const(L(0))]);
            Check("Transpose", 13, NoAttributes, [x.Reshape(new Shape(1, 5))]);
            Check("Slice", 13, NoAttributes, [x, Const(L(1)), Const(L(4))]);
            Check("Tile", 13, NoAttributes, [x, Const(L(2))]);
            Check("Where", 16, NoAttributes, [NDArray.FromFlat(new[] { true, false, true, false, true }, new Shape(5)), x, y]);
            // The data movement every type has in ONNX Runtime, at the least.
            Assert.True(new[] { "Identity", "Reshape", "Concat", "Gather", "Transpose", "Slice" }.All(compared.Contains),
                $"{x.dtype}: compared only {string.Join(", ", compared)}");
        }
        var h = Half16(-3.5f, -0.25f, 0.1f, 1.5f, 2f);
        foreach (var op in new[] { "Sigmoid", "Exp", "Tanh", "Floor", "Ceil", "Sqrt" })
            AgreesWhereOrtHasIt(op, 14, NoAttributes, [op == "Sqrt" ? Half16(0.25f, 2f, 3f, 9f, 100f) : h], tolerance: 1e-3);
        AgreesWhereOrtHasIt("ReduceSum", 13, [("keepdims", 0)], [h], tolerance: 1e-3);
        // Integer arithmetic that wraps, where ONNX Runtime has it (uint32/uint64 Add and Mul).
        AgreesWhereOrtHasIt("Add", 14, NoAttributes, [UInt64(ulong.MaxValue, 1, 2, 3, 4), UInt64(2, 3, 4, 5, 6)]);
        AgreesWhereOrtHasIt("Mul", 14, NoAttributes, [UInt32(uint.MaxValue, 70000, 2, 3, 4), UInt32(2, 70000, 4, 5, 6)]);
    }

    private static NDArray Reversed(NDArray x)
    {
        var bytes = x.AsBytes().ToArray();
        var size = x.dtype.size;
        var result = NDArray.Zeros(x.dtype, x.shape);
        var target = result.AsWritableBytes();
        for (var i = 0; i < x.size; i++) bytes.AsSpan((x.size - 1 - i) * size, size).CopyTo(target.Slice(i * size, size));
        return result;
    }

    [Fact]
    public void InitializersInRawAndTypedStorageImport()
    {
        foreach (var x in Samples())
        {
            // Raw (OnnxTensors writes raw_data) as a constant operand...
            Agrees("Concat", 13, [("axis", 0)], [x, Const(Reversed(x))]);
            // ...and typed: int32_data for the 8- and 16-bit types and half's bits, uint64_data for UINT32/UINT64.
            var t = OnnxTensors.FromNDArray(x, "w");
            t.ClearRawData();
            switch (x.dtype.Id)
            {
                case DataType.Int8: t.Int32Data.AddRange(x.ToArray<sbyte>().Select(v => (int)v)); break;
                case DataType.Int16: t.Int32Data.AddRange(x.ToArray<short>().Select(v => (int)v)); break;
                case DataType.UInt16: t.Int32Data.AddRange(x.ToArray<ushort>().Select(v => (int)v)); break;
                case DataType.Half: t.Int32Data.AddRange(x.ToArray<Half>().Select(v => (int)BitConverter.HalfToUInt16Bits(v))); break;
                case DataType.UInt32: t.Uint64Data.AddRange(x.ToArray<uint>().Select(v => (ulong)v)); break;
                case DataType.UInt64: t.Uint64Data.AddRange(x.ToArray<ulong>()); break;
            }
            Assert.True(x.ValueEquals(OnnxTensors.ToNDArray(t, "typed.onnx")), $"typed {x.dtype}");
        }
    }

    [Fact]
    public void ImportAndExportShareOneTableOfElementTypes()
    {
        // ONNX's numbers (onnx.proto's TensorProto.DataType), each the inverse of the other way.
        var expected = new Dictionary<int, DType>
        {
            [1] = DType.float32, [2] = DType.uint8, [3] = DType.int8, [4] = DType.uint16, [5] = DType.int16, [6] = DType.int32,
            [7] = DType.int64, [9] = DType.@bool, [10] = DType.float16, [11] = DType.float64, [12] = DType.uint32, [13] = DType.uint64,
        };
        foreach (var (elemType, dtype) in expected)
        {
            Assert.Equal(dtype, OnnxTensors.DTypeOf(elemType));
            Assert.Equal(elemType, OnnxTensors.ElemTypeOf(dtype));
        }
        Assert.Null(OnnxTensors.DTypeOf(16)); // BFLOAT16
        // Strings export as STRING (their bytes in string_data); importing them is not supported.
        Assert.Equal(8, OnnxTensors.ElemTypeOf(DType.@string));
        Assert.Null(OnnxTensors.DTypeOf(8));
        Assert.Null(OnnxTensors.ElemTypeOf(DType.resource));
        var names = OnnxTensors.FromNDArray(NDArray.FromStrings(["a", "", "é"], new Shape(3)), "names");
        Assert.Equal(["a", "", "é"], names.StringData.Select(b => b.ToStringUtf8()));
        Assert.False(names.HasRawData);
    }

    [Fact]
    public void SharpFlowGraphsOfTheNewTypesExportAndRunInOnnxRuntime()
    {
        foreach (var x in Samples())
        {
            using var g = TestGraph.Enter();
            var input = tf.placeholder(x.dtype, new Shape(5), name: "x");
            var output = tf.reshape(tf.concat(new[] { input, tf.constant(Reversed(x)) }, 0), new[] { 2, 5 });
            var wide = tf.cast(output, tf.float64);
            using var sess = tf.Session();
            var exported = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = input }, new Dictionary<string, Tensor> { ["y"] = output, ["wide"] = wide });
            var ort = RunOnnxRuntime(exported.ToByteArray(), [("x", x)], ["y", "wide"]);
            var ours = sess.run(new[] { output, wide }, new FeedDict { [input] = x });
            Same(ours[0], ort[0], $"{x.dtype} concat", 0);
            Same(ours[1], ort[1], $"{x.dtype} cast", 0);
        }
    }
}
