using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary><c>repeat(count)</c>: the input's elements <c>count</c> times (-1: forever).</summary>
internal sealed class RepeatDataset(DatasetBase input, long count) : DatasetBase(input.Types, input.Shapes)
{
    public override IElementIterator MakeIterator()
    {
        long done = 0;
        IElementIterator? current = count == 0 ? null : input.MakeIterator();
        var fresh = true;
        return new DelegateIterator(() =>
        {
            while (current is not null)
            {
                var e = current.Next();
                if (e is not null)
                {
                    fresh = false;
                    return e;
                }
                current.Dispose();
                current = null;
                // An input that is empty on a pass would repeat forever without producing anything: TF ends there.
                if (fresh) return null;
                done++;
                if (count >= 0 && done >= count) return null;
                current = input.MakeIterator();
                fresh = true;
            }
            return null;
        }, () => current?.Dispose());
    }
}

/// <summary><c>take(count)</c>: the first <c>count</c> elements (-1: all).</summary>
internal sealed class TakeDataset(DatasetBase input, long count) : DatasetBase(input.Types, input.Shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        long taken = 0;
        return new DelegateIterator(() =>
        {
            if (count >= 0 && taken >= count) return null;
            taken++;
            return it.Next();
        }, it.Dispose);
    }
}

/// <summary><c>skip(count)</c>: all but the first <c>count</c> elements (-1: none).</summary>
internal sealed class SkipDataset(DatasetBase input, long count) : DatasetBase(input.Types, input.Shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        var skipped = false;
        return new DelegateIterator(() =>
        {
            if (!skipped)
            {
                skipped = true;
                for (long i = 0; count < 0 || i < count; i++)
                    if (it.Next() is null) return null;
            }
            return it.Next();
        }, it.Dispose);
    }
}

/// <summary><c>batch(batch_size, drop_remainder)</c>: consecutive elements stacked; the last batch may be smaller.</summary>
internal sealed class BatchDataset(DatasetBase input, long batchSize, bool dropRemainder, Shape[] shapes, string opName)
    : DatasetBase(input.Types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        return new DelegateIterator(() =>
        {
            var batch = new List<NDArray[]>();
            while (batch.Count < batchSize && it.Next() is { } e) batch.Add(e);
            if (batch.Count == 0 || (dropRemainder && batch.Count < batchSize)) return null;
            var result = new NDArray[Types.Length];
            for (var c = 0; c < result.Length; c++) result[c] = Elements.Stack(batch.Select(b => b[c]).ToList(), c, opName);
            return result;
        }, it.Dispose);
    }
}

/// <summary><c>padded_batch</c>: consecutive elements padded to common shapes and stacked.</summary>
internal sealed class PaddedBatchDataset(DatasetBase input, long batchSize, long[][] paddedShapes, NDArray[] paddingValues,
    bool dropRemainder, Shape[] shapes, string opName) : DatasetBase(input.Types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        return new DelegateIterator(() =>
        {
            var batch = new List<NDArray[]>();
            while (batch.Count < batchSize && it.Next() is { } e) batch.Add(e);
            if (batch.Count == 0 || (dropRemainder && batch.Count < batchSize)) return null;
            var result = new NDArray[Types.Length];
            for (var c = 0; c < result.Length; c++)
                result[c] = Elements.PadAndStack(batch.Select(b => b[c]).ToList(), c, paddedShapes[c], paddingValues[c], opName);
            return result;
        }, it.Dispose);
    }
}

/// <summary>
/// <c>shuffle(buffer_size, seed, reshuffle_each_iteration)</c> with TensorFlow's algorithm: keep the buffer full
/// from the input, hand out a uniformly chosen buffered element and put the buffer's last element in its place.
/// The order is deterministic for a given (seed, seed2) but not TensorFlow's own (its Philox stream is not
/// reproduced here); seeds (0, 0) draw a random seed, as TensorFlow does.
/// </summary>
internal sealed class ShuffleDataset : DatasetBase
{
    private readonly DatasetBase _input;
    private readonly long _bufferSize;
    private readonly ulong _seed;
    private readonly bool _reshuffle;
    private long _iterations;

    public ShuffleDataset(DatasetBase input, long bufferSize, long seed, long seed2, bool reshuffle) : base(input.Types, input.Shapes)
    {
        _input = input;
        _bufferSize = bufferSize;
        _reshuffle = reshuffle;
        _seed = seed == 0 && seed2 == 0 ? (ulong)System.Random.Shared.NextInt64() : ((ulong)seed << 32) ^ (ulong)seed2 ^ 0x9E3779B97F4A7C15UL;
    }

    public override IElementIterator MakeIterator()
    {
        var iteration = _reshuffle ? Interlocked.Increment(ref _iterations) - 1 : 0;
        var state = _seed + (ulong)iteration * 0xD1B54A32D192ED03UL;
        var it = _input.MakeIterator();
        var buffer = new List<NDArray[]>();
        var endOfInput = false;
        return new DelegateIterator(() =>
        {
            while (!endOfInput && buffer.Count < _bufferSize)
            {
                if (it.Next() is { } e) buffer.Add(e);
                else endOfInput = true;
            }
            if (buffer.Count == 0) return null;
            var index = (int)(SplitMix64(ref state) % (ulong)buffer.Count);
            var chosen = buffer[index];
            buffer[index] = buffer[^1];
            buffer.RemoveAt(buffer.Count - 1);
            return chosen;
        }, it.Dispose);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>
/// <c>cache()</c> in memory: the first pass that reaches the end keeps the elements, and later passes read them
/// instead of the input. With a file name the elements are kept in that file (see <see cref="CacheFile"/>).
/// </summary>
internal sealed class CacheDataset(DatasetBase input, string filename) : DatasetBase(input.Types, input.Shapes)
{
    private List<NDArray[]>? _cache;

    public override IElementIterator MakeIterator()
    {
        if (filename.Length > 0 && _cache is null && CacheFile.TryRead(filename, Types.Length) is { } fromFile) _cache = fromFile;
        if (Volatile.Read(ref _cache) is { } cached)
        {
            var i = 0;
            return new DelegateIterator(() => i < cached.Count ? cached[i++] : null);
        }
        var it = input.MakeIterator();
        var recorded = new List<NDArray[]>();
        return new DelegateIterator(() =>
        {
            var e = it.Next();
            if (e is not null) recorded.Add(e);
            else
            {
                if (filename.Length > 0) CacheFile.Write(filename, recorded);
                Interlocked.CompareExchange(ref _cache, recorded, null);
            }
            return e;
        }, it.Dispose);
    }
}
