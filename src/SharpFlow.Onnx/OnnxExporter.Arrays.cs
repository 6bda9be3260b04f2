using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of TensorFlow's reversals, space/batch rearrangements, the one-input Where, Unique,
/// ScatterNd and MaxPoolWithArgmax to ONNX operators.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>ReverseV2: ONNX Slice from the last element down (step -1) along each axis of its constant axis list.</summary>
    private void ReverseOp(Operation op, string y)
    {
        var axes = ConstantOf(op, 1, "axis").Cast(DType.int64).ToArray<long>();
        if (axes.Length == 0)
        {
            Node("Identity", [In(op, 0)], [y]);
            return;
        }
        var n = axes.Length;
        Node("Slice", [In(op, 0), Ints([.. Enumerable.Repeat(-1L, n)]), Ints([.. Enumerable.Repeat(long.MinValue, n)]), Ints(axes), Ints([.. Enumerable.Repeat(-1L, n)])], [y]);
    }

    /// <summary>
    /// ReverseSequence: ONNX ReverseSequence, whose batch and time axes are 0 and 1 (either way round); other
    /// <c>batch_dim</c>/<c>seq_dim</c> pairs are brought there by a Transpose (the input's rank known) and back.
    /// </summary>
    private void ReverseSequenceOp(Operation op, string y)
    {
        var (seq, batch) = (IntAttr(op, "seq_dim"), IntAttr(op, "batch_dim"));
        var lengths = Int64(op.inputs[1]);
        if ((batch, seq) is (0, 1) or (1, 0))
        {
            Node("ReverseSequence", [In(op, 0), lengths], [y], ("batch_axis", batch), ("time_axis", seq));
            return;
        }
        var rank = op.inputs[0].shape.ndims;
        if (rank < 0)
            throw new UnimplementedError($"Cannot export ReverseSequence \"{op.name}\" to ONNX: batch_dim {batch} and seq_dim {seq} over an input of unknown rank (ONNX's batch and time axes are 0 and 1).", op.name);
        long[] perm = [batch, seq, .. Enumerable.Range(0, rank).Select(d => (long)d).Where(d => d != batch && d != seq)];
        var inverse = new long[rank];
        for (var d = 0; d < rank; d++) inverse[perm[d]] = d;
        var moved = ApplyWith("Transpose", [In(op, 0)], ("perm", perm));
        var reversed = ApplyWith("ReverseSequence", [moved, lengths], ("batch_axis", 0L), ("time_axis", 1L));
        Node("Transpose", [reversed], [y], ("perm", inverse));
    }

    /// <summary>
    /// SpaceToBatchND and BatchToSpaceND with a constant block_shape and paddings/crops, as TensorFlow's reference
    /// composition: Pad, Reshape splitting each spatial axis into (size / block, block), Transpose moving the
    /// block offsets before the batch, Reshape merging them into it; BatchToSpaceND the reverse, then a Slice for the
    /// crops. The dimensions after the batch must be known (the batch may be unknown).
    /// </summary>
    private void SpaceBatchOp(Operation op, string y)
    {
        var toBatch = op.type == "SpaceToBatchND";
        var block = ConstantOf(op, 1, "block_shape").Cast(DType.int64).ToArray<long>();
        var pads = ConstantOf(op, 2, toBatch ? "paddings" : "crops").Cast(DType.int64).ToArray<long>();
        var shape = op.inputs[0].shape;
        var m = block.Length;
        if (!shape.IsKnownRank || Enumerable.Range(1, shape.ndims - 1).Any(d => shape[d] < 0))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its input's shape {shape} is not known beyond the batch dimension.", op.name);
        var rank = shape.ndims;
        long[] rest = [.. Enumerable.Range(1 + m, rank - 1 - m).Select(d => shape[d])];
        if (toBatch)
        {
            var padded = Fresh();
            long[] before = [0, .. Enumerable.Range(0, m).Select(i => pads[2 * i]), .. rest.Select(_ => 0L)];
            long[] after = [0, .. Enumerable.Range(0, m).Select(i => pads[2 * i + 1]), .. rest.Select(_ => 0L)];
            Node("Pad", [In(op, 0), Ints([.. before, .. after])], [padded]);
            var sizes = Enumerable.Range(0, m).Select(i => shape[1 + i] + pads[2 * i] + pads[2 * i + 1]).ToArray();
            long[] split = [-1, .. Enumerable.Range(0, m).SelectMany(i => new[] { sizes[i] / block[i], block[i] }), .. rest];
            long[] perm = [.. Enumerable.Range(0, m).Select(i => 2L + 2 * i), 0, .. Enumerable.Range(0, m).Select(i => 1L + 2 * i), .. Enumerable.Range(0, rest.Length).Select(r => 1L + 2 * m + r)];
            var moved = ApplyWith("Transpose", [Apply("Reshape", padded, Ints(split))], ("perm", perm));
            Node("Reshape", [moved, Ints([-1, .. Enumerable.Range(0, m).Select(i => sizes[i] / block[i]), .. rest])], [y]);
            return;
        }
        long[] unsplit = [.. block, -1, .. Enumerable.Range(0, m).Select(i => shape[1 + i]), .. rest];
        long[] back = [m, .. Enumerable.Range(0, m).SelectMany(i => new[] { (long)m + 1 + i, i }), .. Enumerable.Range(0, rest.Length).Select(r => 1L + 2 * m + r)];
        var spread = ApplyWith("Transpose", [Apply("Reshape", In(op, 0), Ints(unsplit))], ("perm", back));
        var full = Enumerable.Range(0, m).Select(i => shape[1 + i] * block[i]).ToArray();
        var merged = Apply("Reshape", spread, Ints([-1, .. full, .. rest]));
        Node("Slice", [merged, Ints([.. Enumerable.Range(0, m).Select(i => pads[2 * i])]), Ints([.. Enumerable.Range(0, m).Select(i => full[i] - pads[2 * i + 1])]),
            Ints([.. Enumerable.Range(1, m).Select(d => (long)d)])], [y]);
    }

    /// <summary>The one-input Where (<c>tf.where(condition)</c>): ONNX NonZero (<c>[rank, count]</c>), transposed to TensorFlow's <c>[count, rank]</c>.</summary>
    private void WhereOp(Operation op, string y) => Node("Transpose", [Apply("NonZero", In(op, 0))], [y], ("perm", new long[] { 1, 0 }));

    /// <summary>Unique: ONNX Unique with <c>sorted = 0</c> (the elements in order of first appearance, as TensorFlow's), its inverse indices as <c>idx</c> (cast to out_idx).</summary>
    private void UniqueOp(Operation op)
    {
        var outs = Outs(op);
        var idx = op.outputs[1].dtype == DType.int64 ? outs[1] : Fresh();
        // ONNX Runtime's Unique takes float, double, int64, int8 and string: other integers (and bool) go through
        // int64 and back, float16 through float, exactly.
        var dtype = op.inputs[0].dtype;
        DType? via = dtype == DType.float16 ? DType.float32 : dtype.is_integer && dtype != DType.int64 && dtype != DType.int8 || dtype == DType.@bool ? DType.int64 : null;
        var x = via is null ? In(op, 0) : ApplyWith("Cast", [In(op, 0)], ("to", (long)DataTypeOf(via.Value, op)));
        var y = via is null ? outs[0] : Fresh();
        Node("Unique", [x], [y, Fresh(), idx, Fresh()], ("sorted", 0L));
        if (via is not null) Node("Cast", [y], [outs[0]], ("to", (long)DataTypeOf(dtype, op)));
        if (idx != outs[1]) Node("Cast", [idx], [outs[1]], ("to", (long)DataTypeOf(op.outputs[1].dtype, op)));
    }

    /// <summary>
    /// ScatterNd: ONNX ScatterND with <c>reduction = add</c> (opset 16: TensorFlow sums the updates of repeated
    /// indices) into zeros of the given shape.
    /// </summary>
    private void ScatterNdOp(Operation op, string y)
    {
        var zeros = ApplyWith("ConstantOfShape", [Int64(op.inputs[2])], ("value", NDArray.Scalar(0.0).Cast(op.outputs[0].dtype).Reshape(new Shape(1))));
        Node("ScatterND", [zeros, Int64(op.inputs[0]), In(op, 1)], [y], ("reduction", "add"));
    }

    /// <summary>
    /// MaxPoolWithArgmax: ONNX MaxPool with its Indices output, in NCHW between Transposes. ONNX's index is flat over
    /// the NCHW input, <c>((n·C + c)·H + h)·W + w</c>; TensorFlow's is <c>(h·W + w)·C + c</c> (plus
    /// <c>n·H·W·C</c> with include_batch_in_index), so with <c>hw = index mod H·W</c> and <c>nc = index div H·W</c>
    /// it is <c>hw·C + nc mod C</c> (plus <c>(nc div C)·H·W·C</c>).
    /// </summary>
    private void MaxPoolWithArgmaxOp(Operation op)
    {
        var k = Attr<int[]>(op, "ksize");
        var s = Attr<int[]>(op, "strides");
        if (k[0] != 1 || k[3] != 1 || s[0] != 1 || s[3] != 1)
            throw new UnimplementedError($"Cannot export MaxPoolWithArgmax \"{op.name}\" to ONNX: it pools over the batch or channel axis.", op.name);
        var outs = Outs(op);
        var nchw = ApplyWith("Transpose", [In(op, 0)], ("perm", ToNchw));
        var (pooled, indices) = (Fresh(), Fresh());
        Node("MaxPool", [nchw], [pooled, indices], ("kernel_shape", new long[] { k[1], k[2] }), ("strides", new long[] { s[1], s[2] }), Padding(op, [k[1], k[2]], [1, 1, 1, 1]));
        Node("Transpose", [pooled], [outs[0]], ("perm", ToNhwc));
        var shape = Apply("Shape", In(op, 0));
        string Dim(long d) => ApplyWith("Gather", [shape, Initializer($"scalar_{_counter++}", NDArray.Scalar(d))], ("axis", 0L));
        var (h, w, c) = (Dim(1), Dim(2), Dim(3));
        var plane = Apply("Mul", h, w);
        var nhwcIndices = ApplyWith("Transpose", [indices], ("perm", ToNhwc));
        var hw = ApplyWith("Mod", [nhwcIndices, plane], ("fmod", 0L));
        var nc = Apply("Div", nhwcIndices, plane);
        var flat = Apply("Add", Apply("Mul", hw, c), ApplyWith("Mod", [nc, c], ("fmod", 0L)));
        if (Attr<bool>(op, "include_batch_in_index"))
            flat = Apply("Add", flat, Apply("Mul", Apply("Div", nc, c), Apply("Mul", plane, c)));
        if (op.outputs[1].dtype == DType.int64) Node("Identity", [flat], [outs[1]]);
        else Node("Cast", [flat], [outs[1]], ("to", (long)DataTypeOf(op.outputs[1].dtype, op)));
    }
}
