using System.Collections;
using SharpFlow.Framework;

namespace SharpFlow;

/// <summary>
/// The values to feed into a run, keyed by tensor (usually placeholders):
/// <c>new FeedDict { [x] = xs, [y_] = ys }</c>. Values are NDArrays; .NET arrays and numbers convert implicitly.
/// </summary>
public sealed class FeedDict : IEnumerable<KeyValuePair<Tensor, NDArray>>
{
    private readonly Dictionary<Tensor, NDArray> _items = new(TensorComparer.Instance);

    /// <summary>Sets (or replaces) the value fed for <paramref name="tensor"/>.</summary>
    public NDArray this[Tensor tensor]
    {
        get => _items[tensor];
        set
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(value);
            _items[tensor] = value;
        }
    }

    /// <summary>Adds a value (collection-initializer form).</summary>
    public void Add(Tensor tensor, NDArray value) => this[tensor] = value;

    /// <summary>Number of fed tensors.</summary>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<Tensor, NDArray>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
