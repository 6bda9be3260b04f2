namespace SharpFlow.Framework;

/// <summary>
/// Compares tensors by what they denote (op and output index), so a variable and the plain output tensor of its
/// op are the same key.
/// </summary>
public sealed class TensorComparer : IEqualityComparer<Tensor>
{
    /// <summary>The shared instance.</summary>
    public static TensorComparer Instance { get; } = new();

    /// <inheritdoc/>
    public bool Equals(Tensor? x, Tensor? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && ReferenceEquals(x.op, y.op) && x.value_index == y.value_index);

    /// <inheritdoc/>
    public int GetHashCode(Tensor obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return HashCode.Combine(obj.op.Id, obj.value_index, obj.op.graph.GetHashCode());
    }
}
