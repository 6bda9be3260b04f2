using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// A dataset as a value (what TensorFlow's <c>DatasetBase</c> is behind a DT_VARIANT tensor): an immutable
/// description of a sequence of elements, each a list of components with the dataset's dtypes. Iterating it
/// never changes it, so one dataset can be iterated many times (repeat, reinitialised iterators).
/// </summary>
internal abstract class DatasetBase(DType[] types, Shape[] shapes)
{
    /// <summary>The dtype of each component.</summary>
    public DType[] Types { get; } = types;

    /// <summary>The static shape of each component (dimensions may be unknown).</summary>
    public Shape[] Shapes { get; } = shapes;

    /// <summary>A fresh iterator over the elements, from the first.</summary>
    public abstract IElementIterator MakeIterator();

    /// <summary>The dataset inside a scalar resource value (what a dataset op outputs).</summary>
    public NDArray ToHandle() => new(new object[] { this }, Shape.Scalar);

    /// <summary>The dataset behind a dataset op's output value.</summary>
    public static DatasetBase Of(NDArray handle, Func<string, Exception> error) =>
        handle.Storage is object[] { Length: 1 } items && items[0] is DatasetBase dataset
            ? dataset
            : throw error("the input is not a dataset");
}

/// <summary>
/// One pass over a dataset. <see cref="Next"/> returns the next element or null at the end (and keeps
/// returning null). Iterators that own threads or files release them in <see cref="IDisposable.Dispose"/>.
/// </summary>
internal interface IElementIterator : IDisposable
{
    /// <summary>The next element, or null when the sequence has ended.</summary>
    NDArray[]? Next();
}

/// <summary>An iterator over a function, for datasets whose iteration is a simple loop.</summary>
internal sealed class DelegateIterator(Func<NDArray[]?> next, Action? dispose = null) : IElementIterator
{
    private bool _ended;

    public NDArray[]? Next()
    {
        if (_ended) return null;
        var e = next();
        if (e is null) _ended = true;
        return e;
    }

    public void Dispose() => dispose?.Invoke();
}

/// <summary>An iterator over an enumeration of elements.</summary>
internal sealed class EnumeratorIterator(IEnumerator<NDArray[]> source) : IElementIterator
{
    private bool _ended;

    public NDArray[]? Next()
    {
        if (_ended) return null;
        if (source.MoveNext()) return source.Current;
        _ended = true;
        return null;
    }

    public void Dispose() => source.Dispose();
}
