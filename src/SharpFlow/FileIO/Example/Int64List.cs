namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.train.Int64List</c> (feature.proto): a packed list of int64 values.</summary>
public sealed class Int64List
{
    /// <summary>A list holding <paramref name="value"/>.</summary>
    public Int64List(IEnumerable<long>? value = null) => this.value = value?.ToList() ?? [];

    /// <summary>The values.</summary>
    public List<long> value { get; }
}
