using FsCheck;
using FsCheck.Fluent;

namespace SharpFlow.Tests.Reliability;

/// <summary>
/// Shape inference against the kernels, over random valid shapes drawn by FsCheck: for every op family, the shape
/// inferred from fully known inputs is fully known and equals the shape of the value the kernel produces, and the
/// shape inferred from inputs whose dimensions (or rank) are unknown is compatible with it.
/// </summary>
public class ShapeInferenceProperties
{
    /// <summary>One drawn case: input values (their shapes are what is under test) and the op applied to them.</summary>
    public sealed record Case(string Op, NDArray[] Inputs, Func<Tensor[], Tensor> Build)
    {
        public override string ToString() => $"{Op}({string.Join(", ", Inputs.Select(i => $"{i.dtype.name}{i.shape}"))})";
    }

    private const int Tests = 60;

    private static void Holds(Gen<Case> cases) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Tests).WithQuietOnSuccess(true), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var actual = Run(c, i => c.Inputs[i].shape, out var inferred);
            Assert.True(inferred.IsFullyDefined, $"{c}: inferred {inferred} from fully known inputs");
            Assert.Equal(actual, inferred);
            Run(c, i => new Shape(Enumerable.Repeat(-1, c.Inputs[i].ndim).ToArray()), out var partial);
            Assert.True(partial.IsCompatibleWith(actual), $"{c}: inferred {partial} from unknown dimensions, the kernel made {actual}");
        }));

    private static Shape Run(Case c, Func<int, Shape> placeholderShape, out Shape inferred)
    {
        using var g = TestGraph.Enter();
        var inputs = c.Inputs.Select((v, i) => tf.placeholder(v.dtype, placeholderShape(i), name: $"in{i}")).ToArray();
        var y = c.Build(inputs);
        inferred = y.shape;
        var feed = new FeedDict();
        for (var i = 0; i < inputs.Length; i++) feed[inputs[i]] = c.Inputs[i];
        return g.Eval(y, feed).shape;
    }

    // ----- generators -----

    private static Gen<int> Dim => Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Constant(1)), (6, Gen.Choose(2, 5)));
    private static Gen<int> PositiveDim => Gen.Choose(1, 5);
    private static Gen<int[]> Dims(int minRank, int maxRank, Gen<int>? dim = null) =>
        from rank in Gen.Choose(minRank, maxRank) from dims in (dim ?? Dim).ArrayOf(rank) select dims;

    private static NDArray Floats(params int[] dims)
    {
        var shape = new Shape(dims);
        var values = new float[shape.NumElements];
        for (var i = 0; i < values.Length; i++) values[i] = (i * 7919 % 23) / 7f - 1.5f;
        return NDArray.FromFlat(values, shape);
    }

    private static NDArray Ints(int[] dims, int below)
    {
        var shape = new Shape(dims);
        var values = new int[shape.NumElements];
        for (var i = 0; i < values.Length; i++) values[i] = below == 0 ? 0 : i * 31 % below;
        return NDArray.FromFlat(values, shape);
    }

    private static readonly (string Name, Func<Tensor, Tensor, Tensor> F)[] BinaryOps =
    [
        ("add", (a, b) => a + b), ("mul", (a, b) => a * b), ("maximum", (a, b) => tf.maximum(a, b)),
        ("squared_difference", (a, b) => tf.squared_difference(a, b)), ("less", (a, b) => tf.less(a, b)),
    ];

    [Fact]
    public void BroadcastingBinaryOps() => Holds(
        from a in Dims(0, 4)
        from drop in Gen.Choose(0, a.Length)
        from ones in Gen.Elements(true, false).ArrayOf(a.Length - drop)
        from swap in Gen.Elements(true, false)
        from op in Gen.Elements(BinaryOps)
        let b = a[drop..].Select((d, i) => ones[i] ? 1 : d).ToArray()
        let pair = swap ? (b, a) : (a, b)
        select new Case(op.Name, [Floats(pair.Item1), Floats(pair.Item2)], x => op.F(x[0], x[1])));

    private static readonly (string Name, Func<Tensor, int[], bool, Tensor> F)[] Reductions =
    [
        ("reduce_sum", (x, a, k) => tf.reduce_sum(x, a, k)), ("reduce_mean", (x, a, k) => tf.reduce_mean(x, a, k)),
        ("reduce_prod", (x, a, k) => tf.reduce_prod(x, a, k)), ("reduce_max", (x, a, k) => tf.reduce_max(x, a, k)),
    ];

    [Fact]
    public void Reductions_() => Holds(
        from dims in Dims(1, 4, PositiveDim)
        from mask in Gen.Elements(true, false).ArrayOf(dims.Length)
        from negative in Gen.Elements(true, false)
        from keep in Gen.Elements(true, false)
        from op in Gen.Elements(Reductions)
        let axes = Enumerable.Range(0, dims.Length).Where(i => mask[i]).Select(i => negative ? i - dims.Length : i).ToArray()
        select new Case($"{op.Name} axes [{string.Join(",", axes)}] keepdims {keep}", [Floats(dims)], x => op.F(x[0], axes, keep)));

    [Fact]
    public void ArgMax() => Holds(
        from dims in Dims(1, 4, PositiveDim)
        from axis in Gen.Choose(-dims.Length, dims.Length - 1)
        select new Case($"argmax axis {axis}", [Floats(dims)], x => tf.argmax(x[0], axis)));

    [Fact]
    public void TransposeReshapeExpandSqueeze() => Holds(
        from dims in Dims(0, 4)
        from keys in Gen.Choose(0, 1000).ArrayOf(dims.Length)
        from which in Gen.Choose(0, 3)
        from position in Gen.Choose(0, dims.Length)
        let perm = Enumerable.Range(0, dims.Length).OrderBy(i => keys[i]).ThenBy(i => i).ToArray()
        select which switch
        {
            0 => new Case($"transpose [{string.Join(",", perm)}]", [Floats(dims)], x => tf.transpose(x[0], perm)),
            1 => new Case("reshape to [-1, last]", [Floats(dims.Append(3).ToArray())], x => tf.reshape(x[0], new[] { -1, 3 })),
            2 => new Case($"expand_dims {position}", [Floats(dims)], x => tf.expand_dims(x[0], position)),
            _ => new Case("squeeze", [Floats(dims)], x => tf.squeeze(x[0])),
        });

    [Fact]
    public void ConcatSlicePad() => Holds(
        from dims in Dims(1, 4)
        from axis in Gen.Choose(0, dims.Length - 1)
        from other in Dim
        from begin in Gen.Choose(0, 5).ArrayOf(dims.Length)
        from size in Gen.Choose(-1, 5).ArrayOf(dims.Length)
        from pads in Gen.Choose(0, 2).ArrayOf(2 * dims.Length)
        from which in Gen.Choose(0, 2)
        let b = dims.Select((d, i) => Math.Min(begin[i], d)).ToArray()
        let s = dims.Select((d, i) => size[i] == -1 ? -1 : Math.Min(size[i], d - b[i])).ToArray()
        let p = new int[dims.Length, 2]
        let _ = Enumerable.Range(0, dims.Length).All(i => { p[i, 0] = pads[2 * i]; p[i, 1] = pads[2 * i + 1]; return true; })
        select which switch
        {
            0 => new Case($"concat axis {axis}", [Floats(dims), Floats(dims.Select((d, i) => i == axis ? other : d).ToArray())], x => tf.concat(x, axis)),
            1 => new Case($"slice begin [{string.Join(",", b)}] size [{string.Join(",", s)}]", [Floats(dims)], x => tf.slice(x[0], b, s)),
            _ => new Case("pad", [Floats(dims)], x => tf.pad(x[0], p)),
        });

    [Fact]
    public void MatMul() => Holds(
        from m in Dim from k in Dim from n in Dim
        from ta in Gen.Elements(true, false) from tb in Gen.Elements(true, false)
        select new Case($"matmul ta {ta} tb {tb}", [Floats(ta ? [k, m] : [m, k]), Floats(tb ? [n, k] : [k, n])], x => tf.matmul(x[0], x[1], ta, tb)));

    [Fact]
    public void ConvolutionsAndPooling() => Holds(
        from batch in Gen.Choose(0, 2)
        from h in Gen.Choose(1, 9) from w in Gen.Choose(1, 9)
        from c in Gen.Choose(1, 3) from outC in Gen.Choose(1, 3)
        from kh in Gen.Choose(1, 4) from kw in Gen.Choose(1, 4)
        from sh in Gen.Choose(1, 3) from sw in Gen.Choose(1, 3)
        from padding in Gen.Elements("SAME", "VALID")
        from which in Gen.Choose(0, 3)
        where padding == "SAME" || (kh <= h && kw <= w)
        select which switch
        {
            0 => new Case($"conv2d k{kh}x{kw} s{sh}x{sw} {padding}", [Floats(batch, h, w, c), Floats(kh, kw, c, outC)], x => tf.nn.conv2d(x[0], x[1], [1, sh, sw, 1], padding)),
            1 => new Case($"depthwise_conv2d k{kh}x{kw} s{sh} {padding}", [Floats(batch, h, w, c), Floats(kh, kw, c, outC)], x => tf.nn.depthwise_conv2d(x[0], x[1], [1, sh, sh, 1], padding)),
            2 => new Case($"max_pool k{kh}x{kw} s{sh}x{sw} {padding}", [Floats(batch, h, w, c)], x => tf.nn.max_pool(x[0], [1, kh, kw, 1], [1, sh, sw, 1], padding)),
            _ => new Case($"avg_pool k{kh}x{kw} s{sh}x{sw} {padding}", [Floats(batch, h, w, c)], x => tf.nn.avg_pool(x[0], [1, kh, kw, 1], [1, sh, sw, 1], padding)),
        });

    [Fact]
    public void IndexOps() => Holds(
        from dims in Dims(1, 3, PositiveDim)
        from axis in Gen.Choose(-dims.Length, dims.Length - 1)
        from indices in Dims(0, 2)
        from depth in Gen.Choose(0, 4)
        from oneHotAxis in Gen.Choose(-1, indices.Length)
        from which in Gen.Choose(0, 2)
        select which switch
        {
            0 => new Case($"gather axis {axis}", [Floats(dims), Ints(indices, dims[axis < 0 ? axis + dims.Length : axis])], x => tf.gather(x[0], x[1], axis)),
            1 => new Case($"one_hot depth {depth} axis {oneHotAxis}", [Ints(indices, depth + 1)], x => tf.one_hot(x[0], depth, axis: oneHotAxis)),
            _ => new Case("unsorted_segment_sum", [Floats([.. indices, .. dims]), Ints(indices, dims[0])], x => tf.unsorted_segment_sum(x[0], x[1], dims[0])),
        });

    [Fact]
    public void NeuralNetworkOps() => Holds(
        from dims in Dims(2, 4, PositiveDim)
        from which in Gen.Choose(0, 3)
        select which switch
        {
            0 => new Case("bias_add", [Floats(dims), Floats(dims[^1])], x => tf.nn.bias_add(x[0], x[1])),
            1 => new Case("softmax", [Floats(dims)], x => tf.nn.softmax(x[0])),
            2 => new Case("cumsum", [Floats(dims)], x => tf.cumsum(x[0], dims.Length - 1)),
            _ => new Case("sparse_softmax_cross_entropy_with_logits", [Ints([dims[0]], dims[^1]), Floats(dims[0], dims[^1])],
                x => tf.nn.sparse_softmax_cross_entropy_with_logits(labels: x[0], logits: x[1])),
        });
}
