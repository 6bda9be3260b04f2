using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    private void ShapeOp(NodeProto node)
    {
        var x = X(node, 0);
        if (!x.shape.IsKnownRank && AttrOf(node, "end") is null && Attr(node, "start", 0L) >= 0)
        {
            // An input of unknown rank: its dimensions from start to the last.
            var start0 = (int)System.Math.Min(Attr(node, "start", 0L), int.MaxValue);
            var all = tf.shape(x, out_type: DType.int64);
            Set(node, start0 == 0 ? all : tf.slice(all, tf.reshape(tf.minimum(S(start0, DType.int32), tf.size(all)), new[] { 1 }), new[] { -1 }));
            return;
        }
        var rank = RankOf(node, x, this);
        var start = Axis((int)System.Math.Clamp(Attr(node, "start", 0L), -rank, rank), rank);
        var end = Axis((int)System.Math.Clamp(Attr(node, "end", rank), -rank, rank), rank);
        end = System.Math.Max(end, start);
        if (x.shape.IsFullyDefined && !_folding)
        {
            var dims = x.shape.Dims.Skip(start).Take(end - start).Select(d => (long)d).ToArray();
            _values[node.Output[0]] = new Value(null, NDArray.FromFlat(dims, new Shape(dims.Length)), false);
            return;
        }
        var shape = tf.shape(x, out_type: DType.int64);
        Set(node, start == 0 && end == rank ? shape : tf.slice(shape, new[] { start }, new[] { end - start }));
    }

    private void ConstantOp(NodeProto node)
    {
        var attr = node.Attribute.FirstOrDefault() ?? throw Unsupported(node, "a Constant without a value");
        NDArray value = attr.Name switch
        {
            "value" => OnnxTensors.ToNDArray(attr.T, _model.Source),
            "value_float" => NDArray.Scalar(attr.F),
            "value_floats" => NDArray.FromFlat(attr.Floats.ToArray(), new Shape(attr.Floats.Count)),
            "value_int" => NDArray.Scalar(attr.I),
            "value_ints" => NDArray.FromFlat(attr.Ints.ToArray(), new Shape(attr.Ints.Count)),
            var other => throw Unsupported(node, $"attribute '{other}'"),
        };
        _values[node.Output[0]] = new Value(null, value, false);
    }

    private void ConstantOfShape(NodeProto node)
    {
        var value = AttrOf(node, "value") is { } a ? OnnxTensors.ToNDArray(a.T, _model.Source) : NDArray.Scalar(0f);
        if (value.size != 1) throw Invalid(node, $"its value holds {value.size} elements, not 1.");
        Set(node, tf.fill(tf.cast(X(node, 0), DType.int64), tf.constant(value.Reshape(Shape.Scalar))));
    }

    private Tensor Reshape(NodeProto node)
    {
        var x = X(node, 0);
        var allowZero = Attr(node, "allowzero", 0L) != 0;
        if (Opset < 5)
        {
            var attr = IntsOrNull(node, "shape") ?? throw Unsupported(node, "a Reshape without shape");
            return ReshapeTo(node, x, tf.constant(attr.Select(v => (long)v).ToArray()), attr.Select(v => (long)v).ToArray(), allowZero);
        }
        var value = In(node, 1);
        var target = value.Constant?.Cast(DType.int64).ToArray<long>();
        return ReshapeTo(node, x, tf.cast(Materialize(value), DType.int64), target, allowZero);
    }

    private Tensor ReshapeTo(NodeProto node, Tensor x, Tensor shape, long[]? target, bool allowZero)
    {
        if (target is not null)
        {
            var dims = new int[target.Length];
            var dynamic = false;
            for (var i = 0; i < dims.Length; i++)
            {
                if (target[i] is < -1 or > int.MaxValue) throw Invalid(node, $"target dimension {i} is {target[i]}, not -1, 0 or a size up to {int.MaxValue}.");
                if (target[i] != 0 || allowZero) dims[i] = (int)target[i];
                else if (i >= x.shape.ndims) throw Invalid(node, $"a 0 at position {i} of the target shape is past the input's rank {x.shape.ndims}.");
                else if (x.shape[i] >= 0) dims[i] = x.shape[i]; // ONNX: 0 copies the input's dimension
                else dynamic = true;
            }
            if (!dynamic) return tf.reshape(x, dims);
            var xs = tf.shape(x);
            var parts = dims.Select((d, i) => target[i] == 0 && x.shape[i] < 0 ? tf.slice(xs, new[] { i }, new[] { 1 }) : tf.constant(new[] { d })).ToList();
            return tf.reshape(x, tf.concat(parts, 0));
        }
        if (allowZero) return tf.reshape(x, shape);
        // A computed shape: its zeros copy the input's dimensions, found in the graph (the input's rank may be unknown).
        if (shape.shape.ndims != 1) throw Invalid(node, $"its shape input has rank {shape.shape.ndims}, not 1.");
        var inputShape = tf.shape(x, out_type: DType.int64);
        var copied = tf.slice(tf.concat(new[] { inputShape, tf.zeros_like(shape) }, 0), tf.constant(new[] { 0 }), tf.reshape(tf.size(shape), new[] { 1 }));
        return tf.reshape(x, tf.where(tf.equal(shape, S(0, DType.int64)), copied, shape));
    }

    private Tensor Flatten(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = Axis((int)Attr(node, "axis", 1L), rank);
        if (axis < 0 || axis > rank) throw Invalid(node, $"axis {Attr(node, "axis", 1L)} is out of range for a rank-{rank} input.");
        long Product(IEnumerable<int> dims) => dims.Aggregate(1L, (p, d) => p < 0 || d < 0 ? -1 : p * d);
        var (outer, inner) = (Product(x.shape.Dims.Take(axis)), Product(x.shape.Dims.Skip(axis)));
        if (outer >= 0 && inner >= 0) return tf.reshape(x, new[] { checked((int)outer), checked((int)inner) });
        if (inner >= 0) return tf.reshape(x, new[] { -1, checked((int)inner) });
        if (outer >= 0) return tf.reshape(x, new[] { checked((int)outer), -1 });
        var shape = tf.shape(x, out_type: DType.int64);
        var o = tf.reduce_prod(tf.slice(shape, new[] { 0 }, new[] { axis }), keepdims: true);
        return tf.reshape(x, tf.concat(new[] { o, tf.constant(new long[] { -1 }) }, 0));
    }

    private void Transpose(NodeProto node)
    {
        var value = In(node, 0);
        var perm = IntsOrNull(node, "perm");
        // An NHWC image transposed to NHWC (or back) is the image itself in the other layout.
        if (value.Nhwc && perm is not null && perm.SequenceEqual(ToNhwc))
        {
            _values[node.Output[0]] = new Value(Materialize(value), null, false);
            return;
        }
        var x = Nchw(value);
        Set(node, perm is null ? tf.transpose(x) : tf.transpose(x, perm));
    }

    /// <summary>Axes from the attribute (before <paramref name="inputSince"/>) or from input 1; null when absent.</summary>
    private int[]? AxesOf(NodeProto node, int inputSince, int input = 1) =>
        Opset < inputSince ? IntsOrNull(node, "axes") : Has(node, input) ? IntsOf(node, input, "axes") : null;

    private void Squeeze(NodeProto node)
    {
        var x = X(node, 0);
        var axes = AxesOf(node, 13);
        if (axes is null) Set(node, tf.squeeze(x));
        else
        {
            var rank = RankOf(node, x, this);
            Set(node, axes.Length == 0 ? tf.identity(x) : tf.squeeze(x, [.. axes.Select(a => Axis(a, rank))]));
        }
    }

    private void Unsqueeze(NodeProto node)
    {
        var x = X(node, 0);
        var axes = AxesOf(node, 13) ?? throw Invalid(node, "it has no axes.");
        var rank = RankOf(node, x, this) + axes.Length;
        var sorted = axes.Select(a => Axis(a, rank)).Order().ToArray();
        var y = x;
        foreach (var a in sorted) y = tf.expand_dims(y, a);
        Set(node, axes.Length == 0 ? tf.identity(x) : y);
    }

    private void Concat(NodeProto node)
    {
        var values = Enumerable.Range(0, node.Input.Count).Where(k => Has(node, k)).Select(k => In(node, k)).ToList();
        var axis = (int)Attr(node, "axis", 0L);
        if (values.All(v => v.Nhwc))
        {
            Set(node, tf.concat(values.Select(Materialize).ToList(), NhwcAxis(axis)), nhwc: true);
            return;
        }
        var tensors = values.Select(Nchw).ToList();
        Set(node, tf.concat(tensors, axis < 0 ? axis + RankOf(node, tensors[0], this) : axis));
    }

    private void Split(NodeProto node)
    {
        var value = In(node, 0);
        var axis = (int)Attr(node, "axis", 0L);
        var x = value.Nhwc ? Materialize(value) : Nchw(value);
        var rank = RankOf(node, x, this);
        var a = value.Nhwc ? NhwcAxis(axis) : Axis(axis, rank);
        var total = x.shape[a];
        var outputs = node.Output.Count;
        int[] sizes;
        if (IntsOrNull(node, "split") is { } attr) sizes = attr;
        else if (Has(node, 1) && In(node, 1).Constant is null)
        {
            // Sizes computed in the graph: as many parts as outputs.
            var parts = tf.split(x, tf.cast(X(node, 1), DType.int64), a, num: outputs);
            for (var i = 0; i < outputs; i++)
                if (Wants(node, i)) _values[node.Output[i]] = new Value(parts[i], null, value.Nhwc && parts[i].shape.ndims == 4);
            return;
        }
        else if (Has(node, 1)) sizes = IntsOf(node, 1, "split");
        else if (total < 0)
        {
            // The axis's size is known at run time only. Without num_outputs the parts are equal, and a size that does
            // not divide fails there as TensorFlow's Split does; with it (opset 18) the parts are ceil(size / n), the
            // last one smaller, computed in the graph.
            Tensor[] parts;
            if (AttrOf(node, "num_outputs") is { } count)
            {
                var dim = tf.gather(tf.shape(x, out_type: DType.int64), a);
                var chunk = tf.floordiv(tf.add(dim, tf.constant(count.I - 1)), tf.constant(count.I));
                var start = tf.multiply(tf.cast(tf.range(0, (int)count.I), DType.int64), chunk);
                var partSizes = tf.maximum(tf.constant(0L), tf.minimum(chunk, tf.subtract(dim, start)));
                parts = tf.split(x, partSizes, a, num: (int)count.I);
            }
            else parts = tf.split(x, outputs, a);
            for (var i = 0; i < parts.Length; i++)
                if (Wants(node, i)) _values[node.Output[i]] = new Value(parts[i], null, value.Nhwc && parts[i].shape.ndims == 4);
            return;
        }
        else if (AttrOf(node, "num_outputs") is { } n)
        {
            // Opset 18: the parts are ceil(total / n), the last one smaller.
            var chunk = (int)((total + n.I - 1) / n.I);
            sizes = [.. Enumerable.Range(0, (int)n.I).Select(k => System.Math.Max(0, System.Math.Min(chunk, total - k * chunk)))];
        }
        else if (total % outputs != 0) throw Invalid(node, $"an even Split of {total} into {outputs} parts is impossible.");
        else sizes = Enumerable.Repeat(total / outputs, outputs).ToArray();
        if (sizes.Length != outputs) throw Invalid(node, $"{sizes.Length} split sizes for {outputs} outputs.");
        var offset = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            var begin = new int[rank];
            var size = Enumerable.Repeat(-1, rank).ToArray();
            begin[a] = offset;
            size[a] = sizes[i];
            if (Wants(node, i)) _values[node.Output[i]] = new Value(tf.slice(x, begin, size), null, value.Nhwc);
            offset += sizes[i];
        }
    }

    private void Slice(NodeProto node)
    {
        var x = X(node, 0);
        var rank = x.shape.ndims >= 0 || (Opset >= 10 && (In(node, 1).Constant is null || In(node, 2).Constant is null)) ? RankOf(node, x, this) : -1;
        long[] Longs(int index, string attr)
        {
            if (Opset < 10) return IntsOrNull(node, attr)?.Select(v => (long)v).ToArray() ?? [];
            return Has(node, index) ? ConstantOf(node, index, attr).Cast(DType.int64).ToArray<long>() : [];
        }
        if (Opset >= 10 && (In(node, 1).Constant is null || In(node, 2).Constant is null))
        {
            SliceComputed(node, x, rank);
            return;
        }
        var starts = Longs(1, "starts");
        var ends = Longs(2, "ends");
        var axes = Longs(3, "axes");
        var steps = Opset < 10 ? [] : Longs(4, "steps");
        if (axes.Length == 0) axes = [.. Enumerable.Range(0, starts.Length).Select(v => (long)v)];
        if (steps.Length == 0) steps = [.. Enumerable.Repeat(1L, starts.Length)];
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw Invalid(node, "starts, ends, axes and steps differ in length.");
        if (rank < 0)
        {
            SliceOfUnknownRank(node, x, starts, ends, axes, steps);
            return;
        }
        var begin = new int[rank];
        var end = new int[rank];
        var stride = Enumerable.Repeat(1, rank).ToArray();
        int beginMask = (1 << rank) - 1, endMask = (1 << rank) - 1;
        static int Clamp(long v) => (int)System.Math.Clamp(v, int.MinValue / 2, int.MaxValue / 2);
        for (var k = 0; k < axes.Length; k++)
        {
            var a = Axis((int)axes[k], rank);
            if (steps[k] == 0) throw Invalid(node, "a step is 0.");
            var dim = x.shape[a];
            var (s, e) = (starts[k], ends[k]);
            stride[a] = Clamp(steps[k]);
            beginMask &= ~(1 << a);
            endMask &= ~(1 << a);
            if (dim >= 0)
            {
                // ONNX clamps to [0, dim] going forward and [-1, dim-1] going back; say "to the end" with a mask.
                if (s < 0) s += dim;
                if (e < 0) e += dim;
                if (steps[k] > 0)
                {
                    s = System.Math.Clamp(s, 0, dim);
                    e = System.Math.Clamp(e, 0, dim);
                }
                else
                {
                    s = System.Math.Clamp(s, -1, dim - 1);
                    if (e < 0) endMask |= 1 << a;
                    e = System.Math.Clamp(e, -1, dim - 1);
                }
                if (s < 0)
                {
                    // Stepping back from before the start: an empty slice.
                    (s, e) = (0, 0);
                    endMask &= ~(1 << a);
                }
            }
            else if (steps[k] < 0 && e < -(long)int.MaxValue) endMask |= 1 << a;
            begin[a] = Clamp(s);
            end[a] = Clamp(e);
        }
        Set(node, tf.strided_slice(x, begin, end, stride, begin_mask: beginMask, end_mask: endMask));
    }

    /// <summary>
    /// Slice of an input of unknown rank: its axes counted all from the start (the first axes, then an ellipsis) or
    /// all from the end (an ellipsis, then the last axes), as a strided_slice, which clamps starts and ends to the
    /// axis as ONNX does.
    /// </summary>
    private void SliceOfUnknownRank(NodeProto node, Tensor x, long[] starts, long[] ends, long[] axes, long[] steps)
    {
        if (axes.Distinct().Count() != axes.Length) throw Invalid(node, $"its axes [{string.Join(",", axes)}] repeat an axis.");
        if (axes.Length == 0)
        {
            Set(node, tf.identity(x));
            return;
        }
        var fromStart = axes.All(a => a >= 0);
        if (!fromStart && !axes.All(a => a < 0))
            throw Unsupported(node, "axes", $"[{string.Join(",", axes)}]", "axes counted from both ends of an input of unknown rank");
        var span = fromStart ? (int)axes.Max() + 1 : -(int)axes.Min();
        if (span > 30) throw Unsupported(node, "axes", $"[{string.Join(",", axes)}]", "an axis past 30 of an input of unknown rank");
        var count = span + 1; // the axes sliced or between them, and an ellipsis for the others
        var ellipsis = fromStart ? span : 0;
        var begin = new int[count];
        var end = new int[count];
        var stride = Enumerable.Repeat(1, count).ToArray();
        int beginMask = ((1 << count) - 1) & ~(1 << ellipsis), endMask = beginMask;
        static int Clamp(long v) => (int)System.Math.Clamp(v, int.MinValue / 2, int.MaxValue / 2);
        for (var k = 0; k < axes.Length; k++)
        {
            if (steps[k] == 0) throw Invalid(node, "a step is 0.");
            var at = fromStart ? (int)axes[k] : count + (int)axes[k];
            beginMask &= ~(1 << at);
            endMask &= ~(1 << at);
            // Going back to before the first element: the end is the start of the axis.
            if (steps[k] < 0 && ends[k] < -(long)int.MaxValue) endMask |= 1 << at;
            begin[at] = Clamp(starts[k]);
            end[at] = Clamp(ends[k]);
            stride[at] = Clamp(steps[k]);
        }
        Set(node, tf.strided_slice(x, begin, end, stride, begin_mask: beginMask, end_mask: endMask, ellipsis_mask: 1 << ellipsis));
    }

    /// <summary>Slice with starts or ends computed in the graph (axes and steps known): strided_slice clamps as ONNX does.</summary>
    private void SliceComputed(NodeProto node, Tensor x, int rank)
    {
        var starts = tf.cast(X(node, 1), DType.int64);
        var ends = tf.cast(X(node, 2), DType.int64);
        var count = starts.shape.ndims == 1 && starts.shape[0] >= 0 ? starts.shape[0] : -1;
        var axes = Has(node, 3) ? IntsOf(node, 3, "axes") : count >= 0 ? [.. Enumerable.Range(0, count)] : throw Unsupported(node, "computed starts of unknown length without axes");
        var steps = Has(node, 4) ? IntsOf(node, 4, "steps") : Enumerable.Repeat(1, axes.Length).ToArray();
        var beginParts = new Tensor[rank];
        var endParts = new Tensor[rank];
        var stride = Enumerable.Repeat(1, rank).ToArray();
        int beginMask = (1 << rank) - 1, endMask = (1 << rank) - 1;
        for (var i = 0; i < rank; i++) beginParts[i] = endParts[i] = tf.constant(new long[] { 0 });
        var big = (long)int.MaxValue;
        for (var k = 0; k < axes.Length; k++)
        {
            var a = Axis(axes[k], rank);
            beginMask &= ~(1 << a);
            endMask &= ~(1 << a);
            stride[a] = steps[k];
            beginParts[a] = tf.reshape(tf.clip_by_value(starts[k], S(-big, DType.int64), S(big, DType.int64)), new[] { 1 });
            endParts[a] = tf.reshape(tf.clip_by_value(ends[k], S(-big, DType.int64), S(big, DType.int64)), new[] { 1 });
        }
        Set(node, tf.strided_slice(x, tf.concat(beginParts, 0), tf.concat(endParts, 0), tf.constant(stride.Select(v => (long)v).ToArray()), begin_mask: beginMask, end_mask: endMask));
    }

    /// <summary>Indices made non-negative: ONNX counts negative ones from the end of the axis.</summary>
    private static Tensor NonNegative(Tensor indices, Tensor dim) =>
        tf.where(tf.less(indices, S(0, indices.dtype)), indices + tf.cast(dim, indices.dtype) + tf.zeros_like(indices), indices);

    private void Gather(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = Axis((int)Attr(node, "axis", 0L), rank);
        var indices = NonNegative(X(node, 1), tf.shape(x, out_type: DType.int64)[axis]);
        Set(node, tf.gather(x, indices, axis));
    }

    /// <summary>The full coordinates (…, rank) of every element of <paramref name="indices"/>, whose values index <paramref name="axis"/>.</summary>
    private static Tensor Coordinates(Tensor indices, int axis, int rank)
    {
        var shape = tf.shape(indices, out_type: DType.int64);
        var coords = new List<Tensor>();
        for (var d = 0; d < rank; d++)
        {
            if (d == axis) { coords.Add(indices); continue; }
            var r = tf.range(S(0, DType.int64), shape[d], S(1, DType.int64));
            var dims = Enumerable.Repeat(1, rank).ToArray();
            dims[d] = -1;
            coords.Add(tf.reshape(r, dims) + tf.zeros_like(indices));
        }
        return tf.stack(coords, axis: -1);
    }

    private void GatherElements(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = Axis((int)Attr(node, "axis", 0L), rank);
        var indices = NonNegative(tf.cast(X(node, 1), DType.int64), tf.shape(x, out_type: DType.int64)[axis]);
        Set(node, tf.gather_nd(x, Coordinates(indices, axis, rank)));
    }

    private void GatherND(NodeProto node)
    {
        var batch = Attr(node, "batch_dims", 0L);
        if (batch != 0) throw Unsupported(node, "batch_dims", batch);
        var x = X(node, 0);
        var indices = tf.cast(X(node, 1), DType.int64);
        if (indices.shape.ndims < 0) throw Unsupported(node, "indices of unknown rank");
        var dims = tf.slice(tf.shape(x, out_type: DType.int64), Zero, DepthOf(indices));
        Set(node, tf.gather_nd(x, NonNegative(indices, dims)));
    }

    /// <summary>ONNX's scatters: <paramref name="updates"/> written (or added) at full coordinates of <paramref name="data"/>.</summary>
    private Tensor Scatter(NodeProto node, Tensor data, Tensor coords, Tensor updates)
    {
        var reduction = Attr(node, "reduction", "none");
        var shape = tf.shape(data, out_type: DType.int64);
        if (reduction == "none") return LastWins(data, coords, updates, shape);
        if (data.dtype == DType.@bool) throw Unsupported(node, "reduction", reduction, "on bool data");
        switch (reduction)
        {
            case "add": return data + tf.scatter_nd(coords, updates, shape);
            case "mul" or "max" or "min":
            {
                // ONNX applies the updates one at a time (output[i] = f(output[i], update)): the updates of each
                // location are reduced together, by segment (the location's linear index over the indexed axes), and
                // then combined with the data where a location was written.
                var lead = tf.slice(shape, Zero, DepthOf(coords));
                var linear = tf.reduce_sum(coords * tf.cumprod(lead, exclusive: true, reverse: true), -1);
                var count = tf.reduce_prod(lead);
                var reduced = tf.reshape(reduction switch
                {
                    "mul" => tf.unsorted_segment_prod(updates, linear, count),
                    "max" => tf.unsorted_segment_max(updates, linear, count),
                    _ => tf.unsorted_segment_min(updates, linear, count),
                }, shape);
                var combined = reduction switch { "mul" => data * reduced, "max" => tf.maximum(data, reduced), _ => tf.minimum(data, reduced) };
                var touched = tf.scatter_nd(coords, tf.ones_like(updates, DType.int32), shape);
                return tf.where(tf.greater(touched, S(0, DType.int32)), combined, data);
            }
            default: throw Unsupported(node, "reduction", reduction);
        }
    }

    /// <summary>
    /// A scatter without reduction as ONNX Runtime runs it: the updates written in order, so at a location written
    /// more than once the last update wins (ONNX leaves repeats undefined; SharpFlow's DynamicStitch and
    /// SparseToDense exports rely on this order). Each location (its linear index over the indexed axes) takes the
    /// highest update position that names it, and the output gathers, row by row, that update or the data's own row;
    /// nothing is added, so any dtype (bool included) scatters.
    /// </summary>
    private static Tensor LastWins(Tensor data, Tensor coords, Tensor updates, Tensor shape)
    {
        var depth = DepthOf(coords);
        var lead = tf.slice(shape, Zero, depth);
        var locations = tf.reshape(tf.reduce_prod(lead), new[] { 1 });
        var linear = tf.reshape(tf.reduce_sum(coords * tf.cumprod(lead, exclusive: true, reverse: true), -1), new[] { -1 });
        var count = tf.size(linear, out_type: DType.int64);
        var positions = tf.range(S(0, DType.int64), count, S(1, DType.int64));
        // The lowest int64 where no update names the location (an empty segment's maximum).
        var last = tf.unsorted_segment_max(positions, linear, locations[0]);
        var rows = tf.slice(shape, depth, new[] { -1 });
        var updateRows = tf.reshape(updates, tf.concat(new[] { tf.reshape(count, new[] { 1 }), rows }, 0));
        var dataRows = tf.reshape(data, tf.concat(new[] { locations, rows }, 0));
        // Row `count + location` of the concatenation is the data's own row at that location.
        var own = count + tf.range(S(0, DType.int64), locations[0], S(1, DType.int64));
        var source = tf.where(tf.greater_equal(last, S(0, DType.int64)), last, own);
        var scattered = tf.reshape(tf.gather(tf.concat(new[] { updateRows, dataRows }, 0), source), shape);
        scattered.SetShape(data.shape);
        return scattered;
    }

    private static readonly int[] Zero = [0];

    /// <summary>The length of the index rows (the last dimension of <paramref name="indices"/>), as a vector of one int32, known at import or not.</summary>
    private static Tensor DepthOf(Tensor indices) =>
        indices.shape[-1] >= 0 ? tf.constant(new[] { indices.shape[-1] }) : tf.slice(tf.shape(indices), new[] { indices.shape.ndims - 1 }, new[] { 1 });

    private void ScatterND(NodeProto node)
    {
        var data = X(node, 0);
        var indices = tf.cast(X(node, 1), DType.int64);
        if (indices.shape.ndims < 0) throw Unsupported(node, "indices of unknown rank");
        var dims = tf.slice(tf.shape(data, out_type: DType.int64), Zero, DepthOf(indices));
        Set(node, Scatter(node, data, NonNegative(indices, dims), X(node, 2)));
    }

    private void ScatterElements(NodeProto node)
    {
        var data = X(node, 0);
        var rank = RankOf(node, data, this);
        var axis = Axis((int)Attr(node, "axis", 0L), rank);
        var indices = NonNegative(tf.cast(X(node, 1), DType.int64), tf.shape(data, out_type: DType.int64)[axis]);
        Set(node, Scatter(node, data, Coordinates(indices, axis, rank), X(node, 2)));
    }

    private void OneHot(NodeProto node)
    {
        var indices = tf.cast(X(node, 0), DType.int64);
        var depth = tf.cast(tf.reshape(X(node, 1), Array.Empty<int>()), DType.int64);
        var values = X(node, 2);
        var (off, on) = (values[0], values[1]);
        indices = tf.where(tf.less(indices, S(0, DType.int64)), indices + depth, indices);
        var axis = (int)Attr(node, "axis", -1L);
        var rank = RankOf(node, indices, this) + 1;
        Set(node, tf.one_hot(indices, tf.cast(depth, DType.int32), on_value: on, off_value: off, axis: Axis(axis, rank)));
    }

    private void ArgMaxMin(NodeProto node, bool max)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = Axis((int)Attr(node, "axis", 0L), rank);
        var last = Attr(node, "select_last_index", 0L) != 0;
        var input = last ? tf.reverse(x, new[] { axis }) : x;
        var index = max ? tf.argmax(input, axis, output_type: DType.int64) : tf.argmin(input, axis, output_type: DType.int64);
        if (last) index = tf.shape(x, out_type: DType.int64)[axis] - S(1, DType.int64) - index;
        if (Attr(node, "keepdims", 1L) != 0) index = tf.expand_dims(index, axis);
        Set(node, index);
    }

    private void TopK(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = Axis((int)Attr(node, "axis", -1L), rank);
        var k = Opset < 10 ? tf.constant((int)Attr(node, "k", 0L)) : tf.cast(tf.reshape(X(node, 1), Array.Empty<int>()), DType.int32);
        var largest = Attr(node, "largest", 1L) != 0;
        if (Attr(node, "sorted", 1L) == 0) { } // unsorted output may come in any order: the sorted one is a valid answer
        var perm = Enumerable.Range(0, rank).ToArray();
        (perm[axis], perm[rank - 1]) = (perm[rank - 1], perm[axis]);
        var moved = axis == rank - 1 ? x : tf.transpose(x, perm);
        Tensor values, indices;
        if (largest) (values, indices) = tf.nn.top_k(moved, k);
        else
        {
            // The k smallest: the largest of the negation, ties broken by the lower index as ONNX Runtime does.
            (values, indices) = tf.nn.top_k(tf.negative(moved), k);
            values = tf.negative(values);
        }
        indices = tf.cast(indices, DType.int64);
        if (axis != rank - 1) (values, indices) = (tf.transpose(values, perm), tf.transpose(indices, perm));
        Set(node, 0, values);
        Set(node, 1, indices);
    }

    private void CumSum(NodeProto node)
    {
        var x = X(node, 0);
        var axis = Axis(IntsOf(node, 1, "axis").Single(), RankOf(node, x, this));
        Set(node, tf.cumsum(x, axis, exclusive: Attr(node, "exclusive", 0L) != 0, reverse: Attr(node, "reverse", 0L) != 0));
    }

    private void Trilu(NodeProto node)
    {
        var x = X(node, 0);
        var k = Has(node, 1) ? tf.cast(tf.reshape(X(node, 1), Array.Empty<int>()), DType.int64) : S(0, DType.int64);
        var shape = tf.shape(x, out_type: DType.int64);
        var rows = tf.range(S(0, DType.int64), shape[-2], S(1, DType.int64));
        var cols = tf.range(S(0, DType.int64), shape[-1], S(1, DType.int64));
        var diff = tf.expand_dims(cols, 0) - tf.expand_dims(rows, 1); // j - i
        var keep = Attr(node, "upper", 1L) != 0 ? tf.greater_equal(diff, k) : tf.less_equal(diff, k);
        Set(node, tf.where(tf.broadcast_to(keep, tf.shape(x)), x, tf.zeros_like(x)));
    }

    private void ReverseSequence(NodeProto node)
    {
        var x = X(node, 0);
        var lengths = tf.cast(X(node, 1), DType.int64);
        Set(node, tf.reverse_sequence(x, lengths, seq_axis: (int)Attr(node, "time_axis", 0L), batch_axis: (int)Attr(node, "batch_axis", 1L)));
    }

    private void Compress(NodeProto node)
    {
        var x = X(node, 0);
        var condition = X(node, 1);
        var selected = tf.reshape(tf.where(condition), new[] { -1 });
        if (AttrOf(node, "axis") is null)
        {
            var flat = tf.reshape(x, new[] { -1 });
            Set(node, tf.gather(flat, tf.boolean_mask(selected, tf.less(selected, tf.size(flat, out_type: DType.int64)))));
            return;
        }
        var axis = Axis((int)Attr(node, "axis", 0L), RankOf(node, x, this));
        Set(node, tf.gather(x, selected, axis));
    }

    private void EyeLike(NodeProto node)
    {
        var x = X(node, 0);
        var dtype = AttrOf(node, "dtype") is { } d ? DTypeOf((int)d.I, $"{_model.Source}: node '{NodeName(node)}' (EyeLike) attribute 'dtype'", NodeName(node)) : x.dtype;
        var k = Attr(node, "k", 0L);
        var shape = tf.shape(x, out_type: DType.int64);
        var rows = tf.range(S(0, DType.int64), shape[0], S(1, DType.int64));
        var cols = tf.range(S(0, DType.int64), shape[1], S(1, DType.int64));
        var diagonal = tf.equal(tf.expand_dims(cols, 0) - tf.expand_dims(rows, 1), S(k, DType.int64));
        Set(node, tf.cast(diagonal, dtype));
    }

    private void Dropout(NodeProto node)
    {
        if (Has(node, 2) && In(node, 2).Constant is { } training && training.Cast(DType.@bool).ToArray<bool>().Any(t => t))
            throw Unsupported(node, "training_mode", "true", "random dropout");
        if (Has(node, 2) && In(node, 2).Constant is null) throw Unsupported(node, "a computed training_mode");
        var value = In(node, 0);
        _values[node.Output[0]] = value;
        if (Wants(node, 1)) Set(node, 1, tf.ones_like(Nchw(value), DType.@bool));
    }

    private void DepthToSpace(NodeProto node)
    {
        var x = X(node, 0);
        var b = (int)Attr(node, "blocksize", 0L);
        var mode = Attr(node, "mode", "DCR");
        if (x.shape.ndims != 4 || x.shape[1] < 0 || x.shape[2] < 0 || x.shape[3] < 0) throw Unsupported(node, "an input whose C, H and W are not known at import");
        var (c, h, w) = (x.shape[1], x.shape[2], x.shape[3]);
        if (c % (b * b) != 0) throw Invalid(node, $"{c} channels do not divide into blocks of {b}×{b}.");
        var co = c / (b * b);
        Tensor y = mode switch
        {
            "DCR" => tf.transpose(tf.reshape(x, new[] { -1, b, b, co, h, w }), new[] { 0, 3, 4, 1, 5, 2 }),
            "CRD" => tf.transpose(tf.reshape(x, new[] { -1, co, b, b, h, w }), new[] { 0, 1, 4, 2, 5, 3 }),
            _ => throw Unsupported(node, "mode", mode),
        };
        Set(node, tf.reshape(y, new[] { -1, co, h * b, w * b }));
    }

    private void SpaceToDepth(NodeProto node)
    {
        var x = X(node, 0);
        var b = (int)Attr(node, "blocksize", 0L);
        if (x.shape.ndims != 4 || x.shape[1] < 0 || x.shape[2] < 0 || x.shape[3] < 0) throw Unsupported(node, "an input whose C, H and W are not known at import");
        var (c, h, w) = (x.shape[1], x.shape[2], x.shape[3]);
        var y = tf.transpose(tf.reshape(x, new[] { -1, c, h / b, b, w / b, b }), new[] { 0, 3, 5, 1, 2, 4 });
        Set(node, tf.reshape(y, new[] { -1, c * b * b, h / b, w / b }));
    }

    private void Reduce(NodeProto node, Func<Tensor, TensorLike, bool, Tensor> f)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var inputSince = node.OpType == "ReduceSum" ? 13 : 18;
        if (Opset >= inputSince && Has(node, 1) && In(node, 1).Constant is null)
        {
            // Axes computed in the graph (not empty: an empty list's meaning would depend on noop_with_empty_axes).
            var computed = tf.cast(X(node, 1), DType.int32);
            Set(node, f(x, computed, Attr(node, "keepdims", 1L) != 0));
            return;
        }
        var axes = AxesOf(node, inputSince);
        var keepdims = Attr(node, "keepdims", 1L) != 0;
        if (axes is null || axes.Length == 0)
        {
            if (Attr(node, "noop_with_empty_axes", 0L) != 0)
            {
                // No axes reduced: ONNX Runtime still applies the reduction's element-wise part (ReduceL2 gives |x|).
                Set(node, f(x, Array.Empty<int>(), keepdims));
                return;
            }
            axes = [.. Enumerable.Range(0, rank)];
        }
        Set(node, f(x, axes.Select(a => Axis(a, rank)).ToArray(), keepdims));
    }

    private static Tensor LpNorm(Tensor x, int[] axes, long p, bool keepdims) => p switch
    {
        1 => tf.reduce_sum(tf.abs(x), axes, keepdims),
        2 => tf.sqrt(tf.reduce_sum(x * x, axes, keepdims)),
        _ => tf.pow(tf.reduce_sum(tf.pow(tf.abs(x), S(p, x.dtype)), axes, keepdims), S(1.0 / p, x.dtype)),
    };

    /// <summary>NumPy's matmul: batch dimensions broadcast, a 1-D operand is a row (left) or a column (right) removed after.</summary>
    private static Tensor MatMul(Tensor a, Tensor b)
    {
        var (ra, rb) = (a.shape.ndims, b.shape.ndims);
        if (ra == 1 && rb == 1) return tf.reduce_sum(a * b);
        if (ra == 1) return tf.squeeze(tf.matmul(tf.expand_dims(a, 0), b), new[] { -2 });
        if (rb == 1) return tf.squeeze(tf.matmul(a, tf.expand_dims(b, 1)), new[] { -1 });
        return tf.matmul(a, b);
    }

    private Tensor Gemm(NodeProto node)
    {
        var a = X(node, 0);
        var (transA, transB) = (Attr(node, "transA", 0L) != 0, Attr(node, "transB", 0L) != 0);
        var bValue = In(node, 1);
        // A constant transposed B is transposed once here, so the product reads it row-major.
        var b = transB && bValue.Constant is { ndim: 2 } wt ? Materialize(node.Input[1], OnnxTensors.Permute(wt, [1, 0])) : Nchw(bValue);
        if (transB && bValue.Constant is { ndim: 2 }) transB = false;
        var y = tf.matmul(a, b, transpose_a: transA, transpose_b: transB);
        var alpha = Attr(node, "alpha", 1f);
        if (alpha != 1f) y *= S(alpha, y.dtype);
        if (Has(node, 2))
        {
            var beta = Attr(node, "beta", 1f);
            var c = X(node, 2);
            y += beta == 1f ? c : c * S(beta, c.dtype);
        }
        return y;
    }
}
