using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Data;

/// <summary>
/// An in-memory data set of examples and labels (the first axis counts examples), read in mini-batches as
/// TensorFlow's tutorial <c>DataSet.next_batch</c> does: each epoch visits every example once, in a fresh order
/// when shuffling (seeded, so runs repeat), and a batch that crosses the end of an epoch takes the rest of it
/// and the start of the next. A batch size of 1 is SGD, the full size is full-batch training.
/// </summary>
public sealed class DataSet
{
    private readonly Random _random;
    private int[] _order;
    private int _index;

    /// <summary>Creates the data set; <paramref name="seed"/> fixes the shuffling order.</summary>
    public DataSet(NDArray images, NDArray labels, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.ndim == 0 || labels.ndim == 0 || images.shape[0] != labels.shape[0])
            throw new ValueError($"images and labels must have the same number of examples: images.shape: {images.shape} labels.shape: {labels.shape}");
        this.images = images;
        this.labels = labels;
        _random = seed is { } s ? new Random(s) : new Random();
        _order = [.. Enumerable.Range(0, num_examples)];
    }

    /// <summary>All examples.</summary>
    public NDArray images { get; }

    /// <summary>All labels.</summary>
    public NDArray labels { get; }

    /// <summary>The number of examples.</summary>
    public int num_examples => images.shape[0];

    /// <summary>How many epochs <see cref="next_batch"/> has completed.</summary>
    public int epochs_completed { get; private set; }

    /// <summary>The next <paramref name="batch_size"/> examples and labels.</summary>
    public (NDArray images, NDArray labels) next_batch(int batch_size, bool shuffle = true)
    {
        if (batch_size <= 0 || batch_size > num_examples)
            throw new ValueError($"batch_size must be in [1, {num_examples}], got {batch_size}");
        if (_index == 0 && epochs_completed == 0 && shuffle) Shuffle();
        var rows = new int[batch_size];
        for (var i = 0; i < batch_size; i++)
        {
            if (_index == num_examples)
            {
                epochs_completed++;
                _index = 0;
                if (shuffle) Shuffle();
            }
            rows[i] = _order[_index++];
        }
        return (Gather(images, rows), Gather(labels, rows));
    }

    /// <summary>One epoch of batches in order (the last one may be smaller), shuffled first when asked.</summary>
    public IEnumerable<(NDArray images, NDArray labels)> Batches(int batchSize, bool shuffle = true)
    {
        if (batchSize <= 0) throw new ValueError($"batch_size must be positive, got {batchSize}");
        var order = Enumerable.Range(0, num_examples).ToArray();
        if (shuffle) _random.Shuffle(order);
        for (var start = 0; start < num_examples; start += batchSize)
        {
            var rows = order[start..Math.Min(start + batchSize, num_examples)];
            yield return (Gather(images, rows), Gather(labels, rows));
        }
    }

    /// <summary>Splits off the first <paramref name="count"/> examples (validation) from the rest (training).</summary>
    public (DataSet rest, DataSet first) Split(int count, int? seed = null)
    {
        if (count < 0 || count > num_examples) throw new ValueError($"Validation size should be between 0 and {num_examples}. Received: {count}.");
        var first = Enumerable.Range(0, count).ToArray();
        var rest = Enumerable.Range(count, num_examples - count).ToArray();
        return (new DataSet(Gather(images, rest), Gather(labels, rest), seed), new DataSet(Gather(images, first), Gather(labels, first), seed));
    }

    private void Shuffle()
    {
        _order = [.. Enumerable.Range(0, num_examples)];
        _random.Shuffle(_order);
    }

    private static NDArray Gather(NDArray source, int[] rows)
    {
        var dims = source.shape.Dims;
        dims[0] = rows.Length;
        var result = NDArray.Zeros(source.dtype, new Shape(dims));
        DataMovement.GatherRows(source, rows, result);
        return result;
    }
}
