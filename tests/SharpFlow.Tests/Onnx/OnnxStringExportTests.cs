using Microsoft.ML.OnnxRuntime;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using SharpFlow.Ops.Lookup;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// String tensors and TensorFlow's string and lookup-table ops exported to ONNX and run in ONNX Runtime against
/// SharpFlow's own run and plain expected values: string inputs, outputs and initializers (empty strings, unicode);
/// AsString and StringToNumber as Cast (opsets 13 and 17); StringJoin, RegexFullMatch, StaticRegexFullMatch and
/// StringSplit as the opset-20 string operators (refused below opset 20, naming it); HashTableV2 lookups as
/// ai.onnx.ml LabelEncoder (missing keys, every key and value type it holds). Every case ONNX cannot express is
/// refused naming the node, the op and the reason.
/// </summary>
public sealed class OnnxStringExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private static NDArray S(params string[] values) => NDArray.FromStrings(values, new Shape(values.Length));

    private static string[] Texts(NDArray a) => [.. Enumerable.Range(0, (int)a.size).Select(i => System.Text.Encoding.UTF8.GetString(a.StringBytes(i)))];

    /// <summary>
    /// Exports <paramref name="outputs"/> (named y0, y1, …) at <paramref name="opset"/>, runs the model in ONNX Runtime
    /// and SharpFlow's session on the same feeds, checks every output alike (dtype, shape, values; strings by their
    /// text) and returns ONNX Runtime's values.
    /// </summary>
    private static NDArray[] ExportAgrees(Session sess, Dictionary<string, Tensor> inputs, Tensor[] outputs, (string Name, NDArray Value)[] feed, int opset, Action? init = null)
    {
        var names = outputs.Select((_, i) => $"y{i}").ToArray();
        var model = OnnxModel.Export(sess, inputs, names.Zip(outputs).ToDictionary(p => p.First, p => p.Second), opset);
        var ort = OnnxCheck.RunOnnxRuntime(model.ToByteArray(), feed, names);
        init?.Invoke();
        var fd = new FeedDict();
        foreach (var (name, value) in feed) fd[inputs[name]] = value;
        var ours = sess.run(outputs, fd);
        for (var i = 0; i < outputs.Length; i++)
        {
            Assert.Equal(ours[i].dtype, ort[i].dtype);
            Assert.Equal(ours[i].shape, ort[i].shape);
            if (ours[i].dtype == DType.@string) Assert.Equal(Texts(ours[i]), Texts(ort[i]));
            else Assert.True(ours[i].ValueEquals(ort[i]), $"output {i}: SharpFlow {ours[i]} vs ONNX Runtime {ort[i]}");
        }
        return ort;
    }

    private static UnimplementedError Refused(Session sess, Dictionary<string, Tensor> inputs, Tensor output, int opset) =>
        Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["y"] = output }, opset));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(20)]
    public void StringInputsOutputsAndInitializersKeepTheirBytes(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.@string, new Shape(-1), name: "x");
        var same = tf.identity(x);
        var constant = tf.constant(new[] { "", "naïve", "日本語", "a b" });
        using var sess = tf.Session();
        var words = S("", "héllo", "🙂", "tab\there", "x");
        var model = OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y0"] = same, ["y1"] = constant }, opset);
        Assert.Equal((int)TensorProto.Types.DataType.String, model.Proto.Graph.Input[0].Type.TensorType.ElemType);
        Assert.Contains(model.Proto.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.String && t.StringData.Count == 4);
        var ort = OnnxCheck.RunOnnxRuntime(model.ToByteArray(), [("x", words)], ["y0", "y1"]);
        Assert.Equal(Texts(words), Texts(ort[0]));
        Assert.Equal(["", "naïve", "日本語", "a b"], Texts(ort[1]));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void AsStringPrintsIntegersAndBooleansAsTensorFlowDoes(int opset)
    {
        using var g = TestGraph.Enter();
        var i = tf.placeholder(tf.int32, new Shape(-1), name: "i");
        var l = tf.placeholder(tf.int64, new Shape(-1), name: "l");
        var u = tf.placeholder(tf.uint8, new Shape(-1), name: "u");
        var b = tf.placeholder(tf.@bool, new Shape(2, -1), name: "b");
        Tensor[] ys = [tf.as_string(i), tf.as_string(l), tf.as_string(u), tf.as_string(b), tf.as_string(i, width: 1)];
        using var sess = tf.Session();
        var ort = ExportAgrees(sess, In(i, l, u, b), ys,
            [("i", NDArray.FromFlat(new[] { 0, -7, int.MaxValue, int.MinValue }, new Shape(4))), ("l", NDArray.FromFlat(new[] { long.MinValue, 42L }, new Shape(2))),
             ("u", NDArray.FromFlat(new byte[] { 0, 255 }, new Shape(2))), ("b", NDArray.FromFlat(new[] { true, false, false, true }, new Shape(2, 2)))], opset);
        Assert.Equal(["0", "-7", "2147483647", "-2147483648"], Texts(ort[0]));
        Assert.Equal(["-9223372036854775808", "42"], Texts(ort[1]));
        Assert.Equal(["0", "255"], Texts(ort[2]));
        Assert.Equal(["true", "false", "false", "true"], Texts(ort[3]));
    }

    [Fact]
    public void AsStringRefusesFloatsAndWidthsNamingTheFormat()
    {
        using var g = TestGraph.Enter();
        var f = tf.placeholder(tf.float32, new Shape(-1), name: "f");
        var i = tf.placeholder(tf.int32, new Shape(-1), name: "i");
        using var sess = tf.Session();
        var e = Refused(sess, In(f), tf.as_string(f, name: "fs"), 13);
        Assert.Equal("fs", e.NodeName);
        Assert.Equal("Cannot export AsString \"fs\" to ONNX: a float32 input, which TensorFlow prints with %f and ONNX's Cast to STRING prints as %.8g (\"NaN\", \"INF\"); integers, booleans and float32 with shortest and precision 8 export.", e.RawMessage);
        e = Refused(sess, In(f), tf.as_string(f, precision: 3, scientific: true, name: "fe"), 17);
        Assert.Contains("TensorFlow prints with %.3e", e.RawMessage);
        e = Refused(sess, In(f), tf.as_string(f, shortest: true, name: "fg"), 17);
        Assert.Contains("TensorFlow prints with %g and", e.RawMessage);
        var d = tf.placeholder(tf.float64, new Shape(-1), name: "d");
        e = Refused(sess, In(d), tf.as_string(d, precision: 8, shortest: true, name: "dg"), 13);
        Assert.Equal("Cannot export AsString \"dg\" to ONNX: a float64 input, which TensorFlow prints with %.8g and ONNX's Cast to STRING prints otherwise; integers, booleans and float32 with shortest and precision 8 export.", e.RawMessage);
        e = Refused(sess, In(i), tf.as_string(i, width: 4, fill: "0", name: "iw"), 13);
        Assert.Equal("Cannot export AsString \"iw\" to ONNX: width 4 (fill \"0\"): ONNX has no operator that pads a string to a width.", e.RawMessage);
    }

    [Fact]
    public void StringJoinConcatenatesWithTheSeparatorAndBroadcastsScalars()
    {
        using var g = TestGraph.Enter();
        var a = tf.placeholder(tf.@string, new Shape(-1), name: "a");
        var b = tf.placeholder(tf.@string, new Shape(-1), name: "b");
        Tensor[] ys = [tf.string_join([a, b], separator: ", "), tf.string_join([a, "→", b]), tf.string_join([a]), tf.string_join([a, b, a], separator: "|")];
        using var sess = tf.Session();
        var ort = ExportAgrees(sess, In(a, b), ys, [("a", S("", "x", "日本")), ("b", S("", "", "語 🙂"))], 20);
        Assert.Equal([", ", "x, ", "日本, 語 🙂"], Texts(ort[0]));
        Assert.Equal(["→", "x→", "日本→語 🙂"], Texts(ort[1]));
        Assert.Equal(["", "x", "日本"], Texts(ort[2]));
        Assert.Equal(["||", "x||x", "日本|語 🙂|日本"], Texts(ort[3]));
        var e = Refused(sess, In(a, b), tf.string_join([a, b], name: "joined"), 17);
        Assert.Equal("Cannot export StringJoin \"joined\" to ONNX at opset 17: its mapping needs opset 20.", e.RawMessage);
        Assert.Equal("joined", e.NodeName);
    }

    [Fact]
    public void RegexFullMatchAndStaticRegexFullMatchMatchWholeStringsWithRe2()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.@string, new Shape(2, -1), name: "x");
        var pattern = tf.constant("[a-c]+\\d?");
        Tensor[] ys = [tf.strings.regex_full_match(x, "(?P<word>\\w+)@\\w+\\.com"), tf.strings.regex_full_match(x, pattern), tf.strings.regex_full_match(x, ".*é.*")];
        Assert.Equal("StaticRegexFullMatch", ys[0].op.type);
        Assert.Equal("RegexFullMatch", ys[1].op.type);
        using var sess = tf.Session();
        var ort = ExportAgrees(sess, In(x), ys, [("x", NDArray.FromStrings(["ab1", "me@ex.com", "", "aé", "abc", "me@ex.comx"], new Shape(2, 3)))], 20);
        Assert.Equal([false, true, false, false, false, false], ort[0].ToArray<bool>());
        Assert.Equal([true, false, false, false, true, false], ort[1].ToArray<bool>());
        Assert.Equal([false, false, false, true, false, false], ort[2].ToArray<bool>());
        var p = tf.placeholder(tf.@string, Shape.Scalar, name: "p");
        var e = Refused(sess, In(x, p), tf.strings.regex_full_match(x, p, name: "dynamic"), 20);
        Assert.Equal("Cannot export RegexFullMatch \"dynamic\" to ONNX: its pattern depends on the inputs.", e.RawMessage);
        e = Refused(sess, In(x), tf.strings.regex_full_match(x, "a+", name: "static"), 18);
        Assert.Equal("Cannot export StaticRegexFullMatch \"static\" to ONNX at opset 18: its mapping needs opset 20.", e.RawMessage);
    }

    [Fact]
    public void StringSplitGivesTensorFlowsSparseTokensWithAndWithoutEmptyOnes()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.@string, new Shape(-1), name: "x");
        var spaces = tf.string_split(x);
        var commas = tf.string_split(x, ",", skip_empty: false);
        var commasSkipped = tf.string_split(x, ",");
        Tensor[] ys = [spaces.indices, spaces.values, spaces.dense_shape, commas.indices, commas.values, commas.dense_shape, commasSkipped.indices, commasSkipped.values, commasSkipped.dense_shape];
        using var sess = tf.Session();
        var ort = ExportAgrees(sess, In(x), ys, [("x", S("a b  c", "", "  ", ",x,,y,", "héllo wörld,🙂", "one"))], 20);
        Assert.Equal([0L, 0, 0, 1, 0, 2, 3, 0, 4, 0, 4, 1, 5, 0], ort[0].ToArray<long>());
        Assert.Equal(["a", "b", "c", ",x,,y,", "héllo", "wörld,🙂", "one"], Texts(ort[1]));
        Assert.Equal([6L, 3], ort[2].ToArray<long>());
        Assert.Equal(["a b  c", "  ", "", "x", "", "y", "", "héllo wörld", "🙂", "one"], Texts(ort[4]));
        Assert.Equal([6L, 5], ort[5].ToArray<long>());
        Assert.Equal(["a b  c", "  ", "x", "y", "héllo wörld", "🙂", "one"], Texts(ort[7]));
        Assert.Equal([3L, 0, 3, 1, 4, 0, 4, 1, 5, 0], ort[6].ToArray<long>().Skip(4));
        // Only empty strings, and no strings at all.
        ort = ExportAgrees(sess, In(x), ys, [("x", S("", ""))], 20);
        Assert.Equal([2L, 0], ort[2].ToArray<long>());
        Assert.Equal(new Shape(0, 2), ort[3].shape);
        ort = ExportAgrees(sess, In(x), ys, [("x", NDArray.FromStrings([], new Shape(0)))], 20);
        Assert.Equal([0L, 0], ort[8].ToArray<long>());
    }

    [Fact]
    public void StringSplitRefusesTheDelimitersOnnxSplitsDifferently()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.@string, new Shape(-1), name: "x");
        using var sess = tf.Session();
        var e = Refused(sess, In(x), tf.string_split(x, ",;", name: "anyOf").values, 20);
        Assert.Equal("anyOf", e.NodeName);
        Assert.Equal("Cannot export StringSplit \"anyOf\" to ONNX: delimiter \",;\" (2 bytes): TensorFlow splits at any one of its bytes (or into single bytes when empty), ONNX's StringSplit at the whole delimiter (at whitespace runs when empty); a delimiter of one ASCII character exports.", e.RawMessage);
        e = Refused(sess, In(x), tf.string_split(x, "", name: "bytes").values, 20);
        Assert.Contains("delimiter \"\" (0 bytes): TensorFlow splits at any one of its bytes (into single bytes when it is empty)", e.RawMessage);
        e = Refused(sess, In(x), tf.string_split(x, "é", name: "accent").values, 20);
        Assert.Contains("delimiter \"é\" (2 bytes)", e.RawMessage);
        var d = tf.placeholder(tf.@string, Shape.Scalar, name: "d");
        e = Refused(sess, In(x, d), tf.string_split(x, d, name: "fed").values, 20);
        Assert.Equal("Cannot export StringSplit \"fed\" to ONNX: its delimiter depends on the inputs.", e.RawMessage);
        e = Refused(sess, In(x), tf.string_split(x, ",", name: "early").values, 19);
        Assert.Equal("Cannot export StringSplit \"early\" to ONNX at opset 19: its mapping needs opset 20.", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void StringToNumberParsesEveryOutType(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.@string, new Shape(-1), name: "x");
        var n = tf.placeholder(tf.@string, new Shape(-1), name: "n");
        Tensor[] ys = [tf.strings.to_number(x), tf.strings.to_number(x, tf.float64), tf.strings.to_number(n, tf.int32), tf.strings.to_number(n, tf.int64)];
        using var sess = tf.Session();
        var ort = ExportAgrees(sess, In(x, n), ys, [("x", S("1.5", "-2", "1e3", "0.1", "-0")), ("n", S("0", "-7", "2147483647", "+12"))], opset);
        Assert.Equal([1.5f, -2f, 1000f, 0.1f, -0f], ort[0].ToArray<float>());
        Assert.Equal([1.5, -2, 1000, 0.1, -0.0], ort[1].ToArray<double>());
        Assert.Equal([0, -7, int.MaxValue, 12], ort[2].ToArray<int>());
        Assert.Equal([0L, -7, int.MaxValue, 12], ort[3].ToArray<long>());
    }

    /// <summary>A HashTableV2 filled from constant keys and values, and its lookup of <paramref name="keys"/>.</summary>
    private static (Tensor Found, Operation Init) Table(NDArray keys, NDArray values, Tensor lookedUp, TensorLike fallback, string name = "found")
    {
        var table = HashTableV2.Build(keys.dtype, values.dtype);
        var init = InitializeTableV2.Build(table, tf.constant(keys), tf.constant(values));
        return (LookupTableFindV2.Build(table, lookedUp, fallback, values.dtype, name), init);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(20)]
    public void LookupsBecomeLabelEncodersWithTheDefaultForMissingKeys(int opset)
    {
        using var g = TestGraph.Enter();
        var words = tf.placeholder(tf.@string, new Shape(-1), name: "words");
        var ids = tf.placeholder(tf.int64, new Shape(2, -1), name: "ids");
        var small = tf.placeholder(tf.int32, new Shape(-1), name: "small");
        var vocabulary = S("", "cat", "日本", "🙂");
        var (wordIds, i1) = Table(vocabulary, NDArray.FromFlat(new long[] { 0, 1, 2, 3 }, new Shape(4)), words, -1L, "word_ids");
        var (idWords, i2) = Table(NDArray.FromFlat(new long[] { 5, -1, long.MaxValue }, new Shape(3)), S("five", "", "max"), ids, "UNK", "id_words");
        var (renamed, i3) = Table(S("a", "b"), S("α", "β"), words, "?", "renamed");
        var (scores, i4) = Table(S("cat", "dog"), NDArray.FromFlat(new[] { 0.5f, -2f }, new Shape(2)), words, 7.25f, "scores");
        var (small32, i5) = Table(NDArray.FromFlat(new[] { 1, 2 }, new Shape(2)), NDArray.FromFlat(new[] { 10, 20 }, new Shape(2)), small, -5, "small32");
        using var sess = tf.Session();
        Assert.Equal("LookupTableFindV2", wordIds.op.type);
        var ort = ExportAgrees(sess, In(words, ids, small), [wordIds, idWords, renamed, scores, small32],
            [("words", S("cat", "", "dog", "🙂", "Cat", "a", "b")), ("ids", NDArray.FromFlat(new long[] { 5, 6, -1, long.MaxValue }, new Shape(2, 2))), ("small", NDArray.FromFlat(new[] { 2, 3, 1 }, new Shape(3)))],
            opset, () => sess.run([i1, i2, i3, i4, i5]));
        Assert.Equal([1L, 0, -1, 3, -1, -1, -1], ort[0].ToArray<long>());
        Assert.Equal(["five", "UNK", "", "max"], Texts(ort[1]));
        Assert.Equal(["?", "?", "?", "?", "?", "α", "β"], Texts(ort[2]));
        Assert.Equal([0.5f, 7.25f, -2f, 7.25f, 7.25f, 7.25f, 7.25f], ort[3].ToArray<float>());
        Assert.Equal([20, -5, 10], ort[4].ToArray<int>());
    }

    [Fact]
    public void AnEmptyTableGivesTheDefaultForEveryKey()
    {
        using var g = TestGraph.Enter();
        var words = tf.placeholder(tf.@string, new Shape(-1), name: "words");
        var (found, init) = Table(NDArray.FromStrings([], new Shape(0)), NDArray.FromFlat(Array.Empty<long>(), new Shape(0)), words, 9L, "empty");
        using var sess = tf.Session();
        var ort = ExportAgrees(sess, In(words), [found], [("words", S("a", ""))], 13, () => sess.run(init));
        Assert.Equal([9L, 9], ort[0].ToArray<long>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(20)]
    public void Float64ValuesTakeLabelEncodersVersion4(int opset)
    {
        using var g = TestGraph.Enter();
        var words = tf.placeholder(tf.@string, new Shape(-1), name: "words");
        var ids = tf.placeholder(tf.int64, new Shape(-1), name: "ids");
        var (doubles, i1) = Table(S("a", "b"), NDArray.FromFlat(new[] { 0.1, -1e300 }, new Shape(2)), words, double.NaN, "doubles");
        var (byId, i2) = Table(NDArray.FromFlat(new long[] { 3 }, new Shape(1)), NDArray.FromFlat(new[] { 2.5 }, new Shape(1)), ids, -0.5, "by_id");
        using var sess = tf.Session();
        var ort = ExportAgrees(sess, In(words, ids), [doubles, byId], [("words", S("b", "c", "a")), ("ids", NDArray.FromFlat(new long[] { 4, 3 }, new Shape(2)))], opset, () => sess.run([i1, i2]));
        var v = ort[0].ToArray<double>();
        Assert.Equal(-1e300, v[0]);
        Assert.True(double.IsNaN(v[1]));
        Assert.Equal(0.1, v[2]);
        Assert.Equal([-0.5, 2.5], ort[1].ToArray<double>());
    }

    [Fact]
    public void LookupsRefuseWhatLabelEncoderCannotHold()
    {
        using var g = TestGraph.Enter();
        var words = tf.placeholder(tf.@string, new Shape(-1), name: "words");
        var (flags, _) = Table(S("a"), NDArray.FromFlat(new[] { true }, new Shape(1)), words, false, "flags");
        using var sess = tf.Session();
        var e = Refused(sess, In(words), flags, 17);
        Assert.Equal("flags", e.NodeName);
        Assert.Equal("Cannot export LookupTableFindV2 \"flags\" to ONNX: bool values; LabelEncoder holds string, int64, float32 or float64 values (int32 through int64).", e.RawMessage);
        var fed = tf.placeholder(tf.@string, new Shape(1), name: "fed");
        var table = HashTableV2.Build(DType.@string, DType.int64);
        InitializeTableV2.Build(table, fed, tf.constant(new[] { 3L }), name: "fill");
        var found = LookupTableFindV2.Build(table, words, -1L, DType.int64, name: "lookup");
        e = Refused(sess, In(words, fed), found, 13);
        Assert.Equal("Cannot export LookupTableFindV2 \"lookup\" to ONNX: the keys of InitializeTableV2 \"fill\" are not constants.", e.RawMessage);
        var bare = HashTableV2.Build(DType.@string, DType.int64, name: "bare");
        e = Refused(sess, In(words), LookupTableFindV2.Build(bare, words, -1L, DType.int64, name: "unfilled"), 13);
        Assert.Equal("Cannot export LookupTableFindV2 \"unfilled\" to ONNX: HashTableV2 \"bare\" is filled by 0 InitializeTableV2 ops; one that fills it from constants exports.", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void AsStringOfFloat32AsShortestWithPrecision8PrintsTensorFlowsText(int opset)
    {
        using var g = TestGraph.Enter();
        var f = tf.placeholder(tf.float32, new Shape(-1), name: "f");
        using var sess = tf.Session();
        var v = new[] { 0f, 1.5f, -0.1f, 1e10f, 1e-7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 123456789f, 3.14159265f, -0f, 100f };
        var ort = ExportAgrees(sess, In(f), [tf.as_string(f, precision: 8, shortest: true)], [("f", NDArray.FromFlat(v, new Shape(v.Length)))], opset);
        Assert.Equal(["0", "1.5", "-0.1", "1e+10", "1e-07", "nan", "inf", "-inf", "1.2345679e+08", "3.1415927", "-0", "100"], Texts(ort[0]));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void StringToNumberReadsTensorFlowsFloatSpellings(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.@string, new Shape(-1), name: "x");
        using var sess = tf.Session();
        var ort = ExportAgrees(sess, In(x), [tf.strings.to_number(x), tf.strings.to_number(x, tf.float64)], [("x", S(" 2", "3 ", "+4", "0x10", "99999999999"))], opset);
        Assert.Equal([2f, 3f, 4f, 16f, 1e11f], ort[0].ToArray<float>());
    }

    [Fact]
    public void ImageDecodersAreRefusedBecauseOnnxRuntimeLacksImageDecoder()
    {
        using var g = TestGraph.Enter();
        var bytes = tf.placeholder(tf.@string, Shape.Scalar, name: "bytes");
        using var sess = tf.Session();
        foreach (var (image, type) in new[] { (tf.image.decode_png(bytes, channels: 3, name: "png"), "DecodePng"), (tf.image.decode_jpeg(bytes, name: "jpeg"), "DecodeJpeg"), (tf.image.decode_bmp(bytes, name: "bmp"), "DecodeBmp"), (tf.image.decode_image(bytes, channels: 3, name: "any"), "DecodeImage") })
        {
            var e = Refused(sess, In(bytes), image, 20);
            Assert.Equal(image.op.name, e.NodeName);
            Assert.Equal($"Cannot export {type} \"{image.op.name}\" to ONNX: ONNX's ImageDecoder (opset 20) is not implemented by ONNX Runtime (1.31 has no kernel for it), so no model with it runs.", e.RawMessage);
        }
        // The opset-20 ImageDecoder itself: ONNX Runtime has no kernel for it.
        var graph = new GraphProto { Name = "decode" };
        graph.Input.Add(new ValueInfoProto { Name = "b", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 2 } } });
        graph.Node.Add(OnnxNodes.Create("ImageDecoder", 0, ["b"], ["i"], [("pixel_format", "RGB")]));
        graph.Output.Add(new ValueInfoProto { Name = "i", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 2 } } });
        var model = new ModelProto { IrVersion = 9, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 20 });
        var error = Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model)).Dispose());
        Assert.Contains("Could not find an implementation for ImageDecoder(20)", error.Message);
    }
}
