namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.train.FeatureList</c>: the features of the steps of a sequence.</summary>
public sealed class FeatureList
{
    /// <summary>A list of features.</summary>
    public FeatureList(IEnumerable<Feature>? feature = null) => this.feature = feature?.ToList() ?? [];

    /// <summary>The features, one per step.</summary>
    public List<Feature> feature { get; }
}
