namespace SharpFlow.Tests.Ops.ArrayOps;

/// <summary>
/// NumPy's basic indexing written out plainly, the reference for StridedSlice and the indexer: each index of the
/// spec (a number, a C# range, a <see cref="SliceSpec"/>, tf.newaxis, tf.ellipsis) becomes a list of input
/// positions along one dimension (Python's <c>slice.indices</c>), and the output walks their product.
/// </summary>
public static class SliceReference
{
    public static (double[] Values, int[] Shape) Apply(double[] x, int[] dims, object[] spec)
    {
        var real = spec.Count(s => !ReferenceEquals(s, tf.newaxis) && !ReferenceEquals(s, tf.ellipsis));
        var expanded = new List<object>();
        var sawEllipsis = false;
        foreach (var s in spec)
        {
            if (ReferenceEquals(s, tf.ellipsis))
            {
                for (var i = 0; i < dims.Length - real; i++) expanded.Add(..);
                sawEllipsis = true;
            }
            else expanded.Add(s);
        }
        if (!sawEllipsis)
            for (var i = real; i < dims.Length; i++) expanded.Add(..);

        var positions = new List<int[]>(); // per input dimension
        var outShape = new List<int>();
        var d = 0;
        foreach (var s in expanded)
        {
            if (ReferenceEquals(s, tf.newaxis)) { outShape.Add(1); continue; }
            var dim = dims[d++];
            switch (s)
            {
                case System.Range r:
                    long? start = r.Start.IsFromEnd ? (r.Start.Value == 0 ? dim : -r.Start.Value) : r.Start.Value;
                    long? stop = r.End.IsFromEnd ? (r.End.Value == 0 ? null : -r.End.Value) : r.End.Value;
                    var range = Indices(start, stop, 1, dim);
                    positions.Add(range);
                    outShape.Add(range.Length);
                    break;
                case SliceSpec sp:
                    var rs = Indices(Num(sp.start), Num(sp.stop), Num(sp.step) ?? 1, dim);
                    positions.Add(rs);
                    outShape.Add(rs.Length);
                    break;
                default:
                    long i = s switch { int v => v, long v => v, Index ix => ix.IsFromEnd ? -ix.Value : ix.Value, _ => throw new ArgumentException($"{s}") };
                    if (i < 0) i += dim;
                    if (i < 0 || i >= dim) throw new IndexOutOfRangeException();
                    positions.Add([(int)i]);
                    break;
            }
        }
        var strides = new int[dims.Length];
        for (int k = dims.Length - 1, s = 1; k >= 0; k--) { strides[k] = s; s *= dims[k]; }
        var result = new List<double>();
        void Walk(int dim, int offset)
        {
            if (dim == positions.Count) { result.Add(x[offset]); return; }
            foreach (var p in positions[dim]) Walk(dim + 1, offset + p * strides[dim]);
        }
        Walk(0, 0);
        return ([.. result], [.. outShape]);
    }

    private static long? Num(TensorLike? v) => v is null ? null : Convert.ToInt64(v.Value.Value);

    /// <summary>Python's <c>range(*slice(start, stop, step).indices(dim))</c>.</summary>
    public static int[] Indices(long? start, long? stop, long step, long dim)
    {
        long lo, hi;
        if (step > 0)
        {
            lo = start is { } s ? (s < 0 ? Math.Max(s + dim, 0) : Math.Min(s, dim)) : 0;
            hi = stop is { } e ? (e < 0 ? Math.Max(e + dim, 0) : Math.Min(e, dim)) : dim;
        }
        else
        {
            lo = start is { } s ? (s < 0 ? Math.Max(s + dim, -1) : Math.Min(s, dim - 1)) : dim - 1;
            hi = stop is { } e ? (e < 0 ? Math.Max(e + dim, -1) : Math.Min(e, dim - 1)) : -1;
        }
        var list = new List<int>();
        for (var i = lo; step > 0 ? i < hi : i > hi; i += step) list.Add((int)i);
        return [.. list];
    }
}
