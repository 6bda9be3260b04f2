using Google.Protobuf;

namespace SharpFlow.FileIO;

/// <summary>
/// TensorFlow's <c>tf.train.Example</c> (example.proto): <c>SerializeToString()</c> gives the protobuf bytes
/// that TensorFlow writes, <c>ParseFromString</c> reads them.
/// </summary>
public sealed class Example
{
    /// <summary>An example with <paramref name="features"/>.</summary>
    public Example(Features? features = null) => this.features = features ?? new Features();

    /// <summary>The features.</summary>
    public Features features { get; private set; }

    /// <summary>The protobuf encoding.</summary>
    public byte[] SerializeToString() => ExampleProtos.ToProto(this).ToByteArray();

    /// <summary>Replaces the contents with the decoded <paramref name="serialized"/>; malformed bytes are a <see cref="DataLossError"/>.</summary>
    public void ParseFromString(byte[] serialized) => features = FromString(serialized).features;

    /// <summary>Decodes an Example; malformed bytes are a <see cref="DataLossError"/>.</summary>
    public static Example FromString(byte[] serialized) => ExampleProtos.FromProto(ExampleProtos.Parse(Tensorflow.Example.Parser, serialized, "Example"));

    /// <inheritdoc/>
    public override string ToString() => ExampleProtos.ToProto(this).ToString();
}
