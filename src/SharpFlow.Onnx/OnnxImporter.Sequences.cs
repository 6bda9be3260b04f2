using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    /// <summary>
    /// ONNX sequences, held at import as lists of tensors (in the model's layout): their lengths and the positions
    /// read or written must be known at import, which they are in the models exporters write (a split, a list of
    /// tensors to concatenate).
    /// </summary>
    private readonly Dictionary<string, (List<Tensor> Items, DType? DType)> _sequences = new(StringComparer.Ordinal);

    private (List<Tensor> Items, DType? DType) SequenceIn(NodeProto node, int index)
    {
        if (!Has(node, index)) throw Invalid(node, $"it is missing input {index}.");
        return _sequences.TryGetValue(node.Input[index], out var s) ? s
            : throw Invalid(node, $"input '{node.Input[index]}' is not a sequence (no SequenceConstruct, SequenceEmpty, SequenceInsert, SequenceErase or SplitToSequence made it).");
    }

    private void SetSequence(NodeProto node, List<Tensor> items, DType? dtype) => _sequences[node.Output[0]] = (items, dtype ?? items.FirstOrDefault()?.dtype);

    /// <summary>A position in a sequence of <paramref name="count"/> (negative from the end); <paramref name="end"/> allows count itself.</summary>
    private int Position(NodeProto node, int input, int count, bool end)
    {
        var p = IntsOf(node, input, "position");
        if (p.Length != 1) throw Invalid(node, $"its position holds {p.Length} values, not 1.");
        var k = p[0] < 0 ? p[0] + count : p[0];
        if (k < 0 || k > count || (!end && k == count)) throw Invalid(node, $"position {p[0]} is out of range for a sequence of {count}.");
        return k;
    }

    private void SequenceEmpty(NodeProto node)
    {
        var dtype = AttrOf(node, "dtype") is { } a ? DTypeOf((int)a.I, $"{_model.Source}: node '{NodeName(node)}' (SequenceEmpty) attribute 'dtype'", NodeName(node)) : DType.float32;
        SetSequence(node, [], dtype);
    }

    private void SequenceConstruct(NodeProto node) =>
        SetSequence(node, [.. Enumerable.Range(0, node.Input.Count).Where(k => Has(node, k)).Select(k => X(node, k))], null);

    private void SequenceInsert(NodeProto node)
    {
        var (items, dtype) = SequenceIn(node, 0);
        var at = Has(node, 2) ? Position(node, 2, items.Count, end: true) : items.Count;
        var copy = new List<Tensor>(items);
        copy.Insert(at, X(node, 1));
        SetSequence(node, copy, dtype);
    }

    private void SequenceErase(NodeProto node)
    {
        var (items, dtype) = SequenceIn(node, 0);
        if (items.Count == 0) throw Invalid(node, "it erases from an empty sequence.");
        var at = Has(node, 1) ? Position(node, 1, items.Count, end: false) : items.Count - 1;
        var copy = new List<Tensor>(items);
        copy.RemoveAt(at);
        SetSequence(node, copy, dtype);
    }

    private void SequenceAt(NodeProto node)
    {
        var (items, _) = SequenceIn(node, 0);
        Set(node, tf.identity(items[Position(node, 1, items.Count, end: false)]));
    }

    private void SequenceLength(NodeProto node)
    {
        var (items, _) = SequenceIn(node, 0);
        _values[node.Output[0]] = new Value(null, NDArray.Scalar((long)items.Count), false);
    }

    private void ConcatFromSequence(NodeProto node)
    {
        var (items, _) = SequenceIn(node, 0);
        if (items.Count == 0) throw Invalid(node, "it concatenates an empty sequence.");
        var axis = (int)Attr(node, "axis", 0L);
        var rank = RankOf(node, items[0], this);
        if (Attr(node, "new_axis", 0L) != 0)
        {
            var a = axis < 0 ? axis + rank + 1 : axis;
            if (a < 0 || a > rank) throw Invalid(node, $"axis {axis} is out of range for stacking rank-{rank} tensors.");
            Set(node, tf.stack(items, axis: a));
        }
        else
        {
            var a = Axis(axis, rank);
            if (a < 0 || a >= rank) throw Invalid(node, $"axis {axis} is out of range for rank-{rank} tensors.");
            Set(node, items.Count == 1 ? tf.identity(items[0]) : tf.concat(items, a));
        }
    }

    private void SplitToSequence(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = Axis((int)Attr(node, "axis", 0L), rank);
        if (axis < 0 || axis >= rank) throw Invalid(node, $"axis {Attr(node, "axis", 0L)} is out of range for a rank-{rank} input.");
        var total = x.shape[axis];
        if (total < 0) throw Unsupported(node, "a SplitToSequence along an axis of unknown size");
        int[] sizes;
        var keep = true;
        if (!Has(node, 1))
        {
            sizes = Enumerable.Repeat(1, total).ToArray();
            keep = Attr(node, "keepdims", 1L) != 0;
        }
        else
        {
            var split = ConstantOf(node, 1, "split");
            var values = IntsOf(node, 1, "split");
            if (split.ndim == 0)
            {
                var chunk = values[0];
                if (chunk <= 0) throw Invalid(node, $"split size {chunk} is not positive.");
                sizes = [.. Enumerable.Range(0, (total + chunk - 1) / chunk).Select(k => System.Math.Min(chunk, total - k * chunk))];
            }
            else
            {
                if (values.Sum() != total) throw Invalid(node, $"split sizes [{string.Join(",", values)}] do not add up to {total}.");
                sizes = values;
            }
        }
        var items = new List<Tensor>();
        var offset = 0;
        foreach (var size in sizes)
        {
            var begin = new int[rank];
            var extent = Enumerable.Repeat(-1, rank).ToArray();
            begin[axis] = offset;
            extent[axis] = size;
            var part = tf.slice(x, begin, extent);
            items.Add(keep ? part : tf.squeeze(part, [axis]));
            offset += size;
        }
        SetSequence(node, items, x.dtype);
    }
}
