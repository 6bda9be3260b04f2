using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Functions;

/// <summary>
/// The linear-algebra functions TensorFlow's Python builds from other ops: trace, tensordot and einsum, each a
/// composition of transposes, reshapes, matrix products and sums.
/// </summary>
internal static class LinearAlgebra
{
    /// <summary><c>tf.trace</c>: the sum of the main diagonal of each innermost matrix.</summary>
    public static Tensor Trace(TensorLike x, string? name)
    {
        using var b = OpBuilder.Begin(name, "Trace", x);
        var input = b.Convert(x, "x");
        return Sum.Build(MatrixDiagPart.Build(input), new[] { -1 }, name: b.Scope);
    }

    /// <summary>
    /// <c>tf.tensordot(a, b, axes)</c>: <paramref name="axes"/> is an int n (the last n axes of a against the
    /// first n of b), a pair of ints, or a pair of axis lists.
    /// </summary>
    public static Tensor Tensordot(TensorLike a, TensorLike b, object axes, string? name)
    {
        using var builder = OpBuilder.Begin(name, "Tensordot", a, b);
        var x = builder.Convert(a, "a");
        var y = builder.Convert(b, "b", x.dtype);
        if (!x.shape.IsKnownRank || !y.shape.IsKnownRank) throw new ValueError($"tensordot needs inputs of known rank, got {x} and {y}");
        var (aAxes, bAxes) = TensordotAxes(x, axes);
        var (aMatrix, aFree) = Flatten(x, aAxes, flipped: false);
        var (bMatrix, bFree) = Flatten(y, bAxes, flipped: true);
        var product = MatMul.Build(aMatrix, bMatrix);
        var result = Reshape.Build(product, Dims.Concat(builder.Graph, [aFree, bFree]), builder.Scope);
        // As TensorFlow: a run-time shape vector still leaves the static free dimensions known.
        result.SetShape(aFree.Static.Concatenate(bFree.Static));
        return result;
    }

    private static (int[] A, int[] B) TensordotAxes(Tensor a, object axes)
    {
        switch (axes)
        {
            case int n:
                if (n < 0) throw new ValueError("'axes' must be at least 0.");
                if (n > a.shape.ndims) throw new ValueError($"'axes' must not be larger than the number of dimensions of tensor {a}.");
                return ([.. Enumerable.Range(a.shape.ndims - n, n)], [.. Enumerable.Range(0, n)]);
            case int[] pair:
                if (pair.Length != 2) throw new ValueError("'axes' must be an integer or have length 2.");
                return ([pair[0]], [pair[1]]);
            case int[][] lists:
                if (lists.Length != 2) throw new ValueError("'axes' must be an integer or have length 2.");
                if (lists[0].Length != lists[1].Length)
                    throw new ValueError($"Different number of contraction axes 'a' and 'b', {lists[0].Length} != {lists[1].Length}.");
                return (lists[0], lists[1]);
            default:
                throw new ValueError($"'axes' must be an integer or have length 2, got {axes}.");
        }
    }

    /// <summary>
    /// TensorFlow's <c>_tensordot_reshape</c>: <paramref name="x"/> as a matrix [free, contracted] (or
    /// [contracted, free] when <paramref name="flipped"/>), and the free dimensions.
    /// </summary>
    private static (Tensor Matrix, Dims Free) Flatten(Tensor x, int[] axes, bool flipped)
    {
        var rank = x.shape.ndims;
        var normalized = axes.Select(i => i < 0 ? i + rank : i).ToArray();
        foreach (var i in normalized)
            if (i < 0 || i >= rank) throw new ValueError($"axis {i} is out of range for {x}");
        var free = Enumerable.Range(0, rank).Where(i => !normalized.Contains(i)).ToArray();
        var perm = flipped ? normalized.Concat(free).ToArray() : free.Concat(normalized).ToArray();
        var freeDims = Dims.Of(x, free);
        var axesDims = Dims.Of(x, normalized);
        var shape = flipped ? Dims.Concat(x.graph, [axesDims.Product(), freeDims.Product()]) : Dims.Concat(x.graph, [freeDims.Product(), axesDims.Product()]);
        var transposed = perm.SequenceEqual(Enumerable.Range(0, rank)) ? x : Transpose.Build(x, Shapes.Const(x.graph, perm, "perm"));
        return (Reshape.Build(transposed, shape), freeDims);
    }

    /// <summary>
    /// <c>tf.einsum(equation, *inputs)</c> for equations without repeated letters inside one input and without
    /// ellipses: matrix and batch products, transposes, sums over letters absent from the output, outer products
    /// and dot products. Operands are contracted left to right, each pair as one (batch) matrix product.
    /// </summary>
    public static Tensor Einsum(string equation, IReadOnlyList<TensorLike> inputs, string? name)
    {
        var eq = equation.Replace(" ", "", StringComparison.Ordinal);
        if (eq.Contains("...", StringComparison.Ordinal)) throw new ValueError($"einsum: ellipses are not supported: {equation}");
        var arrow = eq.IndexOf("->", StringComparison.Ordinal);
        var lhs = arrow >= 0 ? eq[..arrow] : eq;
        var subscripts = lhs.Split(',');
        if (subscripts.Length != inputs.Count)
            throw new ValueError($"Expected {subscripts.Length} inputs but got {inputs.Count} for equation {equation}");
        foreach (var s in subscripts)
        {
            if (s.Any(c => !char.IsAsciiLetter(c))) throw new ValueError($"einsum: invalid subscripts '{s}' in {equation}");
            if (s.Distinct().Count() != s.Length)
                throw new ValueError($"einsum: a letter repeated within one input (a diagonal or trace) is not supported: '{s}' in {equation}");
        }
        string output;
        if (arrow >= 0)
        {
            output = eq[(arrow + 2)..];
            if (output.Any(c => !char.IsAsciiLetter(c)) || output.Distinct().Count() != output.Length)
                throw new ValueError($"einsum: invalid output subscripts '{output}' in {equation}");
            foreach (var c in output)
                if (!lhs.Contains(c, StringComparison.Ordinal)) throw new ValueError($"einsum: output subscript {c} does not appear in the inputs of {equation}");
        }
        else
        {
            // Implicit output: the letters that appear exactly once, in alphabetical order.
            output = new string([.. lhs.Where(char.IsAsciiLetter).GroupBy(c => c).Where(g => g.Count() == 1).Select(g => g.Key).Order()]);
        }

        using var b = OpBuilder.Begin(name, "einsum", [.. inputs]);
        var tensors = inputs.Select((t, i) => b.Convert(t, $"input_{i}")).ToArray();
        for (var i = 0; i < tensors.Length; i++)
        {
            if (!tensors[i].shape.IsKnownRank) throw new ValueError($"einsum needs inputs of known rank, got {tensors[i]}");
            if (tensors[i].shape.ndims != subscripts[i].Length)
                throw new ValueError($"einsum: input {i} has rank {tensors[i].shape.ndims} but subscripts '{subscripts[i]}' in {equation}");
            for (var j = i + 1; j < tensors.Length; j++)
                foreach (var c in subscripts[i].Intersect(subscripts[j]))
                {
                    var (di, dj) = (tensors[i].shape[subscripts[i].IndexOf(c, StringComparison.Ordinal)], tensors[j].shape[subscripts[j].IndexOf(c, StringComparison.Ordinal)]);
                    if (di >= 0 && dj >= 0 && di != dj)
                        throw new ValueError($"einsum: dimension {c} is {di} in input {i} and {dj} in input {j} of {equation}");
                }
        }

        var (current, letters) = (tensors[0], subscripts[0]);
        for (var i = 1; i < tensors.Length; i++)
        {
            var keep = output + string.Concat(subscripts.Skip(i + 1));
            (current, letters) = Contract(current, letters, tensors[i], subscripts[i], keep);
        }
        // Sum what no later step needs, then order the letters as the output asks.
        (current, letters) = SumAway(current, letters, output);
        if (letters != output)
        {
            var perm = output.Select(c => letters.IndexOf(c, StringComparison.Ordinal)).ToArray();
            current = Transpose.Build(current, Shapes.Const(current.graph, perm, "perm"));
        }
        return Identity.Build(current, b.Scope);
    }

    /// <summary>Sums <paramref name="x"/> over the letters absent from <paramref name="keep"/>.</summary>
    private static (Tensor, string) SumAway(Tensor x, string letters, string keep)
    {
        var axes = Enumerable.Range(0, letters.Length).Where(i => !keep.Contains(letters[i], StringComparison.Ordinal)).ToArray();
        if (axes.Length == 0) return (x, letters);
        return (Sum.Build(x, axes), new string([.. letters.Where(c => keep.Contains(c, StringComparison.Ordinal))]));
    }

    /// <summary>One pairwise contraction: batch letters (in both, kept), free letters (in one, kept), contracted letters (in both, not kept).</summary>
    private static (Tensor, string) Contract(Tensor a, string la, Tensor b, string lb, string keep)
    {
        (a, la) = SumAway(a, la, keep + lb);
        (b, lb) = SumAway(b, lb, keep + la);
        var batch = la.Where(c => lb.Contains(c, StringComparison.Ordinal) && keep.Contains(c, StringComparison.Ordinal)).ToArray();
        var contracted = la.Where(c => lb.Contains(c, StringComparison.Ordinal) && !keep.Contains(c, StringComparison.Ordinal)).ToArray();
        var freeA = la.Where(c => !lb.Contains(c, StringComparison.Ordinal)).ToArray();
        var freeB = lb.Where(c => !la.Contains(c, StringComparison.Ordinal)).ToArray();
        int[] Axes(string l, IEnumerable<char> cs) => [.. cs.Select(c => l.IndexOf(c, StringComparison.Ordinal))];

        var graph = a.graph;
        Tensor Arrange(Tensor t, string l, char[] first, char[] second, char[] third)
        {
            var perm = Axes(l, first.Concat(second).Concat(third));
            var moved = perm.SequenceEqual(Enumerable.Range(0, l.Length)) ? t : Transpose.Build(t, Shapes.Const(graph, perm, "perm"));
            return Reshape.Build(moved, Dims.Concat(graph, [Dims.Of(t, Axes(l, first)), Dims.Of(t, Axes(l, second)).Product(), Dims.Of(t, Axes(l, third)).Product()]));
        }
        var ma = Arrange(a, la, batch, freeA, contracted);
        var mb = Arrange(b, lb, batch, contracted, freeB);
        var product = batch.Length == 0 ? MatMul.Build(ma, mb) : BatchMatMulV2.Build(ma, mb);
        // The product's batch dimensions are the broadcast of both inputs'; read them from the product itself.
        var batchDims = Dims.Of(product, [.. Enumerable.Range(0, batch.Length)]);
        var (fa, fb) = (Dims.Of(a, Axes(la, freeA)), Dims.Of(b, Axes(lb, freeB)));
        var result = Reshape.Build(product, Dims.Concat(graph, [batchDims, fa, fb]));
        result.SetShape(batchDims.Static.Concatenate(fa.Static).Concatenate(fb.Static));
        return (result, new string([.. batch, .. freeA, .. freeB]));
    }

    /// <summary>A list of dimensions, each known at build time or a scalar int32 tensor computed at run time.</summary>
    private sealed class Dims
    {
        private readonly List<(int Static, Tensor? Dynamic)> _items = [];

        /// <summary>The dimensions as a static shape, -1 where known only at run time.</summary>
        public Shape Static => new([.. _items.Select(i => i.Static)]);

        /// <summary>The dimensions of <paramref name="x"/> at <paramref name="axes"/>.</summary>
        public static Dims Of(Tensor x, int[] axes)
        {
            var d = new Dims();
            Tensor? shape = null;
            foreach (var i in axes)
            {
                var s = x.shape[i];
                if (s >= 0) d._items.Add((s, null));
                else
                {
                    shape ??= Shape_.Build(x);
                    d._items.Add((-1, GatherV2.Build(shape, i)));
                }
            }
            return d;
        }

        /// <summary>The product of the dimensions, as a one-element list.</summary>
        public Dims Product()
        {
            var d = new Dims();
            if (_items.All(i => i.Dynamic is null))
            {
                d._items.Add((_items.Aggregate(1, (p, i) => checked(p * i.Static)), null));
                return d;
            }
            Tensor? product = null;
            var known = 1;
            foreach (var (s, t) in _items)
            {
                if (t is null) known = checked(known * s);
                else product = product is null ? t : Mul.Build(product, t);
            }
            d._items.Add((-1, known == 1 ? product : Mul.Build(product!, known)));
            return d;
        }

        /// <summary>The concatenated dimensions as an int32 shape vector: a constant when all are known.</summary>
        public static Tensor Concat(Graph graph, IEnumerable<Dims> parts)
        {
            var items = parts.SelectMany(p => p._items).ToList();
            if (items.All(i => i.Dynamic is null)) return Shapes.Const(graph, [.. items.Select(i => i.Static)], "shape");
            var pieces = items.Select(i => i.Dynamic is { } t ? Reshape.Build(t, new[] { 1 }) : Shapes.Const(graph, [i.Static], "dim")).Select(t => (TensorLike)t).ToList();
            return ConcatV2.Build(pieces, 0);
        }
    }
}
