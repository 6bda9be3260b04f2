using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    /// <summary>
    /// An ONNX sequence: a list of tensors known at import (in the model's layout), or, for a sequence a Loop
    /// carries or a split along an axis known at run time only, a TensorArray whose length is known at run time
    /// only (<see cref="Array"/>; <see cref="Items"/> is then empty). A TensorArray holds tensors of one dtype and is written once per index, so a loop-carried
    /// sequence grows by appends (what the TensorArrays of map_fn, scan and dynamic_rnn become) and shrinks by erasing
    /// its last element (a stack's pop): <see cref="Length"/>, an int32 scalar, is then its length, the first
    /// elements of the TensorArray (null: all of them).
    /// </summary>
    private sealed record Sequence(List<Tensor> Items, DType? DType, TensorArray? Array = null, Tensor? Length = null);

    /// <summary>The length of a sequence of run-time length (an int32 scalar).</summary>
    private static Tensor LengthOf(Sequence s) => s.Length ?? s.Array!.size();

    /// <summary>
    /// The sequences of the import: lists whose lengths and positions are known at import, as in the models
    /// exporters write (a split, a list of tensors to concatenate), and the TensorArrays of loop-carried sequences.
    /// </summary>
    private readonly Dictionary<string, Sequence> _sequences = new(StringComparer.Ordinal);

    private Sequence SequenceIn(NodeProto node, int index)
    {
        if (!Has(node, index)) throw Invalid(node, $"it is missing input {index}.");
        return _sequences.TryGetValue(node.Input[index], out var s) ? s
            : throw Invalid(node, $"input '{node.Input[index]}' is not a sequence (no SequenceConstruct, SequenceEmpty, SequenceInsert, SequenceErase, SplitToSequence or Loop made it).");
    }

    /// <summary>A sequence input whose items must be known at import (not one of run-time length).</summary>
    private List<Tensor> ItemsIn(NodeProto node, int index)
    {
        var s = SequenceIn(node, index);
        return s.Array is null ? s.Items : throw Unsupported(node, $"a sequence of run-time length ('{node.Input[index]}', a TensorArray) as input {index}");
    }

    private void SetSequence(NodeProto node, List<Tensor> items, DType? dtype) => _sequences[node.Output[0]] = new Sequence(items, dtype ?? items.FirstOrDefault()?.dtype);

    private void SetSequence(NodeProto node, TensorArray array, Tensor? length = null) => _sequences[node.Output[0]] = new Sequence([], array.dtype, array, length);

    /// <summary>A check at run time that fails the run with <paramref name="message"/> (naming the node), then the position and length.</summary>
    private Operation RunCheck(NodeProto node, Tensor condition, string message, Tensor at, Tensor length) =>
        tf.Assert(condition, [$"{_model.Source}: node '{NodeName(node)}' ({node.OpType}) {message}; position and length:", at, length]);

    /// <summary>A position in a sequence of <paramref name="count"/> (negative from the end); <paramref name="end"/> allows count itself.</summary>
    private int Position(NodeProto node, int input, int count, bool end)
    {
        var p = IntsOf(node, input, "position");
        if (p.Length != 1) throw Invalid(node, $"its position holds {p.Length} values, not 1.");
        var k = p[0] < 0 ? p[0] + count : p[0];
        if (k < 0 || k > count || (!end && k == count)) throw Invalid(node, $"position {p[0]} is out of range for a sequence of {count}.");
        return k;
    }

    /// <summary>A position given at run time, as an int32 scalar counted from the start of a sequence of <paramref name="length"/>.</summary>
    private Tensor RunTimePosition(NodeProto node, int input, Tensor length)
    {
        var p = X(node, input);
        if (p.shape.IsFullyDefined && p.shape.num_elements() != 1) throw Invalid(node, $"its position has shape {p.shape}, not a scalar.");
        p = tf.reshape(tf.cast(p, DType.int32), Array.Empty<int>());
        return tf.where(tf.less(p, S(0, DType.int32)), p + length, p);
    }

    /// <summary>A sequence a Loop carries, as a TensorArray: a loop-carried one as it is, a list known at import written into a new one.</summary>
    private TensorArray ArrayOf(NodeProto node, string name, Sequence s)
    {
        if (s.Array is { } array) return array;
        var dtype = s.DType ?? throw Unsupported(node, $"a loop-carried sequence ('{name}') of unknown element type");
        if (s.Items.Any(t => t.dtype != dtype)) throw Invalid(node, $"the sequence '{name}' holds tensors of several dtypes.");
        var shapes = s.Items.Select(t => t.shape).Distinct().ToList();
        var created = new TensorArray(dtype, 0, dynamic_size: true, clear_after_read: false, element_shape: shapes.Count == 1 ? shapes[0] : null);
        for (var k = 0; k < s.Items.Count; k++) created = created.write(k, s.Items[k]);
        return created;
    }

    private void SequenceEmpty(NodeProto node)
    {
        var dtype = AttrOf(node, "dtype") is { } a ? DTypeOf((int)a.I, $"{_model.Source}: node '{NodeName(node)}' (SequenceEmpty) attribute 'dtype'", NodeName(node)) : DType.float32;
        SetSequence(node, [], dtype);
    }

    private void SequenceConstruct(NodeProto node) =>
        SetSequence(node, [.. Enumerable.Range(0, node.Input.Count).Where(k => Has(node, k)).Select(k => X(node, k))], null);

    /// <summary>
    /// SequenceInsert: into a list at a position known at import; into one of run-time length only at its end (no
    /// position, or one that equals the length when the model runs: any other is an InvalidArgumentError then,
    /// naming the node, since a TensorArray cannot shift its elements).
    /// </summary>
    private void SequenceInsert(NodeProto node)
    {
        var s = SequenceIn(node, 0);
        if (s.Array is { } array)
        {
            var value = X(node, 1);
            if (value.dtype != array.dtype) throw Invalid(node, $"it inserts a {value.dtype.name} tensor into a sequence of {array.dtype.name}.");
            var length = LengthOf(s);
            var checks = new List<Operation>();
            var at = length;
            if (Has(node, 2))
            {
                at = RunTimePosition(node, 2, length);
                checks.Add(RunCheck(node, tf.equal(at, length), $"inserts into the sequence of run-time length '{node.Input[0]}' at a position other than its end, which SharpFlow.Onnx does not support (it appends)", at, length));
            }
            if (s.Length is not null)
                checks.Add(RunCheck(node, tf.equal(length, array.size()), $"inserts into the sequence of run-time length '{node.Input[0]}' after an element was erased from it, which SharpFlow.Onnx does not support (its TensorArray is written once per index)", at, length));
            if (checks.Count == 0)
            {
                SetSequence(node, array.write(length, value));
                return;
            }
            using (tf.control_dependencies([.. checks]))
                SetSequence(node, array.write(tf.identity(at), value));
            return;
        }
        var pos = Has(node, 2) ? Position(node, 2, s.Items.Count, end: true) : s.Items.Count;
        var copy = new List<Tensor>(s.Items);
        copy.Insert(pos, X(node, 1));
        SetSequence(node, copy, s.DType);
    }

    /// <summary>
    /// SequenceErase: from a list at a position known at import; from one of run-time length only its last element
    /// (no position, or one that is the last when the model runs: any other, or an empty sequence, fails the run
    /// naming the node), by shortening its <see cref="Sequence.Length"/>.
    /// </summary>
    private void SequenceErase(NodeProto node)
    {
        var s = SequenceIn(node, 0);
        if (s.Array is { } array)
        {
            var length = LengthOf(s);
            var last = length - S(1, DType.int32);
            var position = Has(node, 1) ? RunTimePosition(node, 1, length) : last;
            var empty = RunCheck(node, tf.greater(length, S(0, DType.int32)), $"erases from the sequence of run-time length '{node.Input[0]}' when it is empty", position, length);
            Operation other;
            using (tf.control_dependencies([empty]))
                other = RunCheck(node, tf.equal(position, last), $"erases from the sequence of run-time length '{node.Input[0]}' at a position other than its last, which SharpFlow.Onnx does not support (it drops the last element)", position, length);
            using (tf.control_dependencies([empty, other]))
                SetSequence(node, array, tf.identity(last));
            return;
        }
        var items = ItemsIn(node, 0);
        if (items.Count == 0) throw Invalid(node, "it erases from an empty sequence.");
        var at = Has(node, 1) ? Position(node, 1, items.Count, end: false) : items.Count - 1;
        var copy = new List<Tensor>(items);
        copy.RemoveAt(at);
        SetSequence(node, copy, s.DType);
    }

    /// <summary>
    /// SequenceAt: of a list at a position known at import, the item; at a position computed at run time, a
    /// gather from the stacked items (whose static shapes must then agree); of a sequence of run-time length, a TensorArray read.
    /// </summary>
    private void SequenceAt(NodeProto node)
    {
        var s = SequenceIn(node, 0);
        if (s.Array is { } array)
        {
            if (s.Length is not { } length)
            {
                Set(node, array.read(RunTimePosition(node, 1, array.size())));
                return;
            }
            // Elements past the length were erased: reading one fails the run, as in ONNX Runtime.
            var at = RunTimePosition(node, 1, length);
            var check = RunCheck(node, tf.logical_and(tf.greater_equal(at, S(0, DType.int32)), tf.less(at, length)), $"reads the sequence of run-time length '{node.Input[0]}' out of its range", at, length);
            using (tf.control_dependencies([check]))
                Set(node, array.read(tf.identity(at)));
            return;
        }
        var items = s.Items;
        if (In(node, 1).Constant is not null)
        {
            Set(node, tf.identity(items[Position(node, 1, items.Count, end: false)]));
            return;
        }
        if (items.Count == 0) throw Invalid(node, "it reads from an empty sequence.");
        if (!items[0].shape.IsKnownRank || items.Any(t => !t.shape.IsCompatibleWith(items[0].shape)))
            throw Unsupported(node, $"a position computed at run time into a sequence of tensors of shapes {string.Join(", ", items.Select(t => t.shape).Distinct())} (one shape is needed to gather from)");
        Set(node, tf.gather(tf.stack(items), RunTimePosition(node, 1, S(items.Count, DType.int32))));
    }

    private void SequenceLength(NodeProto node)
    {
        var s = SequenceIn(node, 0);
        if (s.Array is not null) Set(node, tf.cast(LengthOf(s), DType.int64));
        else _values[node.Output[0]] = new Value(null, NDArray.Scalar((long)s.Items.Count), false);
    }

    private void ConcatFromSequence(NodeProto node)
    {
        if (SequenceIn(node, 0) is { Array: { } array } sequence)
        {
            // After an erase, the TensorArray's first Length elements (which must then have one shape).
            Tensor Stack() => sequence.Length is { } n ? array.gather(tf.range(S(0, DType.int32), n, S(1, DType.int32))) : array.stack();
            Tensor Concat()
            {
                if (sequence.Length is null) return array.concat();
                var stacked = Stack();
                var dims = tf.shape(stacked);
                return tf.reshape(stacked, tf.concat(new[] { tf.constant(new[] { -1 }), tf.slice(dims, new[] { 2 }, new[] { -1 }) }, 0));
            }
            // A sequence of run-time length: its items' rank is known when its writes agreed on it.
            var stackAxis = (int)Attr(node, "axis", 0L);
            var newAxis = Attr(node, "new_axis", 0L) != 0;
            var itemRank = array.element_shape.IsKnownRank ? array.element_shape.ndims : -1;
            var normalized = stackAxis >= 0 ? stackAxis : itemRank >= 0 ? stackAxis + itemRank + (newAxis ? 1 : 0) : stackAxis;
            if (normalized == 0) Set(node, newAxis ? Stack() : Concat());
            else if (itemRank < 0) throw Unsupported(node, "axis", stackAxis, "a sequence of run-time length whose items have unknown rank is joined along axis 0 only");
            else if (normalized < 0 || normalized > itemRank || (!newAxis && normalized == itemRank)) throw Invalid(node, $"axis {stackAxis} is out of range for rank-{itemRank} tensors.");
            else if (newAxis)
            {
                // Stacked along axis 0, then that axis moved to its place.
                int[] perm = [.. Enumerable.Range(1, normalized), 0, .. Enumerable.Range(normalized + 1, itemRank - normalized)];
                Set(node, tf.transpose(Stack(), perm));
            }
            else
            {
                // Stacked along axis 0, moved before the axis joined, then merged with it.
                int[] perm = [.. Enumerable.Range(1, normalized), 0, .. Enumerable.Range(normalized + 1, itemRank - normalized)];
                var moved = tf.transpose(Stack(), perm);
                var dims = tf.shape(moved);
                var joined = tf.concat(new[] { tf.slice(dims, new[] { 0 }, new[] { normalized }), tf.reshape(tf.reduce_prod(tf.slice(dims, new[] { normalized }, new[] { 2 })), new[] { 1 }), tf.slice(dims, new[] { normalized + 2 }, new[] { -1 }) }, 0);
                Set(node, tf.reshape(moved, joined));
            }
            return;
        }
        var items = ItemsIn(node, 0);
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
        if (total < 0 && !Has(node, 1))
        {
            // Slices along an axis whose size is known at run time only: a TensorArray of them.
            var moved = axis == 0 ? x : tf.transpose(x, (int[])[axis, .. Enumerable.Range(0, rank).Where(d => d != axis)]);
            if (Attr(node, "keepdims", 1L) != 0) moved = tf.expand_dims(moved, axis + 1);
            var length = tf.reshape(tf.slice(tf.shape(moved), new[] { 0 }, new[] { 1 }), Array.Empty<int>());
            SetSequence(node, new TensorArray(x.dtype, length, clear_after_read: false).unstack(moved));
            return;
        }
        if (total < 0)
        {
            SplitByRunTimeSizes(node, x, axis);
            return;
        }
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

    /// <summary>
    /// SplitToSequence by a split input along axis 0 of a size known at run time only: a TensorArray split by the
    /// lengths (the split input, or for a scalar chunk ⌈size/chunk⌉ chunks, the last the remainder). Lengths that do
    /// not add up to the size, or a chunk that is not positive, fail the run.
    /// </summary>
    private void SplitByRunTimeSizes(NodeProto node, Tensor x, int axis)
    {
        if (axis != 0) throw Unsupported(node, "axis", Attr(node, "axis", 0L), "a split input along an axis other than the first whose size is unknown at import");
        var split = tf.cast(X(node, 1), DType.int32);
        var size = tf.reshape(tf.slice(tf.shape(x), new[] { 0 }, new[] { 1 }), Array.Empty<int>());
        Tensor lengths;
        if (split.shape.ndims == 1) lengths = split;
        else if (split.shape.ndims == 0)
        {
            var check = tf.Assert(tf.greater(split, S(0, DType.int32)), [$"{_model.Source}: node '{NodeName(node)}' (SplitToSequence): its split size is not positive:", split]);
            using (tf.control_dependencies([check])) split = tf.identity(split);
            var count = tf.floordiv(size + split - S(1, DType.int32), split);
            lengths = tf.minimum(split, size - tf.range(S(0, DType.int32), count, S(1, DType.int32)) * split);
        }
        else if (split.shape.ndims < 0) throw Unsupported(node, "a split input of unknown rank along an axis whose size is unknown at import");
        else throw Invalid(node, $"its split input has shape {split.shape}, not a scalar or a list.");
        SetSequence(node, new TensorArray(x.dtype, tf.size(lengths), clear_after_read: false).split(x, tf.cast(lengths, DType.int64)));
    }
}
