namespace SharpFlow;

/// <summary>Something a session can fetch or run: a <see cref="Tensor"/> or an <see cref="Operation"/>.</summary>
public interface ITensorOrOperation
{
    /// <summary>The element's name (<c>add:0</c> for a tensor, <c>add</c> for an operation).</summary>
    string name { get; }

    /// <summary>The graph the element belongs to.</summary>
    Graph graph { get; }

    /// <summary>The operation itself, or the operation producing the tensor.</summary>
    Operation op { get; }
}
