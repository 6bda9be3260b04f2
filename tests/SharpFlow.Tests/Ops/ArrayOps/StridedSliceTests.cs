namespace SharpFlow.Tests.Ops.ArrayOps;

/// <summary>
/// StridedSlice through <c>tf.strided_slice</c> and the <c>x[...]</c> indexer: values against NumPy's indexing
/// written out (<see cref="SliceReference"/>), the ops and masks TensorFlow's <c>_slice_helper</c> builds, shape
/// inference with unknown dimensions and non-constant bounds, and the errors with TensorFlow's texts.
/// </summary>
public class StridedSliceTests
{
    private static readonly int[] Dims = [4, 5, 6];

    private static double[] Iota(int n) => Enumerable.Range(0, n).Select(i => i * 1.0 + 0.5).ToArray();

    public static TheoryData<string> Specs() => [.. SpecTable.Keys];

    private static readonly Dictionary<string, object[]> SpecTable = new()
    {
        ["x[0]"] = new object[] { 0 },
        ["x[^1]"] = new object[] { ^1 },
        ["x[-2]"] = new object[] { -2 },
        ["x[1..3]"] = new object[] { 1..3 },
        ["x[..^1]"] = new object[] { ..^1 },
        ["x[^2..]"] = new object[] { ^2.. },
        ["x[.., 2]"] = new object[] { .., 2 },
        ["x[.., .., ^1]"] = new object[] { .., .., ^1 },
        ["x[1, 2, 3]"] = new object[] { 1, 2, 3 },
        ["x[newaxis, ..]"] = new object[] { tf.newaxis, .. },
        ["x[..., 0]"] = new object[] { tf.ellipsis, 0 },
        ["x[0, ...]"] = new object[] { 0, tf.ellipsis },
        ["x[..., newaxis]"] = new object[] { tf.ellipsis, tf.newaxis },
        ["x[1, ..., newaxis, 2]"] = new object[] { 1, tf.ellipsis, tf.newaxis, 2 },
        ["x[newaxis, 1, newaxis, .., newaxis]"] = new object[] { tf.newaxis, 1, tf.newaxis, .., tf.newaxis },
        ["x[::-1]"] = new object[] { new SliceSpec(step: -1) },
        ["x[::2, ::-2]"] = new object[] { new SliceSpec(step: 2), new SliceSpec(step: -2) },
        ["x[-1:0:-1, ...]"] = new object[] { new SliceSpec(-1, 0, -1), tf.ellipsis },
        ["x[3:0:-2, 1::2, :-7:-3]"] = new object[] { new SliceSpec(3, 0, -2), new SliceSpec(1, null, 2), new SliceSpec(null, -7, -3) },
        ["x[-100:100, 7:2]"] = new object[] { new SliceSpec(-100, 100), new SliceSpec(7, 2) },
        ["x[2:2]"] = new object[] { 2..2 },
        ["x[5:1:-1, 10:-10:-4]"] = new object[] { new SliceSpec(5, 1, -1), new SliceSpec(10, -10, -4) },
        ["x[...]"] = new object[] { tf.ellipsis },
        ["x[:, :, :]"] = new object[] { .., .., .. },
        ["x[3, ::-1, 1:-1:3]"] = new object[] { 3, new SliceSpec(step: -1), new SliceSpec(1, -1, 3) },
    };

    [Theory, MemberData(nameof(Specs))]
    public void IndexerMatchesNumPy(string label)
    {
        var spec = SpecTable[label];
        using var g = TestGraph.Enter();
        var values = Iota(120);
        var (expected, shape) = SliceReference.Apply(values, Dims, spec);
        var x = tf.constant(NDArray.FromFlat(values, new Shape(Dims)));
        var y = x[spec];
        Assert.Equal(new Shape(shape), y.shape);
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(shape)), g.Eval(y), 0, label);

        // The same through a placeholder of unknown shape (run-time spec checks), and for integers.
        var p = tf.placeholder(tf.int32);
        var ints = NDArray.FromFlat(Enumerable.Range(0, 120).ToArray(), new Shape(Dims));
        var yi = p[spec];
        Assert.False(yi.shape.IsKnownRank);
        AssertArray.Equal(expected.Select(v => (int)v).ToArray(), g.Eval(yi, new FeedDict { [p] = ints }));
        Assert.Equal(new Shape(shape), g.Eval(yi, new FeedDict { [p] = ints }).shape);
    }

    [Fact]
    public void EveryDTypeIsSliced()
    {
        using var g = TestGraph.Enter();
        foreach (var dtype in new[] { tf.float32, tf.float64, tf.int32, tf.int64, tf.uint8, tf.@bool })
        {
            var x = tf.cast(tf.constant(new[,] { { 1, 0, 3 }, { 0, 5, 6 } }), dtype);
            var y = g.Eval(x[.., new SliceSpec(step: -2)]);
            Assert.Equal(dtype, y.dtype);
            Assert.Equal(new Shape(2, 2), y.shape);
            Assert.Equal(new double[] { 3, 1, 6, 0 }.Select(v => dtype == tf.@bool ? (v != 0 ? 1 : 0) : v), y.ToArray<double>());
        }
    }

    [Fact]
    public void DocumentedExamples()
    {
        // tf.strided_slice's documentation.
        using var g = TestGraph.Enter();
        var t = tf.constant(new[] { 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6 }, shape: new Shape(3, 2, 3));
        AssertArray.Equal(new[] { 3, 3, 3 }, g.Eval(tf.strided_slice(t, new[] { 1, 0, 0 }, new[] { 2, 1, 3 }, new[] { 1, 1, 1 })));
        Assert.Equal(new Shape(1, 1, 3), tf.strided_slice(t, new[] { 1, 0, 0 }, new[] { 2, 1, 3 }, new[] { 1, 1, 1 }).shape);
        AssertArray.Equal(new[] { 3, 3, 3, 4, 4, 4 }, g.Eval(tf.strided_slice(t, new[] { 1, 0, 0 }, new[] { 2, 2, 3 }, new[] { 1, 1, 1 })));
        AssertArray.Equal(new[] { 4, 4, 4, 3, 3, 3 }, g.Eval(tf.strided_slice(t, new[] { 1, -1, 0 }, new[] { 2, -3, 3 }, new[] { 1, -1, 1 })));
        // Strides default to ones; masks: foo[5:,:,:3] on a 7x8x9 tensor is foo[5:7,0:8,0:3].
        var foo = tf.zeros(new Shape(7, 8, 9));
        Assert.Equal(new Shape(2, 8, 3), tf.strided_slice(foo, new[] { 5, 0, 0 }, new[] { 0, 0, 3 }, begin_mask: 2, end_mask: 3).shape);
        // foo[3:5, ..., 4:5] on 10x3x3x10 is foo[3:5, :, :, 4:5].
        Assert.Equal(new Shape(2, 3, 3, 1), tf.strided_slice(tf.zeros(new Shape(10, 3, 3, 10)), new[] { 3, 0, 4 }, new[] { 5, 0, 5 }, new[] { 1, 1, 1 }, ellipsis_mask: 2).shape);
        // foo[3:5, 4] on 10x8 is shape (2,); foo[3:5, 4:5] is (2, 1).
        Assert.Equal(new Shape(2), tf.strided_slice(tf.zeros(new Shape(10, 8)), new[] { 3, 4 }, new[] { 5, 5 }, new[] { 1, 1 }, shrink_axis_mask: 2).shape);
        Assert.Equal(new Shape(2, 1), tf.strided_slice(tf.zeros(new Shape(10, 8)), new[] { 3, 4 }, new[] { 5, 5 }, new[] { 1, 1 }).shape);
    }

    [Fact]
    public void KernelTestValues()
    {
        // array_ops_test.py: testEllipsis, testShrink and testExpand's raw tensors.
        using var g = TestGraph.Enter();
        var raw = tf.constant(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, shape: new Shape(1, 2, 1, 3, 2));
        AssertArray.Equal(new[] { 1, 3, 5, 7, 9, 11 }, g.Eval(raw[tf.ellipsis, 0]));
        Assert.Equal(new Shape(1, 2, 1, 3), raw[tf.ellipsis, 0].shape);
        AssertArray.Equal(new[] { 7, 8, 9, 10, 11, 12 }, g.Eval(raw[0, 1]));
        var shrink = tf.constant(new[] { 1, 2, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24 }, shape: new Shape(1, 2, 1, 3, 4));
        AssertArray.Equal(new[] { 5, 8, 12, 16, 20, 24 }, g.Eval(shrink[.., .., .., .., 3]));
        AssertArray.Equal(new[] { 5, 8, 12, 16, 20, 24 }, g.Eval(shrink[tf.ellipsis, 3]));
        Assert.Equal(new Shape(1, 2, 1, 3), shrink[tf.ellipsis, 3].shape);
        Assert.Equal(new Shape(1, 1, 3, 4), shrink[.., 0].shape);
        var expand = tf.constant(new[] { 0, 1, 2, 3, 4, 5 }, shape: new Shape(2, 3));
        Assert.Equal(new Shape(1, 1, 2, 3), expand[tf.newaxis, tf.newaxis, ..].shape);
        Assert.Equal(new Shape(2, 1, 3), expand[.., tf.newaxis, ..].shape);
        Assert.Equal(new Shape(3, 1), expand[0, .., tf.newaxis].shape);
        AssertArray.Equal(new[] { 0, 1, 2 }, g.Eval(expand[0, .., tf.newaxis]));
    }

    [Fact]
    public void TheIndexerBuildsWhatSliceHelperBuilds()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 5, 6), name: "x");
        var y = x[1..3, ^1, tf.newaxis, tf.ellipsis];
        Assert.Equal("strided_slice", y.op.name);
        Assert.Equal("StridedSlice", y.op.type);
        Assert.Equal(new[] { "x", "strided_slice/stack", "strided_slice/stack_1", "strided_slice/stack_2" }, y.op.inputs.Select(t => t.op.name));
        Assert.Equal(new[] { 1, -1, 0, 0 }, g.Eval(y.op.inputs[1]).ToArray<int>());
        Assert.Equal(new[] { 3, 0, 0, 0 }, g.Eval(y.op.inputs[2]).ToArray<int>());
        Assert.Equal(new[] { 1, 1, 1, 1 }, g.Eval(y.op.inputs[3]).ToArray<int>());
        Assert.Equal(0L, y.op.Attr<long>("begin_mask"));
        Assert.Equal(0L, y.op.Attr<long>("end_mask"));
        Assert.Equal(8L, y.op.Attr<long>("ellipsis_mask"));
        Assert.Equal(4L, y.op.Attr<long>("new_axis_mask"));
        Assert.Equal(2L, y.op.Attr<long>("shrink_axis_mask"));
        Assert.Equal(new Shape(2, 1, 6), y.shape);
        // Python's None: x[None] and x[None, :, 1].
        Assert.Equal(new Shape(1, 4, 5, 6), x[null].shape);
        Assert.Equal(new Shape(1, 4, 6), x[null, .., 1].shape);
        Assert.Equal(1L, x[null, .., 1].op.Attr<long>("new_axis_mask"));
        var z = x[.., ..^1];
        Assert.Equal("strided_slice_4", z.op.name);
        Assert.Equal(3L, z.op.Attr<long>("begin_mask"));
        Assert.Equal(1L, z.op.Attr<long>("end_mask"));
        Assert.Equal(new Shape(4, 4, 6), z.shape);
    }

    [Fact]
    public void ScalarTensorsIndexToo()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var i = tf.placeholder(tf.int32, Shape.Scalar, name: "i");
        var y = x[.., i];
        Assert.Equal(new Shape(2), y.shape);
        Assert.Equal("add", y.op.inputs[2].op.inputs[1].op.name); // end = i + 1, built before the slice's scope
        AssertArray.Equal(new[] { 3, 6 }, g.Eval(y, new FeedDict { [i] = -1 }));
        var j = tf.constant(1L);
        var z = x[j, new SliceSpec(j, null, null)];
        Assert.Equal(tf.int64, z.op.inputs[1].dtype);
        AssertArray.Equal(new[] { 5, 6 }, g.Eval(z));
        Assert.Throws<TypeError>(() => x[tf.constant(1.0)]);
        var e = Assert.Throws<TypeError>(() => x[1.5]);
        Assert.Contains("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 tensors are valid indices, got 1.5", e.Message);
    }

    [Fact]
    public void ShapeInferenceWithUnknownDimensionsAndBounds()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 4));
        Assert.Equal(new Shape(-1, 2), x[1.., new SliceSpec(step: 2), -1].shape);
        Assert.Equal(new Shape(3, 4), x[0].shape);
        Assert.Equal(new Shape(-1, 4), x[new SliceSpec(step: -1), 1].shape);
        // Bounds unknown at build time: shrunk and fully masked dimensions are still known (TensorFlow's
        // StridedSlice_ShapeFn: [2,3,4,5] with shrink_axis_mask 1 and constant strides is [3,4,5]).
        var begin = tf.placeholder(tf.int32, new Shape(1));
        var end = tf.placeholder(tf.int32, new Shape(1));
        Assert.Equal(new Shape(3, 4, 5), tf.strided_slice(tf.zeros(new Shape(2, 3, 4, 5)), begin, end, new[] { 1 }, shrink_axis_mask: 1).shape);
        Assert.Equal(new Shape(0, 3, 4), tf.strided_slice(tf.zeros(new Shape(2, 0, 3, 4)), begin, end, new[] { 1 }, shrink_axis_mask: 1).shape);
        var b2 = tf.placeholder(tf.int32, new Shape(2));
        Assert.Equal(new Shape(-1, 6), tf.strided_slice(tf.zeros(new Shape(5, 6)), b2, b2, new[] { 1, 1 }, begin_mask: 2, end_mask: 2).shape);
        Assert.Equal(new Shape(-1, 6), tf.strided_slice(tf.zeros(new Shape(5, 6)), b2, b2, new[] { 1, -1 }, begin_mask: 2, end_mask: 2).shape);
        // Strides unknown, or the spec's length, or the input's rank: nothing is known.
        Assert.False(tf.strided_slice(tf.zeros(new Shape(5, 6)), b2, b2, b2).shape.IsKnownRank);
        Assert.False(tf.strided_slice(tf.placeholder(tf.float32), new[] { 1 }, new[] { 2 }).shape.IsKnownRank);
        Assert.False(tf.strided_slice(tf.zeros(new Shape(5, 6)), tf.placeholder(tf.int32), tf.placeholder(tf.int32), tf.placeholder(tf.int32)).shape.IsKnownRank);
        // The run-time shape agrees.
        var feed = new FeedDict { [x] = NDArray.Zeros(DType.float32, new Shape(7, 3, 4)) };
        Assert.Equal(new Shape(6, 2), g.Eval(x[1.., new SliceSpec(step: 2), -1], feed).shape);
    }

    [Fact]
    public void SlicesOfShapesFoldAtBuildTime()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 4));
        // tf.shape(x)[1:] of a (?, 3, 4) tensor is the partial shape (3, 4).
        Assert.Equal(new Shape(3, 4), tf.reshape(tf.placeholder(tf.float32), tf.shape(x)[1..]).shape);
        // tf.stack([tf.shape(x)[0], 12]): (?, 12).
        var flat = tf.reshape(x, tf.stack(new TensorLike[] { tf.shape(x)[0], 12 }));
        Assert.Equal(new Shape(-1, 12), flat.shape);
        Assert.Equal(new Shape(5, 12), g.Eval(flat, new FeedDict { [x] = NDArray.Zeros(DType.float32, new Shape(5, 3, 4)) }).shape);
        // tf.shape(x)[i] and tf.unstack(tf.shape(x))[i] of a known dimension are constants (TensorFlow's
        // TryInferFromShapes); of an unknown one, not.
        Assert.Equal(new Shape(3, 4), tf.zeros(tf.stack(new TensorLike[] { tf.shape(x)[1], tf.shape(x)[-1] })).shape);
        Assert.Equal(new Shape(-1, 4), tf.zeros(tf.stack(new TensorLike[] { tf.shape(x)[0], tf.unstack(tf.shape(x))[2] })).shape);
        Assert.Equal(new Shape(-1, 4), tf.reshape(x, tf.stack(new TensorLike[] { -1, tf.shape(x)[2] })).shape);
        // A slice of a constant is a constant.
        Assert.Equal(new Shape(2, 3), tf.zeros(tf.constant(new[] { 9, 2, 3 })[1..]).shape);
    }

    public static TheoryData<string, Func<Tensor, Tensor>, string> BuildErrors() => new()
    {
        { "index past the end", x => x[4], "slice index 4 of dimension 0 out of bounds." },
        { "negative index past the start", x => x[.., -6], "slice index -1 of dimension 1 out of bounds." },
        { "too many indices", x => x[1, 2, 3], "Index out of range using input dim 2; input has only 2 dims" },
        { "two ellipses", x => x[tf.ellipsis, 1, tf.ellipsis], "Multiple ellipses in slice spec not allowed" },
        { "zero stride", x => x[new SliceSpec(step: 0)], "strides[0] must be non-zero" },
        { "shrink with a negative stride", x => tf.strided_slice(x, new[] { 1 }, new[] { 2 }, new[] { -1 }, shrink_axis_mask: 1), "only stride 1 allowed on non-range indexing." },
        { "begin of rank 2", x => tf.strided_slice(x, new[,] { { 1 } }, new[] { 2 }, new[] { 1 }), "Shape must be rank 1 but is rank 2" },
        { "lengths differ", x => tf.strided_slice(x, new[] { 1, 2 }, new[] { 2 }, new[] { 1 }), "Dimensions must be equal, but are 2 and 1" },
        { "float begin", x => tf.strided_slice(x, new[] { 1.0f }, new[] { 2.0f }), "begin must be int32 or int64, got float32" },
    };

    [Theory, MemberData(nameof(BuildErrors))]
    public void BadSpecsAreBuildErrorsNamingTheOp(string label, Func<Tensor, Tensor> build, string message)
    {
        using var g = TestGraph.Enter();
        var x = tf.zeros(new Shape(4, 5));
        var e = Assert.ThrowsAny<ArgumentException>(() => build(x));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("StridedSlice \"", e.Message);
        _ = label;
    }

    public static TheoryData<string, Func<Tensor, Tensor>, string> RunErrors() => new()
    {
        { "index past the end", x => x[4], "slice index 4 of dimension 0 out of bounds." },
        { "too many indices", x => x[1, 2, 3], "Index out of range using input dim 2; input has only 2 dims" },
        { "two ellipses", x => x[tf.ellipsis, 1, tf.ellipsis], "Multiple ellipses in slice spec not allowed" },
        { "zero stride", x => x[new SliceSpec(step: 0)], "strides[0] must be non-zero" },
        { "shrink with a negative stride", x => tf.strided_slice(x, new[] { 1 }, new[] { 2 }, new[] { -1 }, shrink_axis_mask: 1), "only stride 1 allowed on non-range indexing." },
        { "lengths differ", x => tf.strided_slice(x, new[] { 1, 2 }, tf.placeholder_with_default(new[] { 2 }, new[] { -1 }), new[] { 1, 1 }), "Expected begin, end, and strides to be 1D equal size tensors, but got shapes [2], [1], and [2] instead." },
    };

    [Theory, MemberData(nameof(RunErrors))]
    public void BadSpecsFoundAtRunTimeNameTheOp(string label, Func<Tensor, Tensor> build, string message)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var y = build(x);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [x] = NDArray.Zeros(DType.float32, new Shape(4, 5)) }));
        Assert.Contains(message, e.Message);
        Assert.Equal(y.op.name, e.NodeName);
        _ = label;
    }

    [Fact]
    public void GradientScattersIntoZeros()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(NDArray.FromFlat(Iota(12), new Shape(3, 4)));
        var y = x[new SliceSpec(step: -2), 1..3];
        var dx = tf.gradients(tf.reduce_sum(y * tf.constant(NDArray.FromArray(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } }))), x)[0]!;
        Assert.Equal("StridedSliceGrad", dx.op.type);
        Assert.Equal(new Shape(3, 4), dx.shape);
        AssertArray.Equal(new[] { 0, 3.0, 4, 0, 0, 0, 0, 0, 0, 1, 2, 0 }, g.Eval(dx));
    }

    [Fact]
    public void StridedSliceGradChecksDy()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float64, new Shape(3, 4));
        var y = x[1..];
        var dy = tf.placeholder(tf.float64);
        var dx = tf.gradients(y, x, grad_ys: dy)[0]!;
        Assert.Equal(new Shape(3, 4), dx.shape);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(dx, new FeedDict { [x] = new double[3, 4], [dy] = new double[3, 4] }));
        Assert.Contains("shape of dy was [3,4] instead of [2,4]", e.Message);
        Assert.Equal(dx.op.name, e.NodeName);
    }
}
