using Tf = Tensorflow;

namespace SharpFlow.Tests.Framework;

/// <summary>
/// tf.int8, tf.int16, tf.uint32, tf.uint64 and tf.float16 (DT_INT8 = 6, DT_INT16 = 5, DT_UINT32 = 22, DT_UINT64 = 23,
/// DT_HALF = 19): names, sizes and kinds as TensorFlow's dtypes.py; NumPy's printing; casts with C++'s rules; integer
/// arithmetic that wraps; float16 computed in float32 and rounded to half as Eigen's half does; reductions; GraphDef,
/// checkpoint and safetensors round trips.
/// </summary>
public sealed class MoreDTypesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-dtypes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, int, int, bool, bool, Type> Kinds => new()
    {
        { "int8", 6, 1, true, false, typeof(sbyte) },
        { "int16", 5, 2, true, false, typeof(short) },
        { "uint32", 22, 4, true, true, typeof(uint) },
        { "uint64", 23, 8, true, true, typeof(ulong) },
        { "float16", 19, 2, false, false, typeof(Half) },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NamesSizesAndKindsMatchTensorFlow(string name, int id, int size, bool integer, bool unsigned, Type clr)
    {
        var d = DType.Parse(name);
        Assert.Equal(name, d.name);
        Assert.Equal(id, (int)d.Id);
        Assert.Equal(size, d.size);
        Assert.Equal(integer, d.is_integer);
        Assert.Equal(!integer, d.is_floating);
        Assert.Equal(unsigned, d.is_unsigned);
        Assert.Equal(clr, d.ClrType);
        Assert.Equal(d, DType.FromClrType(clr));
        Assert.Contains(d, DType.All);
        Assert.Equal($"<dtype: '{name}'>", d.Repr);
    }

    [Fact]
    public void TheFacadeNamesThemAsTensorFlowDoes()
    {
        Assert.Equal(DType.int8, tf.int8);
        Assert.Equal(DType.int16, tf.int16);
        Assert.Equal(DType.uint32, tf.uint32);
        Assert.Equal(DType.uint64, tf.uint64);
        Assert.Equal(DType.float16, tf.float16);
        Assert.Equal(tf.float16, tf.half);
        Assert.Equal(tf.float16, DType.Parse("half"));
        Assert.Equal("half", tf.float16.ProtoName);
    }

    [Fact]
    public void ValuesPrintAsNumPyPrintsThem()
    {
        Assert.Equal("[-128    0  127]", NDArray.FromFlat(new sbyte[] { -128, 0, 127 }, new Shape(3)).ToString());
        Assert.Equal("[-32768      7]", NDArray.FromFlat(new short[] { -32768, 7 }, new Shape(2)).ToString());
        Assert.Equal("[         0 4294967295]", NDArray.FromFlat(new uint[] { 0, uint.MaxValue }, new Shape(2)).ToString());
        Assert.Equal("18446744073709551615", NDArray.Scalar(ulong.MaxValue).ToString());
        // NumPy prints a float16 by its own shortest digits: np.float16(0.1) is 0.1, not float32's 0.09997559.
        Assert.Equal("[0.1    0.2    0.3333]", NDArray.FromFlat(new[] { (Half)0.1f, (Half)0.2f, (Half)(1f / 3) }, new Shape(3)).ToString());
        Assert.Equal("65500.0", NDArray.Scalar((Half)65504f).ToString()); // np.float16(65504) prints 65500.0: its shortest digits
    }

    [Fact]
    public void IntegersWrapAndCompareAsCpp()
    {
        using var g = TestGraph.Enter();
        var i8 = tf.constant(NDArray.FromFlat(new sbyte[] { 127, -128, 5 }, new Shape(3)));
        Assert.Equal(tf.int8, i8.dtype);
        Assert.Equal(new sbyte[] { -128, 127, 6 }, g.Eval(i8 + tf.constant(NDArray.FromFlat(new sbyte[] { 1, -1, 1 }, new Shape(3)))).ToArray<sbyte>());
        Assert.Equal(new sbyte[] { -127, -128, -5 }, g.Eval(tf.negative(i8)).ToArray<sbyte>()); // -(-128) wraps to -128
        var i16 = tf.constant(NDArray.FromFlat(new short[] { 300, -7 }, new Shape(2)));
        Assert.Equal(new short[] { 24464, 49 }, g.Eval(i16 * i16).ToArray<short>()); // 90000 wraps to 90000 - 65536
        Assert.Equal(new short[] { 42, -1 }, g.Eval(tf.floordiv(i16, tf.constant((short)7))).ToArray<short>());
        var u32 = tf.constant(NDArray.FromFlat(new uint[] { 0, 4_000_000_000 }, new Shape(2)));
        Assert.Equal(new uint[] { uint.MaxValue, 3_999_999_999 }, g.Eval(u32 - tf.constant(1u)).ToArray<uint>());
        Assert.Equal(new[] { false, true }, g.Eval(tf.greater(u32, tf.constant(3_000_000_000u))).ToArray<bool>());
        var u64 = tf.constant(NDArray.FromFlat(new ulong[] { ulong.MaxValue, 1UL << 63 }, new Shape(2)));
        Assert.Equal(new ulong[] { ulong.MaxValue, 1UL << 63 }, g.Eval(tf.maximum(u64, tf.constant(5UL))).ToArray<ulong>());
        Assert.Equal(new ulong[] { (1UL << 63) - 1 }, g.Eval(tf.reduce_sum(u64, keepdims: false)).ToArray<ulong>()); // 2^64 - 1 + 2^63 wraps
        Assert.Equal(new sbyte[] { 127 }, g.Eval(tf.reduce_max(i8)).ToArray<sbyte>());
        Assert.Equal(new short[] { 146 }, g.Eval(tf.reduce_mean(i16)).ToArray<short>()); // (300 - 7) / 2 truncates
        Assert.Throws<ValueError>(() => tf.constant(200, tf.int8));
        Assert.Throws<ValueError>(() => tf.constant(-1, tf.uint32));
    }

    [Fact]
    public void CastsFollowStaticCast()
    {
        using var g = TestGraph.Enter();
        var f = tf.constant(new[] { 2.9f, -3.7f, 300f, -1e10f });
        // Floats truncate towards zero, and out-of-range ones saturate (defined here where C++ leaves it undefined).
        Assert.Equal(new sbyte[] { 2, -3, 127, -128 }, g.Eval(tf.cast(f, tf.int8)).ToArray<sbyte>());
        Assert.Equal(new short[] { 2, -3, 300, short.MinValue }, g.Eval(tf.cast(f, tf.int16)).ToArray<short>());
        Assert.Equal(new uint[] { 2, 0, 300, 0 }, g.Eval(tf.cast(f, tf.uint32)).ToArray<uint>());
        // Integers wrap: 300 as int8 is 44, -1 as uint64 is 2^64 - 1.
        var ints = tf.constant(new[] { 300, -1 });
        Assert.Equal(new sbyte[] { 44, -1 }, g.Eval(tf.cast(ints, tf.int8)).ToArray<sbyte>());
        Assert.Equal(new ulong[] { 300, ulong.MaxValue }, g.Eval(tf.cast(ints, tf.uint64)).ToArray<ulong>());
        Assert.Equal(new[] { 4294967295.0 }, g.Eval(tf.cast(tf.constant(uint.MaxValue), tf.float64)).ToArray<double>().Take(1));
        // To half: round to nearest even; 65520 and above overflow to infinity; a double rounds to float first, as Eigen's half(T).
        var halves = g.Eval(tf.cast(tf.constant(new[] { 0.1, 65519.0, 65520.0, 1.0 + 1.0 / 2048 }), tf.float16)).ToArray<Half>();
        Assert.Equal(new[] { (Half)0.1f, (Half)65504f, Half.PositiveInfinity, (Half)1f }, halves);
        Assert.Equal(new[] { true, false }, g.Eval(tf.cast(tf.constant(NDArray.FromFlat(new[] { (Half)0.5f, (Half)0f }, new Shape(2))), tf.@bool)).ToArray<bool>());
        Assert.Equal(new sbyte[] { 0, -1 }, g.Eval(tf.cast(tf.constant(NDArray.FromFlat(new[] { (Half)0.9f, (Half)(-1.5f) }, new Shape(2))), tf.int8)).ToArray<sbyte>());
    }

    [Fact]
    public void Float16ComputesInFloat32AndRoundsToHalf()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(NDArray.FromFlat(new[] { (Half)0.1f, (Half)1f, (Half)60000f }, new Shape(3)));
        var b = tf.constant(NDArray.FromFlat(new[] { (Half)0.2f, (Half)1f, (Half)10000f }, new Shape(3)));
        // np.float16(0.1) + np.float16(0.2) == 0.2998 (the float sum 0.2999267578125 ties to the even half 0.2998046875);
        // 60000 + 10000 overflows half's 65504 to inf.
        var sum = g.Eval(a + b);
        Assert.Equal(tf.float16, sum.dtype);
        Assert.Equal(new[] { (Half)0.2998046875f, (Half)2f, Half.PositiveInfinity }, sum.ToArray<Half>());
        Assert.Equal("[0.2998 2.        inf]", sum.ToString());
        // exp, sqrt and tanh in float32, then rounded: np.exp(np.float16(1)) == 2.719 (2.71875).
        var one = tf.constant(NDArray.Scalar((Half)1f));
        Assert.Equal((Half)2.71875f, g.Eval(tf.exp(one)).item<Half>());
        Assert.Equal((Half)MathF.Sqrt(2f), g.Eval(tf.sqrt(one + one)).item<Half>());
        Assert.Equal((Half)MathF.Tanh(0.5f), g.Eval(tf.tanh(tf.constant(NDArray.Scalar((Half)0.5f)))).item<Half>());
        // A sum accumulates in float32 and rounds once: 2048 ones of half sum to 2048 (a half accumulator stops at 2048 too,
        // but 4097 ones would stick at 4096 in half; in float32 they reach 4097, which rounds to 4096 as a half).
        var ones = tf.constant(NDArray.FromFlat(Enumerable.Repeat((Half)1f, 3000).ToArray(), new Shape(3000)));
        Assert.Equal((Half)3000f, g.Eval(tf.reduce_sum(ones)).item<Half>());
        Assert.Equal((Half)1f, g.Eval(tf.reduce_mean(ones)).item<Half>());
        Assert.Equal(new[] { true, false, false }, g.Eval(tf.less(a, b)).ToArray<bool>());
    }

    [Fact]
    public void ConstantsRoundTripThroughAGraphDefInTensorFlowsFields()
    {
        Tf.GraphDef def;
        var arrays = new NDArray[]
        {
            NDArray.FromFlat(new sbyte[] { -5, 7 }, new Shape(2)),
            NDArray.FromFlat(new short[] { -300, 301 }, new Shape(2)),
            NDArray.FromFlat(new uint[] { 1, uint.MaxValue }, new Shape(2)),
            NDArray.FromFlat(new ulong[] { 2, ulong.MaxValue }, new Shape(2)),
            NDArray.FromFlat(new[] { (Half)0.5f, (Half)(-2f) }, new Shape(2)),
        };
        var scalars = new object[] { (sbyte)-9, (short)-1000, 4_000_000_000u, ulong.MaxValue, (Half)0.1f };
        using (var g = TestGraph.Enter())
        {
            for (var i = 0; i < arrays.Length; i++)
            {
                tf.constant(arrays[i], name: $"many{i}");
                tf.constant(scalars[i], name: $"one{i}");
            }
            def = g.Graph.as_graph_def();
        }
        // One value goes to TensorFlow's typed field: int_val for int8/int16, uint32_val, uint64_val, half_val (the bits).
        var one = def.Node.ToDictionary(n => n.Name, n => n.Attr["value"].Tensor);
        Assert.Equal(-9, one["one0"].IntVal.Single());
        Assert.Equal(-1000, one["one1"].IntVal.Single());
        Assert.Equal(4_000_000_000u, one["one2"].Uint32Val.Single());
        Assert.Equal(ulong.MaxValue, one["one3"].Uint64Val.Single());
        Assert.Equal(BitConverter.HalfToUInt16Bits((Half)0.1f), one["one4"].HalfVal.Single());
        Assert.Equal(Tf.DataType.DtHalf, one["one4"].Dtype);
        Assert.Equal(Tf.DataType.DtInt8, one["many0"].Dtype);
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(def, name: "");
            for (var i = 0; i < arrays.Length; i++)
            {
                Assert.True(arrays[i].ValueEquals(g.Eval(g.Graph.get_tensor_by_name($"many{i}:0"))), $"many{i}");
                Assert.True(Scalar(scalars[i]).ValueEquals(g.Eval(g.Graph.get_tensor_by_name($"one{i}:0"))), $"one{i}");
            }
        }
    }

    private static NDArray Scalar(object scalar) => scalar switch
    {
        sbyte v => NDArray.Scalar(v),
        short v => NDArray.Scalar(v),
        uint v => NDArray.Scalar(v),
        ulong v => NDArray.Scalar(v),
        Half v => NDArray.Scalar(v),
        _ => throw new ArgumentException(scalar.GetType().Name),
    };

    [Fact]
    public void VariablesOfEachTypeSaveAndRestoreInBothCheckpointFormats()
    {
        var values = new NDArray[]
        {
            NDArray.FromFlat(new sbyte[] { -5, 7, 9 }, new Shape(3)),
            NDArray.FromFlat(new short[] { -300, 301, 0 }, new Shape(3)),
            NDArray.FromFlat(new uint[] { 1, uint.MaxValue, 2 }, new Shape(3)),
            NDArray.FromFlat(new ulong[] { 2, ulong.MaxValue, 3 }, new Shape(3)),
            NDArray.FromFlat(new[] { (Half)0.5f, (Half)(-2f), Half.NaN }, new Shape(3)),
        };
        foreach (var format in new[] { "tensorflow", "safetensors" })
        {
            var prefix = Path.Combine(_dir, format, "model.ckpt");
            Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
            string saved;
            using (var g = TestGraph.Enter())
            {
                var vars = values.Select((v, i) => tf.Variable(v, name: $"v{i}")).ToList();
                var saver = tf.train.Saver(write_version: format == "tensorflow" ? SharpFlow.Train.CheckpointFormat.V2 : SharpFlow.Train.CheckpointFormat.SafeTensors);
                using var sess = tf.Session();
                sess.run(tf.global_variables_initializer());
                saved = saver.save(sess, prefix);
            }
            if (format == "tensorflow")
            {
                var reader = tf.train.NewCheckpointReader(saved);
                Assert.Equal(tf.float16, reader.get_variable_to_dtype_map()["v4"]);
                Assert.Equal(tf.uint64, reader.get_variable_to_dtype_map()["v3"]);
                Assert.Contains("v4 (half) [3]", reader.debug_string(), StringComparison.Ordinal);
            }
            using (var g = TestGraph.Enter())
            {
                var vars = values.Select((v, i) => tf.Variable(NDArray.Zeros(v.dtype, v.shape), name: $"v{i}")).ToList();
                var saver = tf.train.Saver(write_version: format == "tensorflow" ? SharpFlow.Train.CheckpointFormat.V2 : SharpFlow.Train.CheckpointFormat.SafeTensors);
                using var sess = tf.Session();
                saver.restore(sess, saved);
                for (var i = 0; i < values.Length; i++)
                    Assert.Equal(values[i].AsBytes().ToArray(), sess.run(vars[i]).AsBytes().ToArray());
            }
        }
    }
}
