using System.Numerics.Tensors;
using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Data;

/// <summary>
/// An in-memory data set of examples and labels (the first axis counts examples), read in mini-batches as
/// TensorFlow's tutorial <c>DataSet.next_batch</c> does: each epoch visits every example once, in a fresh order
/// when shuffling (seeded, so runs repeat), and a batch that crosses the end of an epoch takes the rest of it
/// and the start of the next. A batch size of 1 is SGD, the full size is full-batch training.
/// </summary>
/// <remarks>
/// Data sets read from image files keep the files' bytes and scale each batch to floats as it is read (the same
/// float product, byte × scale, that converting them all at once computes): the full Fashion-MNIST then holds 52 MiB
/// instead of 210. <see cref="images"/> converts them all on first use and keeps the result.
/// </remarks>
public sealed class DataSet
{
    private readonly Random _random;
    private readonly NDArray? _bytes;
    private readonly float _scale;
    private readonly Shape _shape;
    private NDArray? _images;
    private int[] _order;
    private int _index;

    /// <summary>Creates the data set; <paramref name="seed"/> fixes the shuffling order.</summary>
    public DataSet(NDArray images, NDArray labels, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.ndim == 0 || labels.ndim == 0 || images.shape[0] != labels.shape[0])
            throw new ValueError($"images and labels must have the same number of examples: images.shape: {images.shape} labels.shape: {labels.shape}");
        _images = images;
        _shape = images.shape;
        this.labels = labels;
        _random = seed is { } s ? new Random(s) : new Random();
        _order = [.. Enumerable.Range(0, num_examples)];
    }

    /// <summary>
    /// A data set whose float32 images are <paramref name="bytes"/> (uint8, the first axis counting examples) times
    /// <paramref name="scale"/>, converted batch by batch as they are read.
    /// </summary>
    internal DataSet(NDArray bytes, float scale, NDArray labels, int? seed = null)
    {
        if (bytes.dtype != DType.uint8) throw new ValueError($"scaled images must be stored as uint8, got {bytes.dtype.name}");
        if (bytes.ndim == 0 || labels.ndim == 0 || bytes.shape[0] != labels.shape[0])
            throw new ValueError($"images and labels must have the same number of examples: images.shape: {bytes.shape} labels.shape: {labels.shape}");
        _bytes = bytes;
        _scale = scale;
        _shape = bytes.shape;
        this.labels = labels;
        _random = seed is { } s ? new Random(s) : new Random();
        _order = [.. Enumerable.Range(0, num_examples)];
    }

    /// <summary>All examples (for a data set read from image files: converted to floats on first use).</summary>
    public NDArray images
    {
        get
        {
            if (_images is { } images) return images;
            var all = Gather(Enumerable.Range(0, num_examples).ToArray());
            return Interlocked.CompareExchange(ref _images, all, null) ?? all;
        }
    }

    /// <summary>The images as the bytes they were read from, when the data set keeps them (else null).</summary>
    internal NDArray? ImageBytes => _bytes;

    /// <summary>All labels.</summary>
    public NDArray labels { get; }

    /// <summary>The number of examples.</summary>
    public int num_examples => _shape[0];

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
        return (Gather(rows), Gather(labels, rows));
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
            yield return (Gather(rows), Gather(labels, rows));
        }
    }

    /// <summary>Splits off the first <paramref name="count"/> examples (validation) from the rest (training).</summary>
    public (DataSet rest, DataSet first) Split(int count, int? seed = null)
    {
        if (count < 0 || count > num_examples) throw new ValueError($"Validation size should be between 0 and {num_examples}. Received: {count}.");
        var first = Enumerable.Range(0, count).ToArray();
        var rest = Enumerable.Range(count, num_examples - count).ToArray();
        if (_bytes is { } bytes && _images is null)
            return (new DataSet(Gather(bytes, rest), _scale, Gather(labels, rest), seed), new DataSet(Gather(bytes, first), _scale, Gather(labels, first), seed));
        return (new DataSet(Gather(images, rest), Gather(labels, rest), seed), new DataSet(Gather(images, first), Gather(labels, first), seed));
    }

    private void Shuffle()
    {
        _order = [.. Enumerable.Range(0, num_examples)];
        _random.Shuffle(_order);
    }

    /// <summary>The images of <paramref name="rows"/>: gathered floats, or gathered bytes scaled.</summary>
    private NDArray Gather(int[] rows)
    {
        if (_images is { } images) return Gather(images, rows);
        var bytes = _bytes!;
        var dims = _shape.Dims;
        dims[0] = rows.Length;
        var row = bytes.size / Math.Max(1, _shape[0]);
        var pixels = new float[rows.Length * row];
        var source = bytes.AsReadOnlySpan<byte>();
        for (var i = 0; i < rows.Length; i++)
        {
            var from = source.Slice(rows[i] * row, row);
            var to = pixels.AsSpan(i * row, row);
            for (var j = 0; j < row; j++) to[j] = from[j];
        }
        TensorPrimitives.Multiply(pixels, _scale, pixels);
        return NDArray.FromFlat(pixels, new Shape(dims));
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
