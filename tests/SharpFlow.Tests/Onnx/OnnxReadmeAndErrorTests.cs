using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>The README's operator list is the importer's table; refusals are UnimplementedErrors naming node, operator and attribute.</summary>
public sealed class OnnxReadmeAndErrorTests
{
    private const string Begin = "<!-- onnx-operators: generated from the importer's table (OnnxReadmeAndErrorTests) -->";
    private const string End = "<!-- /onnx-operators -->";

    [Fact]
    public void TheReadmeListsExactlyTheTablesOperators()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "README.md"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var readme = File.ReadAllText(Path.Combine(dir!.FullName, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no generated ONNX operator list");
        var listed = readme[(start + Begin.Length)..end].Trim('\n');
        Assert.Equal(OnnxImporterTable.List(), listed);
        Assert.True(OnnxImporterTable.Count >= 150, $"{OnnxImporterTable.Count} operators");
    }

    /// <summary>
    /// Every operator of the table is named in the ONNX tests, which run each against ONNX Runtime (Agrees, the
    /// graph checks, the exporter's round trips): an operator added to the table without a cross-check fails here.
    /// </summary>
    [Fact]
    public void EveryOperatorOfTheTableIsNamedInTheOnnxRuntimeCrossChecks()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "SharpFlow.Tests", "Onnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var sources = string.Join("\n", Directory.GetFiles(Path.Combine(dir!.FullName, "tests", "SharpFlow.Tests", "Onnx"), "*.cs").Select(File.ReadAllText));
        var missing = OnnxImporter.SupportedOperators.Where(op => !sources.Contains($"\"{op}\"", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"operators without an ONNX Runtime cross-check: {string.Join(", ", missing)}");
    }

    [Fact]
    public void AnImageInputOfUnknownOrWrongRankIsNamed()
    {
        var proto = ModelProto.Parser.ParseFrom(Model("Conv", 13, [], [F(1, 1, 1, 5, 5), Const(F(2, 1, 1, 3, 3))], 1));
        proto.Graph.Input[0].Type.TensorType.Shape = null;
        using (TestGraph.Enter())
            Assert.Contains("node 'Conv_0' (Conv) uses an input of unknown rank where a 4-D image (N, C, H, W) is needed",
                Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(proto.ToByteArray(), "c.onnx").Import()).Message);
        using (TestGraph.Enter())
            Assert.Contains("node 'Conv_0' (Conv): its input has rank 3, not 4.",
                Assert.Throws<InvalidArgumentError>(() => OnnxModel.Parse(Model("Conv", 13, [], [F(1, 1, 5, 5), Const(F(2, 1, 1, 3, 3))], 1), "c.onnx").Import()).Message);
    }

    private static byte[] WithInput(TypeProto type)
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(new ValueInfoProto { Name = "seq", Type = type });
        var node = new NodeProto { OpType = "Identity" };
        node.Input.Add("seq");
        node.Output.Add("y");
        graph.Node.Add(node);
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        return model.ToByteArray();
    }

    [Fact]
    public void ANonTensorInputIsUnimplementedAndNamed()
    {
        var tensor = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } };
        var sequence = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = tensor } };
        var optional = new TypeProto { OptionalType = new TypeProto.Types.Optional { ElemType = tensor } };
        using (TestGraph.Enter())
            Assert.Equal("Input 'seq' is a sequence, not a tensor; SharpFlow.Onnx imports tensor inputs only.",
                Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(WithInput(sequence), "s.onnx").Import()).RawMessage);
        using (TestGraph.Enter())
            Assert.Contains("Input 'seq' is a optional", Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(WithInput(optional), "o.onnx").Import()).Message);
        var bfloat16 = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 16 } };
        using (TestGraph.Enter())
            Assert.Contains("Input 'seq' has ONNX type Bfloat16, which SharpFlow has no dtype for", Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(WithInput(bfloat16), "i.onnx").Import()).Message);
    }

    [Theory]
    [InlineData(14, "Complex64")]
    [InlineData(15, "Complex128")]
    [InlineData(16, "Bfloat16")]
    public void DtypesSharpFlowLacksAreUnimplementedAndNameTheTensor(int elemType, string onnxName)
    {
        // An initializer of that type.
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(new TensorProto { Name = "weights", DataType = elemType, Dims = { 2 }, RawData = ByteString.CopyFrom(new byte[16]) });
        graph.Input.Add(new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        var node = new NodeProto { OpType = "Identity", Name = "id" };
        node.Input.Add("weights");
        node.Output.Add("y");
        graph.Node.Add(node);
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        using (TestGraph.Enter())
            Assert.Contains($"tensor 'weights' has ONNX data type {onnxName}, which SharpFlow has no dtype for",
                Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(model.ToByteArray(), "w.onnx").Import()).Message);

        // A Cast to that type.
        using (TestGraph.Enter())
            Assert.Contains($"node 'Cast_0' (Cast) attribute 'to' has ONNX type {onnxName}, which SharpFlow has no dtype for",
                Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(Model("Cast", 13, [("to", elemType)], [F(1, 3)], 1), "c.onnx").Import()).Message);
    }

    [Fact]
    public void ZeroOrNegativeStridesAndDilationsAreInvalidNamingTheNode()
    {
        // Found by the onnx-import fuzz target: SAME padding divided by a zero stride.
        foreach (var (op, attributes) in new (string, (string, object)[])[]
        {
            ("Conv", [("strides", new[] { 0, 1 }), ("auto_pad", "SAME_UPPER")]),
            ("Conv", [("dilations", new[] { 1, -1 })]),
            ("MaxPool", [("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 1, 0 }), ("auto_pad", "SAME_LOWER")]),
        })
        {
            OnnxArg[] inputs = op == "Conv" ? [F(1, 1, 1, 5, 5), Const(F(2, 1, 1, 3, 3))] : [F(1, 1, 1, 5, 5)];
            using var g = TestGraph.Enter();
            var e = Assert.Throws<InvalidArgumentError>(() => OnnxModel.Parse(Model(op, 13, attributes, inputs, 1), "s.onnx").Import());
            Assert.Contains($"({op})", e.Message, StringComparison.Ordinal);
            Assert.Contains("must be positive", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnUnnamedNodeIsNamedByItsOutput()
    {
        var model = Model("MaxPool", 13, [("kernel_shape", new[] { 2, 2 }), ("dilations", new[] { 2, 2 })], [F(1, 1, 1, 5, 5)], 1);
        var proto = ModelProto.Parser.ParseFrom(model);
        proto.Graph.Node[0].Name = "";
        using var g = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(proto.ToByteArray(), "m.onnx").Import());
        Assert.Equal("m.onnx: node 'out0' (MaxPool) uses dilations=[2,2] (dilated pooling), which SharpFlow.Onnx does not support.", e.RawMessage);
    }

    [Fact]
    public void RefusalsNameTheAttribute()
    {
        void Refused(string op, int opset, (string, object)[] attributes, OnnxArg[] inputs, string expected)
        {
            using var g = TestGraph.Enter();
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(Model(op, opset, attributes, inputs, 1), "r.onnx").Import());
            Assert.Contains($"node '{op}_0' ({op}) uses {expected}", e.Message);
        }
        Refused("GatherND", 13, [("batch_dims", 1)], [F(1, 2, 3), L([0, 1], 2, 1)], "batch_dims=1");
        Refused("Resize", 13, [("mode", "linear"), ("antialias", 1)], [F(1, 1, 1, 4, 4), None, Const(NDArray.FromFlat(new[] { 1f, 1f, 2f, 2f }, new Shape(4)))], "antialias=1");
        Refused("Gelu", 20, [("approximate", "exact")], [F(1, 3)], "approximate=exact");
        Refused("Relu", 13, [("alpha", 1f)], [F(1, 3)], "attribute 'alpha'");
        Refused("Mish", 17, [], [F(1, 3)], "operator Mish at opset 17");
    }
}
