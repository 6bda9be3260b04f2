namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.train.Features</c>: named features.</summary>
public sealed class Features
{
    /// <summary>Features from a map of names to features.</summary>
    public Features(IDictionary<string, Feature>? feature = null) => this.feature = feature is null ? [] : new Dictionary<string, Feature>(feature);

    /// <summary>The features by name.</summary>
    public Dictionary<string, Feature> feature { get; }
}
