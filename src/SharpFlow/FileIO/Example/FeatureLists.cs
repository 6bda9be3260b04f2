namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.train.FeatureLists</c>: named feature lists.</summary>
public sealed class FeatureLists
{
    /// <summary>Feature lists from a map of names to lists.</summary>
    public FeatureLists(IDictionary<string, FeatureList>? feature_list = null) =>
        this.feature_list = feature_list is null ? [] : new Dictionary<string, FeatureList>(feature_list);

    /// <summary>The feature lists by name.</summary>
    public Dictionary<string, FeatureList> feature_list { get; }
}
