using Google.Protobuf;

namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.train.SequenceExample</c>: context features and per-step feature lists.</summary>
public sealed class SequenceExample
{
    /// <summary>A sequence example.</summary>
    public SequenceExample(Features? context = null, FeatureLists? feature_lists = null)
    {
        this.context = context ?? new Features();
        this.feature_lists = feature_lists ?? new FeatureLists();
    }

    /// <summary>The features of the whole sequence.</summary>
    public Features context { get; private set; }

    /// <summary>The features of each step.</summary>
    public FeatureLists feature_lists { get; private set; }

    /// <summary>The protobuf encoding.</summary>
    public byte[] SerializeToString() => ExampleProtos.ToProto(this).ToByteArray();

    /// <summary>Replaces the contents with the decoded <paramref name="serialized"/>.</summary>
    public void ParseFromString(byte[] serialized)
    {
        var s = FromString(serialized);
        context = s.context;
        feature_lists = s.feature_lists;
    }

    /// <summary>Decodes a SequenceExample; malformed bytes are a <see cref="DataLossError"/>.</summary>
    public static SequenceExample FromString(byte[] serialized) =>
        ExampleProtos.FromProto(ExampleProtos.Parse(Tensorflow.SequenceExample.Parser, serialized, "SequenceExample"));

    /// <inheritdoc/>
    public override string ToString() => ExampleProtos.ToProto(this).ToString();
}
