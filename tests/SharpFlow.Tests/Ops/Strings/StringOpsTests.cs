using System.Text;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Strings;

/// <summary>The string ops, with expected values from TensorFlow's kernel tests (decode_raw_op_test.py, ...).</summary>
public class StringOpsTests
{
    private static string[] Texts(NDArray a) => Enumerable.Range(0, a.size).Select(i => Encoding.UTF8.GetString(a.StringBytes(i))).ToArray();

    private static NDArray Bytes(params byte[][] values) => new(values, new Shape(values.Length));

    [Fact]
    public void DecodeRawMatchesDecodeRawOpTest()
    {
        using var g = TestGraph.Enter();
        Assert.Equal(new byte[] { 65, 97 }, g.Eval(tf.decode_raw(new[] { "A", "a" }, tf.uint8)).ToArray<byte>());
        var wer = g.Eval(tf.decode_raw(new[] { "wer", "REW" }, tf.uint8));
        Assert.Equal(new Shape(2, 3), wer.shape);
        Assert.Equal(new byte[] { 119, 101, 114, 82, 69, 87 }, wer.ToArray<byte>());
        var bytes = Bytes([1, 2, 3, 4]);
        Assert.Equal(0x04030201, g.Eval(tf.decode_raw(bytes, tf.int32)).ToArray<int>()[0]);
        Assert.Equal(0x01020304, g.Eval(tf.decode_raw(bytes, tf.int32, little_endian: false)).ToArray<int>()[0]);
        Assert.Equal(1f, g.Eval(tf.decode_raw(Bytes([0, 0, 0x80, 0x3f]), tf.float32)).ToArray<float>()[0]);
        Assert.Equal(new Shape(1, 0), g.Eval(tf.decode_raw(new[] { "" }, tf.float64)).shape);
        var longs = new long[] { -5, 1L << 40 };
        var raw = longs.SelectMany(BitConverter.GetBytes).ToArray();
        Assert.Equal(longs, g.Eval(tf.decode_raw(Bytes(raw), tf.int64)).ToArray<long>());
        var p = tf.placeholder(tf.@string, new Shape(-1));
        Assert.Equal(new Shape(-1, -1), tf.decode_raw(p, tf.int32).shape);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.decode_raw(new[] { "short", "longer" }, tf.uint8)));
        Assert.Contains("DecodeRaw requires input strings to all be the same size, but element 1 has size 6 != 5", e.Message);
        Assert.Contains("DecodeRaw", e.Message);
        Assert.Contains("Input to DecodeRaw has length 3 that is not a multiple of 4", Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.decode_raw("abc", tf.float32))).Message);
        Assert.Throws<TypeError>(() => tf.decode_raw(tf.constant(1), tf.uint8));
    }

    [Fact]
    public void StringToNumberMatchesStringToNumberOpTest()
    {
        using var g = TestGraph.Enter();
        var floats = g.Eval(tf.string_to_number(new[] { "0", "3", "-1", "1.12", "0xF", "   -10.5", "3.40282e+38", "3.40283e+38", "-3.40283e+38", "NAN", "INF" })).ToArray<float>();
        Assert.Equal(new[] { 0f, 3, -1, 1.12f, 15, -10.5f, 3.40282e+38f, float.PositiveInfinity, float.NegativeInfinity }, floats[..9]);
        Assert.True(float.IsNaN(floats[9]));
        Assert.Equal(float.PositiveInfinity, floats[10]);
        Assert.Equal(new[] { 0, 3, -1, -10, int.MinValue, int.MaxValue },
            g.Eval(tf.string_to_number(new[] { "0", "3", "-1", "    -10", "-2147483648", "2147483647" }, tf.int32)).ToArray<int>());
        Assert.Equal(new[] { 1.5, -2e-300 }, g.Eval(tf.string_to_number(new[] { "1.5", "-2e-300" }, tf.float64)).ToArray<double>());
        Assert.Equal(new[] { long.MaxValue }, g.Eval(tf.string_to_number(new[] { "9223372036854775807" }, tf.int64)).ToArray<long>());
        foreach (var bad in new[] { "-2147483649", "2147483648", "2.9", "10foobar" })
        {
            var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.string_to_number(new[] { bad }, tf.int32)));
            Assert.Contains("StringToNumberOp could not correctly convert string: " + bad, e.Message);
        }
        Assert.Contains("10foobar", Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.string_to_number(new[] { "10foobar" }))).Message);
    }

    [Fact]
    public void AsStringFormatsAsPrintfDoes()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { -1.0, 0.0, 2.5, 12345.678, 1e-10, 0.0001, 123456789.0 }, dtype: tf.float64);
        // Python's "%f" % v, "%e" % v and "%g" % v.
        Assert.Equal(["-1.000000", "0.000000", "2.500000", "12345.678000", "0.000000", "0.000100", "123456789.000000"], Texts(g.Eval(tf.as_string(x))));
        Assert.Equal(["-1.000000e+00", "0.000000e+00", "2.500000e+00", "1.234568e+04", "1.000000e-10", "1.000000e-04", "1.234568e+08"], Texts(g.Eval(tf.as_string(x, scientific: true))));
        Assert.Equal(["-1", "0", "2.5", "12345.7", "1e-10", "0.0001", "1.23457e+08"], Texts(g.Eval(tf.as_string(x, shortest: true))));
        Assert.Equal(["-1.00", "0.00", "2.50", "12345.68", "0.00", "0.00", "123456789.00"], Texts(g.Eval(tf.as_string(x, precision: 2))));
        var ints = tf.constant(new[] { 3, -3, 12345 });
        Assert.Equal(["3", "-3", "12345"], Texts(g.Eval(tf.as_string(ints))));
        Assert.Equal(["    3", "   -3", "12345"], Texts(g.Eval(tf.as_string(ints, width: 5))));
        Assert.Equal(["00003", "-0003", "12345"], Texts(g.Eval(tf.as_string(ints, width: 5, fill: "0"))));
        Assert.Equal(["true", "false"], Texts(g.Eval(tf.as_string(new[] { true, false }))));
        Assert.Equal(["nan", "inf", "-inf"], Texts(g.Eval(tf.as_string(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity }))));
        Assert.Contains("Cannot select both scientific and shortest notation", Assert.Throws<ValueError>(() => tf.as_string(x, scientific: true, shortest: true)).Message);
        Assert.Contains("AsString", Assert.Throws<ValueError>(() => tf.as_string(ints, precision: 3)).Message);
        Assert.Contains("AsString", Assert.Throws<ValueError>(() => tf.as_string(ints, fill: "ab")).Message);
    }

    [Fact]
    public void StringJoinBroadcastsScalars()
    {
        using var g = TestGraph.Enter();
        Assert.Equal(["a-b", "a-c"], Texts(g.Eval(tf.string_join(["a", new[] { "b", "c" }], separator: "-"))));
        Assert.Equal(["xy"], Texts(g.Eval(tf.string_join(["x", "y"]))));
        Assert.Equal(Shape.Scalar, tf.string_join(["x", "y"]).shape);
        Assert.Contains("Input shapes do not match", Assert.Throws<ValueError>(() => tf.string_join([new[] { "a", "b" }, new[] { "a", "b", "c" }])).Message);
        var p = tf.placeholder(tf.@string);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.string_join([p, new[] { "a", "b" }]), new FeedDict { [p] = NDArray.FromStrings(["1", "2", "3"]) }));
        Assert.Contains("Input shapes do not match", e.Message);
    }

    [Fact]
    public void StringSplitMatchesStringSplitOpTest()
    {
        using var g = TestGraph.Enter();
        using var sess = new Session(g.Graph);
        var r = sess.run(tf.string_split(new[] { "pigs on the wing", "animals" }));
        Assert.Equal(new long[] { 0, 0, 0, 1, 0, 2, 0, 3, 1, 0 }, r.indices.ToArray<long>());
        Assert.Equal(["pigs", "on", "the", "wing", "animals"], Texts(r.values));
        Assert.Equal(new long[] { 2, 4 }, r.dense_shape.ToArray<long>());

        r = sess.run(tf.string_split(new[] { "hello", "hola" }, delimiter: ""));
        Assert.Equal("hellohola".Select(c => c.ToString()), Texts(r.values));
        Assert.Equal(new long[] { 2, 5 }, r.dense_shape.ToArray<long>());

        r = sess.run(tf.string_split(new[] { "", " a", "b ", " c", " ", " d ", "  e", "f  ", "  g  ", "  " }));
        Assert.Equal(new long[] { 1, 0, 2, 0, 3, 0, 5, 0, 6, 0, 7, 0, 8, 0 }, r.indices.ToArray<long>());
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], Texts(r.values));
        Assert.Equal(new long[] { 10, 1 }, r.dense_shape.ToArray<long>());

        r = sess.run(tf.string_split(new[] { "hello|world", "hello world" }, delimiter: "|"));
        Assert.Equal(["hello", "world", "hello world"], Texts(r.values));
        Assert.Equal(new long[] { 2, 2 }, r.dense_shape.ToArray<long>());
        r = sess.run(tf.string_split(new[] { "hello|world", "hello world" }, delimiter: "| "));
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 0, 1, 1 }, r.indices.ToArray<long>());

        r = sess.run(tf.string_split(new[] { "#a", "b#", "#c#" }, delimiter: "#", skip_empty: false));
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 0, 1, 1, 2, 0, 2, 1, 2, 2 }, r.indices.ToArray<long>());
        Assert.Equal(["", "a", "b", "", "", "c", ""], Texts(r.values));
        Assert.Equal(new long[] { 3, 3 }, r.dense_shape.ToArray<long>());

        Assert.Contains("StringSplit", Assert.Throws<ValueError>(() => tf.string_split("not a vector")).Message);
        var p = tf.placeholder(tf.@string);
        var st = tf.string_split(p);
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(st, new FeedDict { [p] = NDArray.FromStrings(["a"], Shape.Scalar) }));
        Assert.Contains("input must be a vector, got shape: []", e.Message);
    }

    [Fact]
    public void SubstrMatchesSubstrOpTest()
    {
        using var g = TestGraph.Enter();
        Assert.Equal(["llo"], Texts(g.Eval(tf.substr("Hello World", 2, 3))));
        Assert.Equal(["el", "rld"], Texts(g.Eval(tf.substr(new[] { "Hello", "World" }, new[] { 1, 2 }, new[] { 2, 3 }))));
        Assert.Equal(["llo", "rld"], Texts(g.Eval(tf.substr(new[] { "Hello", "World" }, 2, 10))));
        Assert.Equal(["ll"], Texts(g.Eval(tf.substr("Hello", -3, 2))));
        Assert.Equal(["", "o"], Texts(g.Eval(tf.substr(new[] { "Hello", "Hello" }, new[] { 5, 4 }, new[] { 1, 1 }))));
        // Broadcasting a vector of positions over a matrix of strings.
        var m = tf.reshape(tf.constant(new[] { "ten", "eleven", "twelve", "thirteen" }), new[] { 2, 2 });
        Assert.Equal(["te", "le", "tw", "hi"], Texts(g.Eval(tf.substr(m, new[] { 0, 1 }, new[] { 2, 2 }))));
        Assert.Equal(["€"], Texts(g.Eval(tf.substr("a€b", 1, 1, unit: "UTF8_CHAR"))));
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.substr(new[] { "Hello World" }, 12, 3)));
        Assert.Contains("pos 12 out of range for string b'Hello World' at index 0", e.Message);
        Assert.Contains("pos and len should have the same shape", Assert.Throws<ValueError>(() => tf.substr("a", new[] { 1, 2 }, 1)).Message);
    }

    [Fact]
    public void DecodeCsvMatchesDecodeCsvOpTest()
    {
        using var g = TestGraph.Enter();
        using var sess = new Session(g.Graph);
        var cols = tf.decode_csv(new[] { "1,2", "3,4" }, [new[] { 1 }, new[] { 2 }]);
        Assert.Equal(new[] { 1, 3 }, sess.run(cols[0]).ToArray<int>());
        Assert.Equal(new[] { 2, 4 }, sess.run(cols[1]).ToArray<int>());
        cols = tf.decode_csv(new[] { "1,", ",2" }, [new[] { 9 }, new long[] { 8 }]);
        Assert.Equal(new[] { 1, 9 }, sess.run(cols[0]).ToArray<int>());
        Assert.Equal(new long[] { 8, 2 }, sess.run(cols[1]).ToArray<long>());
        cols = tf.decode_csv(new[] { "1,NA", "NA,4.5" }, [new[] { 9.0f }, new[] { 8.0 }], na_value: "NA");
        Assert.Equal(new[] { 1f, 9f }, sess.run(cols[0]).ToArray<float>());
        Assert.Equal(new[] { 8.0, 4.5 }, sess.run(cols[1]).ToArray<double>());
        cols = tf.decode_csv(new[] { "\"1\",\"a \"\"quoted\"\" b\"", "\"3\",\"x,y\"" }, [new[] { "" }, new[] { "" }]);
        Assert.Equal(["1", "3"], Texts(sess.run(cols[0])));
        Assert.Equal(["a \"quoted\" b", "x,y"], Texts(sess.run(cols[1])));
        cols = tf.decode_csv(new[] { "1\t2" }, [new[] { 0 }, new[] { 0 }], field_delim: "\t");
        Assert.Equal(new[] { 2 }, sess.run(cols[1]).ToArray<int>());
        cols = tf.decode_csv(new[] { "1,2,3,4" }, [new[] { 0 }, new[] { 0 }], select_cols: [1, 3]);
        Assert.Equal(new[] { 4 }, sess.run(cols[1]).ToArray<int>());

        void Fails(string record, TensorLike[] defaults, string message)
        {
            var e = Assert.Throws<InvalidArgumentError>(() => sess.run(tf.decode_csv(new[] { record }, defaults)[0]));
            Assert.Contains(message, e.Message);
            Assert.Contains("DecodeCSV", e.Message);
        }
        Fails(",1", [Array.Empty<int>(), new[] { 2 }], "Field 0 is required but missing in record 0!");
        Fails("a,4", [new[] { 0 }, new[] { 0 }], "Field 0 in record 0 is not a valid int32: a");
        Fails("1.5,4", [new long[] { 0 }, new[] { 0 }], "Field 0 in record 0 is not a valid int64: 1.5");
        Fails("x,4", [new[] { 0f }, new[] { 0 }], "Field 0 in record 0 is not a valid float: x");
        Fails("1,2,3", [new[] { 0 }, new[] { 0 }], "Expect 2 fields but have 3 in record 0");
        Fails("\"1\"2\",3", [new[] { "" }, new[] { 0 }], "Quote inside a string has to be escaped by another quote");
        Fails("1\"2,3", [new[] { "" }, new[] { 0 }], "Unquoted fields cannot have quotes/CRLFs inside");
        Assert.Throws<ValueError>(() => tf.decode_csv("1", [new[] { 1, 2 }]));
    }

    [Fact]
    public void FilesAreReadWrittenAndMatched()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sf-files-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var g = TestGraph.Enter();
            using var sess = new Session(g.Graph);
            var path = Path.Combine(dir, "sub", "a.txt");
            sess.run(tf.write_file(path, "contents"));
            sess.run(tf.write_file(Path.Combine(dir, "sub", "b.txt"), "bee"));
            Assert.Equal("contents", File.ReadAllText(path));
            Assert.Equal(["contents"], Texts(sess.run(tf.read_file(path))));
            var pattern = Path.Combine(dir, "sub", "*.txt");
            Assert.Equal(2, sess.run(tf.matching_files(pattern)).size);
            var files = tf.train.match_filenames_once(pattern);
            sess.run(tf.local_variables_initializer());
            Assert.Equal(["a.txt", "b.txt"], Texts(sess.run(files)).Select(Path.GetFileName));
            var e = Assert.Throws<NotFoundError>(() => sess.run(tf.read_file(Path.Combine(dir, "missing"))));
            Assert.Contains("missing", e.Message);
            Assert.Contains("ReadFile", e.Message);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
