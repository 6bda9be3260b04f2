using SharpFlow.GraphIO;
using SharpFlow.Tests.Checkpoints;
using Tf = Tensorflow;

namespace SharpFlow.Tests.GraphIO;

/// <summary>The protobuf text format: text_format.py's grammar, and TensorFlow's real files printed and parsed back.</summary>
public class TextFormatTests
{
    [Fact]
    public void ParsesTheGrammarTextFormatPyAccepts()
    {
        var def = TextFormat.Parse<Tf.GraphDef>("""
            # a comment
            node <
              name: 'a' "b\x41\101\n\"q\""   # adjacent strings join
              op: "Const";
              attr { key: "value" value: { tensor { dtype: 1 tensor_shape { dim { size: 0x2 } } float_val: [1.5, -inf, nan, 2.0f, 1e3] } } }
              attr { key: "list" value { list { i: [1, -2, 010] b: true b: False type: DT_INT64 } } }
            >,
            versions { producer: 134 min_consumer: 12 bad_consumers: [1, 2] }
            """);
        var node = def.Node.Single();
        Assert.Equal("abAA\n\"q\"", node.Name);
        Assert.Equal("Const", node.Op);
        var tensor = node.Attr["value"].Tensor;
        Assert.Equal(Tf.DataType.DtFloat, tensor.Dtype);
        Assert.Equal(2, tensor.TensorShape.Dim.Single().Size);
        Assert.Equal(1.5f, tensor.FloatVal[0]);
        Assert.True(float.IsNegativeInfinity(tensor.FloatVal[1]));
        Assert.True(float.IsNaN(tensor.FloatVal[2]));
        Assert.Equal(new[] { 2f, 1000f }, tensor.FloatVal.Skip(3));
        var list = node.Attr["list"].List;
        Assert.Equal(new long[] { 1, -2, 8 }, list.I);
        Assert.Equal(new[] { true, false }, list.B);
        Assert.Equal(Tf.DataType.DtInt64, list.Type.Single());
        Assert.Equal((134, 12), (def.Versions.Producer, def.Versions.MinConsumer));
        Assert.Equal(new[] { 1, 2 }, def.Versions.BadConsumers);
    }

    [Theory]
    [InlineData("node { nme: \"a\" }", "line 1", "has no field named \"nme\"")]
    [InlineData("node {\n name: \"a\"\n", "line 3", "expected '}'")]
    [InlineData("versions { producer: 99999999999 }", "line 1", "out of range")]
    [InlineData("node { name: \"a\n\" }", "line 1", "not terminated")]
    [InlineData("node { attr { key: \"T\" value { type: DT_NOPE } } }", "line 1", "has no value named \"DT_NOPE\"")]
    [InlineData("node { name \"a\" }", "line 1", "expected ':'")]
    public void ErrorsSayWhereAndWhat(string text, string where, string what)
    {
        var e = Assert.Throws<FormatException>(() => TextFormat.Parse<Tf.GraphDef>(text));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void DeepNestingIsAnErrorNotAStackOverflow()
    {
        var text = "node { attr { key: \"x\" value { " + string.Concat(Enumerable.Repeat("func { attr { key: \"a\" value { ", 60));
        Assert.Contains("nested more than", Assert.Throws<FormatException>(() => TextFormat.Parse<Tf.GraphDef>(text)).Message);
    }

    [Fact]
    public void PrintsAsTensorFlowDoesAndParsesBack()
    {
        var def = new Tf.GraphDef();
        var node = new Tf.NodeDef { Name = "n\t\"é\"", Op = "Const" };
        node.Attr["z"] = new Tf.AttrValue { B = false };
        node.Attr["a"] = new Tf.AttrValue { F = 1f };
        def.Node.Add(node);
        var text = TextFormat.Print(def);
        Assert.Equal("""
            node {
              name: "n\t\"\303\251\""
              op: "Const"
              attr {
                key: "a"
                value {
                  f: 1.0
                }
              }
              attr {
                key: "z"
                value {
                  b: false
                }
              }
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
        Assert.Equal(def, TextFormat.Parse<Tf.GraphDef>(text));
    }

    [Fact]
    public void TensorFlowsFilesPrintAndParseBackToTheSameMessages()
    {
        var frozen = ProtoFiles.Read<Tf.GraphDef>(TfFiles.Path("regression", "graphdef", "frozen.pb"));
        Assert.Equal(frozen, TextFormat.Parse<Tf.GraphDef>(TextFormat.Print(frozen)));
        var meta = ProtoFiles.Read<Tf.MetaGraphDef>(TfFiles.Path("regression", "checkpoint", "model.meta"));
        Assert.Equal(meta, TextFormat.Parse<Tf.MetaGraphDef>(TextFormat.Print(meta)));
        var saved = ProtoFiles.Read<Tf.SavedModel>(TfFiles.Path("regression", "saved_model", "saved_model.pb"));
        Assert.Equal(saved, TextFormat.Parse<Tf.SavedModel>(TextFormat.Print(saved)));
    }

    [SkippableFact]
    public void ProtocParsesOurTextOfTensorFlowsMetaGraphToTheOriginalBytes()
    {
        Protoc.SkipUnlessAvailable();
        var path = TfFiles.Path("regression", "checkpoint", "model.meta");
        var meta = ProtoFiles.Read<Tf.MetaGraphDef>(path);
        var encoded = Protoc.Encode("tensorflow.MetaGraphDef", TextFormat.Print(meta));
        Assert.Equal(meta, Tf.MetaGraphDef.Parser.ParseFrom(encoded));
        // And our parser reads protoc's own text of the file.
        Assert.Equal(meta, TextFormat.Parse<Tf.MetaGraphDef>(Protoc.Decode("tensorflow.MetaGraphDef", File.ReadAllBytes(path))));
    }
    [Fact]
    public void WriteGraphStreamsTheTextItPrints()
    {
        // write_graph(as_text) streams the printer's output to the file (a large constant's escaped tensor_content can
        // exceed the longest .NET string): the file holds exactly what Print returns, and parses back to the graph.
        var g = new Graph();
        using (g.as_default())
        {
            var values = new float[64, 64];
            for (var i = 0; i < 64; i++)
                for (var j = 0; j < 64; j++) values[i, j] = (i * 64 + j) * 0.37f;
            var c = tf.constant(values, name: "c");
            tf.identity(tf.matmul(c, c), name: "y");
        }
        var def = g.as_graph_def();
        var dir = Directory.CreateTempSubdirectory("sharpflow-textformat-").FullName;
        try
        {
            var path = tf.train.write_graph(def, dir, "graph.pbtxt", as_text: true);
            var text = File.ReadAllText(path);
            Assert.Equal(TextFormat.Print(def), text);
            Assert.Contains("tensor_content: \"", text);
            Assert.Equal(def, TextFormat.Parse<Tf.GraphDef>(text));
            var writer = new StringWriter();
            TextFormat.Print(def, writer);
            Assert.Equal(text, writer.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
