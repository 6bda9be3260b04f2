using System.Text;
using Google.Protobuf;
using SharpFlow.Fuzz;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using SharpFlow.Train;

namespace SharpFlow.Tests.Reliability;

/// <summary>Every input the fuzzers found that broke a reader's contract, as the smallest file that shows it.</summary>
public class FuzzRegressionTests
{
    private static byte[] SafeTensorsFile(byte[] header)
    {
        var bytes = new byte[8 + header.Length];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    [Fact]
    public void ASafeTensorsNameThatIsNotUtf8IsDataLossNotAnInvalidOperation()
    {
        // Found by the mutator: JsonDocument validates UTF-8 only when a string is read, so a corrupt tensor name
        // escaped as System.InvalidOperationException from the header loop.
        var header = Encoding.ASCII.GetBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,0]}}");
        header[2] = 0xC3; // a lead byte followed by '"': invalid UTF-8
        var e = Assert.Throws<DataLossError>(() => SafeTensors.Parse(SafeTensorsFile(header), "bad.safetensors"));
        Assert.Contains("bad.safetensors", e.Message);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void ASafeTensorsMetadataValueThatIsNotUtf8IsDataLoss()
    {
        var header = Encoding.ASCII.GetBytes("{\"__metadata__\":{\"format\":\"pt?\"}}");
        header[^4] = 0xFF;
        Assert.Throws<DataLossError>(() => SafeTensors.Parse(SafeTensorsFile(header), "bad.safetensors"));
    }

    /// <summary>The ONNX fuzz seed (a small convolutional classifier) with one node changed.</summary>
    private static byte[] OnnxSeedWith(string nodeType, Action<NodeProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(FuzzTargets.Get("onnx").Seeds()[0]);
        change(model.Graph.Node.First(n => n.OpType == nodeType));
        return model.ToByteArray();
    }

    private static InvalidArgumentError ImportFails(byte[] model)
    {
        using var g = TestGraph.Enter();
        return Assert.Throws<InvalidArgumentError>(() => OnnxModel.Parse(model, "bad.onnx").Import());
    }

    [Theory]
    [InlineData("Conv", "strides", "has 1 strides, not 2")]
    [InlineData("Conv", "dilations", "has 1 dilations, not 2")]
    [InlineData("MaxPool", "strides", "has 1 strides, not 2")]
    public void AWindowAttributeOfTheWrongLengthIsAnErrorNotAnIndexOutOfRange(string op, string attribute, string expected)
    {
        // Found by the mutator: strides and dilations were indexed [0] and [1] whatever their length.
        var e = ImportFails(OnnxSeedWith(op, node =>
        {
            var a = node.Attribute.FirstOrDefault(x => x.Name == attribute);
            if (a is null) node.Attribute.Add(a = new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Ints });
            a.Ints.Clear();
            a.Ints.Add(1);
        }));
        Assert.Contains("bad.onnx", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AReshapeTargetBeyondInt32IsAnErrorNamingTheNode()
    {
        // Found by the mutator: a checked cast threw a bare OverflowException.
        var model = ModelProto.Parser.ParseFrom(FuzzTargets.Get("onnx").Seeds()[0]);
        var reshape = model.Graph.Node.First(n => n.OpType == "Reshape");
        var shape = model.Graph.Initializer.FirstOrDefault(t => t.Name == reshape.Input[1]);
        Assert.NotNull(shape);
        shape.Int64Data.Clear();
        shape.RawData = ByteString.CopyFrom(BitConverter.GetBytes(1L << 40).Concat(BitConverter.GetBytes(-1L)).ToArray());
        var e = ImportFails(model.ToByteArray());
        Assert.Contains($"node '{reshape.Name}' (Reshape): target dimension 0 is {1L << 40}", e.Message);
    }

    [Fact]
    public void AnInconsistentModelIsAnInvalidArgumentNamingTheFileAndNodeNotAValueError()
    {
        // Found by the mutator: a filter whose channels do not match its input surfaced as SharpFlow's ValueError
        // from graph construction, without the file's name.
        var model = ModelProto.Parser.ParseFrom(FuzzTargets.Get("onnx").Seeds()[0]);
        var conv = model.Graph.Node.First(n => n.OpType == "Conv");
        // The exported model takes NHWC images and transposes them for the Conv: 8 channels into a filter made for 1.
        model.Graph.Input.Single(i => i.Name == "images").Type.TensorType.Shape.Dim[3].DimValue = 8;
        var e = ImportFails(model.ToByteArray());
        Assert.Contains("bad.onnx", e.Message);
        // The importer's table checks a Conv's channels against its filter and group before building it.
        Assert.Contains($"node '{conv.Name}' (Conv): group=1 does not fit 8 input", e.Message);
    }
}
