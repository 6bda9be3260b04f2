using System.Diagnostics;
using System.Text;
using SharpFlow.FileIO;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.FileIO.ParsingOps;

/// <summary>tf.train.Example and the parse ops, after parsing_ops_test.py.</summary>
public class ParseExampleTests
{
    private static string[] Texts(NDArray a) => Enumerable.Range(0, a.size).Select(i => Encoding.UTF8.GetString(a.StringBytes(i))).ToArray();

    private static Feature Int64s(params long[] v) => tf.train.Feature(int64_list: tf.train.Int64List(v));
    private static Feature Floats(params float[] v) => tf.train.Feature(float_list: tf.train.FloatList(v));
    private static Feature Strings(params string[] v) => tf.train.Feature(bytes_list: tf.train.BytesList(v));

    private static byte[] Ex(Dictionary<string, Feature> features) => tf.train.Example(tf.train.Features(features)).SerializeToString();

    [Fact]
    public void ExamplesSerializeAsTheProtobufWireFormat()
    {
        var bytes = Ex(new() { ["a"] = Int64s(1) });
        Assert.Equal(new byte[] { 0x0a, 0x0c, 0x0a, 0x0a, 0x0a, 0x01, 0x61, 0x12, 0x05, 0x1a, 0x03, 0x0a, 0x01, 0x01 }, bytes);
        var back = SharpFlow.FileIO.Example.FromString(bytes);
        Assert.Equal(new long[] { 1 }, back.features.feature["a"].int64_list!.value);
        var ex = tf.train.Example();
        ex.ParseFromString(Ex(new() { ["s"] = Strings("x", "yz"), ["f"] = Floats(1.5f) }));
        Assert.Equal("yz"u8.ToArray(), ex.features.feature["s"].bytes_list!.value[1]);
        Assert.Equal("float_list", ex.features.feature["f"].WhichOneof("kind"));
        Assert.Throws<DataLossError>(() => SharpFlow.FileIO.Example.FromString([0x0a, 0x05, 0x01]));
        Assert.Throws<ValueError>(() => tf.train.Feature(bytes_list: tf.train.BytesList(new[] { "a" }), float_list: tf.train.FloatList(1)));
    }

    [SkippableFact]
    public void ProtocDecodesTheSerializedExample()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !Directory.Exists(Path.Combine(root, "src", "SharpFlow", "Protos"))) root = Path.GetDirectoryName(root);
        Skip.If(root is null, "the repository's Protos folder was not found");
        var protoc = Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator).Select(d => Path.Combine(d, "protoc")).FirstOrDefault(File.Exists);
        Skip.If(protoc is null, "needs protoc: apt-get install protobuf-compiler");
        var bytes = Ex(new() { ["label"] = Int64s(7), ["image_raw"] = Strings("ab"), ["pixels"] = Floats(0.5f, 2f) });
        var psi = new ProcessStartInfo(protoc!, ["--decode=tensorflow.Example", "-I", Path.Combine(root!, "src", "SharpFlow", "Protos"), "tensorflow/core/example/example.proto"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        p.StandardInput.BaseStream.Write(bytes);
        p.StandardInput.Close();
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        var flat = string.Join(" ", text.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("key: \"label\" value { int64_list { value: 7 } }", flat);
        Assert.Contains("key: \"image_raw\" value { bytes_list { value: \"ab\" } }", flat);
        Assert.Contains("key: \"pixels\" value { float_list { value: 0.5 value: 2 } }", flat);
    }

    private static readonly byte[][] Batch =
    [
        Ex(new() { ["a"] = Int64s(1, 1), ["b"] = Strings("b0_str"), ["c"] = Floats(3, 4), ["st"] = Floats(3, 4) }),
        Ex(new() { ["a"] = Int64s(-1, -1), ["b"] = Strings("b1"), ["st"] = Floats(), ["seq"] = Int64s(5, 6, 7) }),
        Ex(new() { ["a"] = Int64s(0, 2), ["b"] = Strings(""), ["st"] = Floats(1, 2, 3), ["seq"] = Int64s(8) }),
    ];

    private static Dictionary<string, FeatureSpec> Features() => new()
    {
        ["a"] = tf.FixedLenFeature(new Shape(1, 2), tf.int64),
        ["b"] = tf.FixedLenFeature(Shape.Scalar, tf.@string),
        ["c"] = tf.FixedLenFeature(new Shape(2), tf.float32, default_value: new[] { 9f, 8f }),
        ["st"] = tf.VarLenFeature(tf.float32),
        ["seq"] = tf.FixedLenSequenceFeature(Shape.Scalar, tf.int64, allow_missing: true, default_value: -1L),
    };

    [Fact]
    public void ParseExampleGivesDenseSparseAndPaddedFeatures()
    {
        using var g = TestGraph.Enter();
        var serialized = tf.placeholder(tf.@string, new Shape(-1));
        var parsed = tf.parse_example(serialized, Features());
        Assert.Equal(new Shape(-1, 1, 2), parsed["a"].shape);
        Assert.Equal(new Shape(-1, -1), parsed["seq"].shape);
        using var sess = new Session(g.Graph);
        var feed = new FeedDict { [serialized] = new NDArray(Batch, new Shape(3)) };
        var a = sess.run(parsed["a"], feed);
        Assert.Equal(new Shape(3, 1, 2), a.shape);
        Assert.Equal(new long[] { 1, 1, -1, -1, 0, 2 }, a.ToArray<long>());
        Assert.Equal(["b0_str", "b1", ""], Texts(sess.run(parsed["b"], feed)));
        Assert.Equal(new[] { 3f, 4, 9, 8, 9, 8 }, sess.run(parsed["c"], feed).ToArray<float>());
        var st = sess.run(parsed.sparse("st"), feed);
        Assert.Equal(new long[] { 0, 0, 0, 1, 2, 0, 2, 1, 2, 2 }, st.indices.ToArray<long>());
        Assert.Equal(new[] { 3f, 4, 1, 2, 3 }, st.values.ToArray<float>());
        Assert.Equal(new long[] { 3, 3 }, st.dense_shape.ToArray<long>());
        var seq = sess.run(parsed["seq"], feed);
        Assert.Equal(new Shape(3, 3), seq.shape);
        Assert.Equal(new long[] { -1, -1, -1, 5, 6, 7, 8, -1, -1 }, seq.ToArray<long>());
        Assert.Throws<ValueError>(() => parsed["st"]);
    }

    [Fact]
    public void ParseSingleExampleMatchesEachRowOfParseExample()
    {
        using var g = TestGraph.Enter();
        using var sess = new Session(g.Graph);
        var serialized = tf.placeholder(tf.@string, Shape.Scalar);
        var parsed = tf.parse_single_example(serialized, Features());
        Assert.Equal(new Shape(1, 2), parsed["a"].shape);
        var feed = new FeedDict { [serialized] = new NDArray(new[] { Batch[1] }, Shape.Scalar) };
        Assert.Equal(new long[] { -1, -1 }, sess.run(parsed["a"], feed).ToArray<long>());
        Assert.Equal(new[] { 9f, 8 }, sess.run(parsed["c"], feed).ToArray<float>());
        Assert.Equal(new long[] { 5, 6, 7 }, sess.run(parsed["seq"], feed).ToArray<long>());
        feed = new FeedDict { [serialized] = new NDArray(new[] { Batch[2] }, Shape.Scalar) };
        var st = sess.run(parsed.sparse("st"), feed);
        Assert.Equal(new long[] { 0, 1, 2 }, st.indices.ToArray<long>());
        Assert.Equal(new Shape(3, 1), st.indices.shape);
        Assert.Equal(new long[] { 3 }, st.dense_shape.ToArray<long>());
        // A missing feature without a default, and one without any values: parsing_ops_test.py's testSerializedContainingSparse.
        var empty = tf.parse_single_example(tf.constant(NDArray.FromStrings([""], Shape.Scalar)), new Dictionary<string, FeatureSpec> { ["st"] = tf.VarLenFeature(tf.int64) });
        var v = sess.run(empty.sparse("st"));
        Assert.Equal(new Shape(0, 1), v.indices.shape);
        Assert.Equal(new long[] { 0 }, v.dense_shape.ToArray<long>());
    }

    [Fact]
    public void BadExamplesAreErrorsNamingTheFeatureAndOp()
    {
        using var g = TestGraph.Enter();
        using var sess = new Session(g.Graph);
        void Fails(byte[] example, Dictionary<string, FeatureSpec> features, string message, string? name = null)
        {
            var parsed = tf.parse_example(new NDArray(new[] { example }, new Shape(1)), features, example_names: name is null ? (TensorLike?)null : new[] { name });
            var e = Assert.Throws<InvalidArgumentError>(() => sess.run([.. parsed.dense.Values, .. parsed.sparse_tensors.Values.Select(s => s.values)]));
            Assert.Contains(message, e.Message);
            Assert.Contains("ParseExample", e.Message);
        }
        var a = new Dictionary<string, FeatureSpec> { ["a"] = tf.FixedLenFeature(new Shape(2), tf.int64) };
        Fails(Ex(new() { ["b"] = Int64s(1) }), a, "Name: in1, Feature: a is required but could not be found.", "in1");
        Fails(Ex(new() { ["b"] = Int64s(1) }), a, "Name: <unknown>, Feature: a is required but could not be found.");
        Fails(Ex(new() { ["a"] = Floats(1, 2) }), a, "Name: <unknown>, Feature: a.  Data types don't match. Expected type: int64");
        Fails(Ex(new() { ["a"] = Int64s(1, 2, 3) }), a, "Name: <unknown>, Key: a, Index: 0.  Number of int64 values != expected.  values size: 3 but output shape: [2]");
        Fails(Ex(new() { ["v"] = Strings("x") }), new() { ["v"] = tf.VarLenFeature(tf.float32) }, "Feature: v.  Data types don't match. Expected type: float32");
        Fails(Ex(new() { ["s"] = Int64s(1, 2, 3) }), new() { ["s"] = tf.FixedLenSequenceFeature(new Shape(2), tf.int64, allow_missing: true) },
            "Number of int64 values is not a multiple of stride length");
        Fails([0x0a, 0x05, 0x01], a, "Could not parse example input");
        Assert.Throws<ValueError>(() => tf.parse_example(new[] { "" }, new Dictionary<string, FeatureSpec> { ["s"] = tf.FixedLenSequenceFeature(Shape.Scalar, tf.int64) }));
        Assert.Throws<ValueError>(() => tf.parse_example(new[] { "" }, new Dictionary<string, FeatureSpec> { ["a"] = tf.FixedLenFeature(new Shape(2), tf.int64, default_value: 1L) }));
        Assert.Throws<ValueError>(() => tf.FixedLenFeature(Shape.Scalar, tf.int32));
        Assert.Contains("ParseSingleExample", Assert.Throws<ValueError>(() => tf.parse_single_example(new[] { "a", "b" }, a)).Message);
    }

    [Fact]
    public void ParseSingleSequenceExampleSplitsContextAndSteps()
    {
        using var g = TestGraph.Enter();
        using var sess = new Session(g.Graph);
        var seqEx = tf.train.SequenceExample(
            context: tf.train.Features(new Dictionary<string, Feature> { ["length"] = Int64s(3), ["tags"] = Strings("x", "y") }),
            feature_lists: tf.train.FeatureLists(new Dictionary<string, FeatureList>
            {
                ["tokens"] = tf.train.FeatureList([Int64s(1, 2), Int64s(3, 4), Int64s(5, 6)]),
                ["words"] = tf.train.FeatureList([Strings("a"), Strings(), Strings("b", "c")]),
            }));
        var bytes = seqEx.SerializeToString();
        Assert.Equal(2, SharpFlow.FileIO.SequenceExample.FromString(bytes).feature_lists.feature_list.Count);
        var (context, sequence) = tf.parse_single_sequence_example(new NDArray(new[] { bytes }, Shape.Scalar),
            context_features: new Dictionary<string, FeatureSpec> { ["length"] = tf.FixedLenFeature(Shape.Scalar, tf.int64), ["tags"] = tf.VarLenFeature(tf.@string) },
            sequence_features: new Dictionary<string, FeatureSpec>
            {
                ["tokens"] = tf.FixedLenSequenceFeature(new Shape(2), tf.int64),
                ["words"] = tf.VarLenFeature(tf.@string),
                ["absent"] = tf.FixedLenSequenceFeature(Shape.Scalar, tf.float32, allow_missing: true),
            });
        Assert.Equal(3L, (long)sess.run(context["length"]));
        Assert.Equal(["x", "y"], Texts(sess.run(context.sparse("tags")).values));
        var tokens = sess.run(sequence["tokens"]);
        Assert.Equal(new Shape(3, 2), tokens.shape);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, tokens.ToArray<long>());
        var words = sess.run(sequence.sparse("words"));
        Assert.Equal(new long[] { 0, 0, 2, 0, 2, 1 }, words.indices.ToArray<long>());
        Assert.Equal(new long[] { 3, 2 }, words.dense_shape.ToArray<long>());
        Assert.Equal(new Shape(0), sess.run(sequence["absent"]).shape);

        var (_, strict) = tf.parse_single_sequence_example(new NDArray(new[] { bytes }, Shape.Scalar),
            sequence_features: new Dictionary<string, FeatureSpec> { ["absent"] = tf.FixedLenSequenceFeature(Shape.Scalar, tf.float32) }, example_name: "ex7");
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(strict["absent"]));
        Assert.Contains("Name: ex7, Feature list 'absent' is required but could not be found.", e.Message);
        Assert.Contains("ParseSingleSequenceExample", e.Message);
    }
}
