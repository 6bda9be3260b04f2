using Google.Protobuf;
using SharpFlow.GraphIO;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>Graph.as_graph_def: TensorFlow's op types and attributes, checked field by field and with protoc.</summary>
public class GraphDefTests
{
    [Fact]
    public void NodesCarryTensorFlowsTypesInputsAndAttrs()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, shape: new[] { -1, 3 }, name: "x");
        var w = tf.Variable(tf.ones((3, 2)), name: "w");
        var y = tf.matmul(x, w, name: "y");
        var s = tf.reduce_sum(y, axis: 1, name: "s");
        using (tf.control_dependencies([w.initializer])) tf.identity(s, name: "out");
        var def = g.Graph.as_graph_def();

        Assert.Equal(134, def.Versions.Producer);
        Assert.Equal(g.Graph.get_operations().Select(o => o.name), def.Node.Select(n => n.Name));
        var node = def.Node.ToDictionary(n => n.Name);
        Assert.Equal("Placeholder", node["x"].Op);
        Assert.Equal(Tf.DataType.DtFloat, node["x"].Attr["dtype"].Type);
        Assert.Equal(new long[] { -1, 3 }, node["x"].Attr["shape"].Shape.Dim.Select(d => d.Size));
        Assert.Equal("VariableV2", node["w"].Op);
        Assert.Equal(new[] { "x", "w/read" }, node["y"].Input);
        Assert.Equal("MatMul", node["y"].Op);
        Assert.False(node["y"].Attr["transpose_a"].B);
        Assert.Equal(Tf.AttrValue.ValueOneofCase.B, node["y"].Attr["transpose_b"].ValueCase);
        Assert.Equal(Tf.DataType.DtFloat, node["y"].Attr["T"].Type);
        Assert.Equal("Sum", node["s"].Op);
        Assert.Equal(Tf.DataType.DtInt32, node["s"].Attr["Tidx"].Type);
        Assert.Equal(new[] { "s", "^w/Assign" }, node["out"].Input);
        Assert.False(node["x"].Attr.ContainsKey("_output_shapes"));
    }

    [Fact]
    public void AddShapesWritesEachOutputsStaticShape()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, shape: new[] { -1, 3 }, name: "x");
        tf.split(x, 3, axis: 1, name: "parts");
        tf.placeholder(tf.int32, name: "any");
        var def = g.Graph.as_graph_def(add_shapes: true);
        var parts = def.Node.Single(n => n.Name == "parts").Attr["_output_shapes"].List.Shape;
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.Equal(new long[] { -1, 1 }, p.Dim.Select(d => d.Size)));
        Assert.True(def.Node.Single(n => n.Name == "any").Attr["_output_shapes"].List.Shape[0].UnknownRank);
    }

    [Fact]
    public void ConstantsAreTensorProtosAsTensorFlowWritesThem()
    {
        using var g = TestGraph.Enter();
        tf.constant(2.5f, name: "scalar");
        tf.constant(new[,] { { 1, 2 }, { 3, 4 } }, name: "matrix");
        tf.constant(new[] { 7L }, name: "one");
        var node = g.Graph.as_graph_def().Node.ToDictionary(n => n.Name);

        var scalar = node["scalar"].Attr["value"].Tensor;
        Assert.Equal(Tf.DataType.DtFloat, scalar.Dtype);
        Assert.Equal(new[] { 2.5f }, scalar.FloatVal);
        Assert.Empty(scalar.TensorShape.Dim);
        Assert.True(scalar.TensorContent.IsEmpty);

        var matrix = node["matrix"].Attr["value"].Tensor;
        Assert.Equal(new byte[] { 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0 }, matrix.TensorContent.ToByteArray());
        Assert.Equal(new long[] { 2, 2 }, matrix.TensorShape.Dim.Select(d => d.Size));
        Assert.Equal(new[] { 7L }, node["one"].Attr["value"].Tensor.Int64Val);

        Assert.Equal(new[] { 2.5f }, TensorProtos.FromProto(scalar, "t").ToArray<float>());
        Assert.Equal(new[] { 1, 2, 3, 4 }, TensorProtos.FromProto(matrix, "t").ToArray<int>());
    }

    [Fact]
    public void TensorProtoReadsRepeatTheLastValueAsTensorFlowDoes()
    {
        var proto = new Tf.TensorProto { Dtype = Tf.DataType.DtFloat, TensorShape = TensorProtos.ToProto(new Shape(2, 2)) };
        proto.FloatVal.Add(1f);
        proto.FloatVal.Add(2f);
        Assert.Equal(new[] { 1f, 2f, 2f, 2f }, TensorProtos.FromProto(proto, "t").ToArray<float>());
        proto.FloatVal.Clear();
        Assert.Equal(new[] { 0f, 0f, 0f, 0f }, TensorProtos.FromProto(proto, "t").ToArray<float>());
        proto.TensorContent = ByteString.CopyFrom(new byte[3]);
        var e = Assert.Throws<ValueError>(() => TensorProtos.FromProto(proto, "Node 'c'"));
        Assert.Contains("Node 'c'", e.Message);
        Assert.Contains("tensor_content holds 3 bytes", e.Message);
    }

    [SkippableFact]
    public void ProtocDecodesTheGraphDefWithTheSameFields()
    {
        Protoc.SkipUnlessAvailable();
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, shape: new[] { 2 }, name: "x");
        using (tf.device("/cpu:0")) tf.add(x, tf.constant(new[] { 1f, 2f }), name: "sum");
        var bytes = ProtoFiles.SerializeDeterministic(g.Graph.as_graph_def(add_shapes: true));
        var text = Protoc.Decode("tensorflow.GraphDef", bytes, "tensorflow/core/framework/graph.proto");
        Assert.Contains("name: \"sum\"", text);
        Assert.Matches("op: \"Add(V2)?\"", text);
        Assert.Contains("device: \"/device:CPU:0\"", text);
        Assert.Contains("type: DT_FLOAT", text);
        Assert.Contains("producer: 134", text);
        // protoc's text parses back, with our parser, to the same message.
        Assert.Equal(g.Graph.as_graph_def(add_shapes: true), TextFormat.Parse<Tf.GraphDef>(text));
        // and protoc re-encodes the text to the very bytes we wrote (deterministic: map entries sorted by key).
        Assert.Equal(bytes, Protoc.Encode("tensorflow.GraphDef", text, "tensorflow/core/framework/graph.proto"));
    }

    [Fact]
    public void TheTensorBoardEventHoldsTheGraphDef()
    {
        using var g = TestGraph.Enter();
        tf.add(tf.constant(1f, name: "a"), tf.constant(2f, name: "b"), name: "c");
        var dir = Directory.CreateTempSubdirectory("sharpflow-graphdef-").FullName;
        try
        {
            string path;
            using (var writer = tf.summary.FileWriter(dir, g.Graph)) path = writer.path;
            var graph = Tf.GraphDef.Parser.ParseFrom(tf.train.summary_iterator(path).Skip(1).First().graph_def);
            Assert.Equal(g.Graph.as_graph_def(add_shapes: true), graph);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
