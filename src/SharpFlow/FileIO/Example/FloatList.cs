namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.train.FloatList</c> (feature.proto): a packed list of float32 values.</summary>
public sealed class FloatList
{
    /// <summary>A list holding <paramref name="value"/>.</summary>
    public FloatList(IEnumerable<float>? value = null) => this.value = value?.ToList() ?? [];

    /// <summary>The values.</summary>
    public List<float> value { get; }
}
