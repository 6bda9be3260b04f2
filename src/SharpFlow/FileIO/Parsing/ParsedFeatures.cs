namespace SharpFlow.FileIO;

/// <summary>
/// What the parse functions return, as TensorFlow's dict of features: <c>features["label"]</c> is a dense
/// feature's tensor, <c>features.sparse("words")</c> a <see cref="VarLenFeature"/>'s sparse tensor.
/// </summary>
public sealed class ParsedFeatures
{
    internal ParsedFeatures(Dictionary<string, Tensor> dense, Dictionary<string, SparseTensor> sparse)
    {
        this.dense = dense;
        sparse_tensors = sparse;
    }

    /// <summary>The dense features (FixedLenFeature, FixedLenSequenceFeature).</summary>
    public IReadOnlyDictionary<string, Tensor> dense { get; }

    /// <summary>The sparse features (VarLenFeature).</summary>
    public IReadOnlyDictionary<string, SparseTensor> sparse_tensors { get; }

    /// <summary>Every key.</summary>
    public IEnumerable<string> keys() => dense.Keys.Concat(sparse_tensors.Keys).Order(StringComparer.Ordinal);

    /// <summary>The dense feature <paramref name="key"/>.</summary>
    public Tensor this[string key] => dense.TryGetValue(key, out var t) ? t
        : sparse_tensors.ContainsKey(key) ? throw new ValueError($"Feature '{key}' is a VarLenFeature, parsed into a SparseTensor: use features.sparse(\"{key}\").")
        : throw new KeyNotFoundException($"No feature '{key}' was parsed.");

    /// <summary>The sparse feature <paramref name="key"/>.</summary>
    public SparseTensor sparse(string key) => sparse_tensors.TryGetValue(key, out var t) ? t
        : dense.ContainsKey(key) ? throw new ValueError($"Feature '{key}' is dense: use features[\"{key}\"].")
        : throw new KeyNotFoundException($"No feature '{key}' was parsed.");

    /// <summary>True when <paramref name="key"/> was parsed.</summary>
    public bool ContainsKey(string key) => dense.ContainsKey(key) || sparse_tensors.ContainsKey(key);
}
