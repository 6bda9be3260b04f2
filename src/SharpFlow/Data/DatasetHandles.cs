namespace SharpFlow.Data;

/// <summary>
/// A <c>tf.data</c> dataset as the library below the <c>tf</c> facade reads it (Keras's <c>fit</c>,
/// <c>evaluate</c> and <c>predict</c>, as TensorFlow's Keras reads a <c>DatasetV2</c>): its variant tensor and an
/// initializable iterator over it. <c>tf.data.Dataset</c> is the one kind there is.
/// </summary>
public abstract class DatasetHandle
{
    /// <summary>For <c>tf.data.Dataset</c>: a class of another assembly cannot provide the internal members.</summary>
    protected DatasetHandle() { }

    /// <summary>The dataset op's output.</summary>
    internal abstract Tensor VariantTensor { get; }

    /// <summary>A new iterator whose <c>initializer</c> starts a pass over the dataset.</summary>
    internal abstract IteratorHandle MakeInitializableIterator();
}

/// <summary>
/// A <c>tf.data</c> iterator as the library below the <c>tf</c> facade reads it: its resource, its initializer
/// and its <c>get_next()</c>. <c>tf.data.Iterator</c> is the one kind there is.
/// </summary>
public abstract class IteratorHandle
{
    private protected IteratorHandle() { }

    /// <summary>The iterator resource.</summary>
    internal abstract Tensor Resource { get; }

    /// <summary>The op that starts a new pass (an error for an iterator made without one).</summary>
    internal abstract Operation Initializer { get; }

    /// <summary>The next element's tensors, in the dataset's structure.</summary>
    internal abstract DatasetElement GetNext();
}
