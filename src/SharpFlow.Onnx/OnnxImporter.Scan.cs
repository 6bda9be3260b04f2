using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    /// <summary>
    /// ONNX Scan (opset 9+): a <c>tf.while_loop</c> over the slices of the scan inputs along their
    /// <c>scan_input_axes</c> (from the end where <c>scan_input_directions</c> is 1), the state variables carried,
    /// each iteration's scan outputs written to TensorArrays, stacked, reversed where
    /// <c>scan_output_directions</c> is 1 and moved to their <c>scan_output_axes</c>.
    /// </summary>
    private void Scan(NodeProto node)
    {
        var body = SubgraphOf(node, "body");
        var m = (int)Attr(node, "num_scan_inputs", 0L);
        if (m < 1 || m > node.Input.Count) throw Invalid(node, $"num_scan_inputs {m} is not between 1 and its {node.Input.Count} inputs.");
        var states = node.Input.Count - m;
        var scans = body.Output.Count - states;
        if (body.Input.Count != states + m || scans < 0)
            throw Invalid(node, $"its body takes {body.Input.Count} inputs and gives {body.Output.Count} outputs for {states} states and {m} scan inputs.");
        int[] Axes(string name, int count, Func<int, int> rank)
        {
            var given = AttrOf(node, name)?.Ints.ToArray() ?? [];
            if (given.Length != 0 && given.Length != count) throw Invalid(node, $"{name} has {given.Length} values for {count}.");
            return [.. Enumerable.Range(0, count).Select(k =>
            {
                var a = given.Length == 0 ? 0L : given[k];
                var r = rank(k);
                if (a < -r || a >= r) throw Invalid(node, $"{name}[{k}] = {a} is out of range for rank {r}.");
                return (int)(a < 0 ? a + r : a);
            })];
        }
        var initial = Enumerable.Range(0, states).Select(k => X(node, k)).ToList();
        var inputs = Enumerable.Range(0, m).Select(k => X(node, states + k)).ToList();
        foreach (var x in inputs)
            if (!x.shape.IsKnownRank) throw Unsupported(node, $"a scan input of unknown rank ('{x.name}')");
        var inAxes = Axes("scan_input_axes", m, k => inputs[k].shape.ndims);
        var inDirections = Axes("scan_input_directions", m, _ => 2);
        var outDirections = Axes("scan_output_directions", scans, _ => 2);
        var scanTypes = Enumerable.Range(0, scans).Select(k =>
        {
            var output = body.Output[states + k];
            var type = output.Type?.TensorType?.ElemType ?? 0;
            return type == 0 ? throw Unsupported(node, $"a scan output '{output.Name}' without a declared type") : DTypeOf(type, $"scan output '{output.Name}'", NodeName(node));
        }).ToList();

        var steps = tf.gather(tf.shape(inputs[0]), inAxes[0]);
        var elementRanks = new int[scans];
        var loopVars = new List<object> { tf.constant(0) };
        loopVars.AddRange(initial);
        loopVars.AddRange(scanTypes.Select(t => (object)new TensorArray(t, 0, dynamic_size: true, infer_shape: false)));
        var result = tf.while_loop(v => tf.less((Tensor)v[0], steps), v =>
        {
            var i = (Tensor)v[0];
            var slices = inputs.Select((x, k) => tf.gather(x, inDirections[k] == 1 ? steps - 1 - i : i, axis: inAxes[k])).ToList();
            var outputs = Subgraph(node, body, [.. v.Skip(1).Take(states).Cast<Tensor>(), .. slices]);
            var next = new List<object> { i + 1 };
            next.AddRange(outputs.Take(states));
            for (var k = 0; k < scans; k++)
            {
                elementRanks[k] = outputs[states + k].shape.ndims;
                next.Add(((TensorArray)v[1 + states + k]).write(i, outputs[states + k]));
            }
            return [.. next];
        }, loopVars);
        for (var k = 0; k < states; k++) Set(node, k, (Tensor)result[1 + k]);
        var stacked = Enumerable.Range(0, scans).Select(k => ((TensorArray)result[1 + states + k]).stack()).ToList();
        var outAxes = Axes("scan_output_axes", scans, k => elementRanks[k] >= 0 ? elementRanks[k] + 1
            : throw Unsupported(node, $"a scan output '{body.Output[states + k].Name}' of unknown rank"));
        for (var k = 0; k < scans; k++)
        {
            var y = outDirections[k] == 1 ? tf.reverse(stacked[k], new[] { 0 }) : stacked[k];
            if (outAxes[k] != 0)
            {
                // The iteration axis (0) moves to scan_output_axes[k].
                var rank = elementRanks[k] + 1;
                var perm = Enumerable.Range(1, rank - 1).ToList();
                perm.Insert(outAxes[k], 0);
                y = tf.transpose(y, perm.ToArray());
            }
            Set(node, states + k, y);
        }
    }

    /// <summary>
    /// ONNX Unique over the flattened input (or a 1-D input's only axis): TensorFlow's <c>unique</c> gives the
    /// values in order of first occurrence and the inverse indices; the first indices and the counts are segment
    /// reductions over them; <c>sorted=1</c> (the default) orders everything by value.
    /// </summary>
    private void Unique(NodeProto node)
    {
        var x = X(node, 0);
        if (AttrOf(node, "axis") is { } axis && !(x.shape.ndims == 1 && axis.I is 0 or -1))
            throw Unsupported(node, "axis", axis.I, "unique slices along an axis");
        var flat = tf.reshape(x, new[] { -1 });
        var (y, inverse) = tf.unique(flat, out_idx: DType.int64);
        var count = tf.size(y, out_type: DType.int64);
        var first = tf.unsorted_segment_min(tf.range(tf.size(flat, out_type: DType.int64)), inverse, count);
        var counts = tf.unsorted_segment_sum(tf.ones_like(inverse), inverse, count);
        if (Attr(node, "sorted", 1L) != 0)
        {
            var order = tf.argsort(y);
            y = tf.gather(y, order);
            first = tf.gather(first, order);
            counts = tf.gather(counts, order);
            inverse = tf.gather(tf.cast(tf.invert_permutation(order), DType.int64), inverse);
        }
        Set(node, 0, y);
        Set(node, 1, first);
        Set(node, 2, inverse);
        Set(node, 3, counts);
    }

    /// <summary>
    /// ONNX Det of square matrices of known size: LU decomposition with partial pivoting (as Eigen's determinant
    /// in ONNX Runtime), unrolled over the columns and batched over the leading axes; the product of the pivots,
    /// negated per row swap. A zero pivot (a singular matrix) gives 0.
    /// </summary>
    private void Det(NodeProto node)
    {
        var x = X(node, 0);
        var rank = x.shape.ndims;
        if (rank < 2 || x.shape[rank - 1] < 0 || (x.shape[rank - 2] >= 0 && x.shape[rank - 1] != x.shape[rank - 2]))
            throw Unsupported(node, $"an input of shape {x.shape} (Det needs square matrices of known size)");
        var n = x.shape[rank - 1];
        var dtype = x.dtype;
        var a = tf.reshape(x, new[] { -1, n, n });
        var det = tf.ones_like(tf.gather(tf.gather(a, 0, axis: 1), 0, axis: 1));
        var sign = tf.ones_like(det);
        Tensor Vector(Func<int, bool> on) => tf.constant(NDArray.FromFlat(Enumerable.Range(0, n).Select(r => on(r) ? 1.0 : 0.0).ToArray(), new Shape(n)).Cast(dtype));
        for (var k = 0; k < n; k++)
        {
            var column = k;
            var below = Vector(r => r >= column);
            var candidates = tf.abs(tf.gather(a, k, axis: 2)) * below - (S(1, dtype) - below);
            var pivotRow = tf.one_hot(tf.argmax(candidates, 1), n, dtype: dtype);              // [B, n]
            var ek = Vector(r => r == column);
            var rowK = tf.gather(a, k, axis: 1);                                                // [B, n]
            var rowP = tf.reduce_sum(tf.expand_dims(pivotRow, 2) * a, 1);                       // [B, n]
            var mk = tf.reshape(ek, new[] { 1, n, 1 });
            var mp = tf.expand_dims(pivotRow * (S(1, dtype) - ek), 2);                          // [B, n, 1]
            a = a * (S(1, dtype) - mk - mp) + mk * tf.expand_dims(rowP, 1) + mp * tf.expand_dims(rowK, 1);
            sign *= S(1, dtype) - S(2, dtype) * (S(1, dtype) - tf.reduce_sum(pivotRow * ek, 1));
            var pivot = tf.gather(tf.gather(a, k, axis: 1), k, axis: 1);                       // [B]
            det *= pivot;
            var safe = tf.where(tf.equal(pivot, S(0, dtype)), tf.ones_like(pivot), pivot);
            var factor = tf.gather(a, k, axis: 2) / tf.expand_dims(safe, 1) * Vector(r => r > column);
            a -= tf.expand_dims(factor, 2) * tf.expand_dims(tf.gather(a, k, axis: 1), 1);
        }
        Set(node, tf.reshape(det * sign, tf.slice(tf.shape(x), new[] { 0 }, new[] { rank - 2 })));
    }
}
