namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.train.BytesList</c> (feature.proto): a list of byte strings.</summary>
public sealed class BytesList
{
    /// <summary>A list holding <paramref name="value"/>.</summary>
    public BytesList(IEnumerable<byte[]>? value = null) => this.value = value?.ToList() ?? [];

    /// <summary>A list of UTF-8 encoded strings.</summary>
    public BytesList(IEnumerable<string> value) : this(value?.Select(v => System.Text.Encoding.UTF8.GetBytes(v))) { }

    /// <summary>The values.</summary>
    public List<byte[]> value { get; }
}
