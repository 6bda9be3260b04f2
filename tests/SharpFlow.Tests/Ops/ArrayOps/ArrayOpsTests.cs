namespace SharpFlow.Tests.Ops.ArrayOps;

/// <summary>
/// Pack, Unpack, Split, SplitV, Tile, ReverseV2, GatherNd and ScatterNd: values against plain loops and
/// TensorFlow's kernel tests, shapes with unknown dimensions, and the errors naming the op.
/// </summary>
public class ArrayOpsTests
{
    private static NDArray Iota(params int[] dims)
    {
        var n = dims.Aggregate(1, (a, b) => a * b);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), new Shape(dims));
    }

    private static int[] Unravel(int flat, int[] dims)
    {
        var c = new int[dims.Length];
        for (var d = dims.Length - 1; d >= 0; d--) { c[d] = flat % dims[d]; flat /= dims[d]; }
        return c;
    }

    private static int Ravel(int[] c, int[] dims)
    {
        var flat = 0;
        for (var d = 0; d < dims.Length; d++) flat = flat * dims[d] + c[d];
        return flat;
    }

    [Fact]
    public void StackAndUnstackMatchLoops()
    {
        using var g = TestGraph.Enter();
        var a = Iota(2, 3);
        var b = NDArray.FromFlat(a.ToArray<double>().Select(v => v + 100).ToArray(), new Shape(2, 3));
        foreach (var axis in new[] { 0, 1, 2, -1, -3 })
        {
            var y = g.Eval(tf.stack(new[] { tf.constant(a), tf.constant(b) }, axis));
            var ax = axis < 0 ? axis + 3 : axis;
            var dims = new List<int> { 2, 3 };
            dims.Insert(ax, 2);
            Assert.Equal(new Shape([.. dims]), y.shape);
            var v = y.ToArray<double>();
            for (var i = 0; i < v.Length; i++)
            {
                var c = Unravel(i, [.. dims]).ToList();
                var which = c[ax];
                c.RemoveAt(ax);
                Assert.Equal((which == 0 ? a : b).ToArray<double>()[c[0] * 3 + c[1]], v[i]);
            }
            var parts = tf.unstack(tf.constant(y), axis: axis);
            Assert.Equal(2, parts.Length);
            AssertArray.Close(a, g.Eval(parts[0]), 0);
            AssertArray.Close(b, g.Eval(parts[1]), 0);
        }
        // tf.stack of numbers is one constant; with a tensor among them, a Pack whose numbers take its dtype.
        var c1 = tf.stack(new TensorLike[] { 1, 2, 3 });
        Assert.Equal("Const", c1.op.type);
        Assert.StartsWith("stack", c1.op.name);
        var l = tf.placeholder(tf.int64, Shape.Scalar);
        var packed = tf.stack(new TensorLike[] { 1, l });
        Assert.Equal("Pack", packed.op.type);
        Assert.Equal(tf.int64, packed.dtype);
        AssertArray.Equal(new long[] { 1, 7 }, g.Eval(packed, new FeedDict { [l] = 7L }));
        // unstack's num comes from the static shape, or must be given.
        Assert.Equal(4, tf.unstack(tf.zeros(new Shape(3, 4)), axis: 1).Length);
        Assert.Contains("Cannot infer num from shape", Assert.Throws<ValueError>(() => tf.unstack(tf.placeholder(tf.float32, new Shape(-1, 2)))).Message);
    }

    [Fact]
    public void StackAndUnstackErrors()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.stack(new[] { tf.zeros(new Shape(2, 3)), tf.zeros(new Shape(3)) }));
        Assert.Contains("Pack \"stack\": Shapes must be equal rank, but are 2 and 1", e.Message);
        Assert.Contains("Invalid axis: 3; must be in [-2,2)", Assert.Throws<ValueError>(() => tf.stack(new[] { tf.zeros(new Shape(2)), tf.zeros(new Shape(2)) }, 3)).Message);
        Assert.Contains("Unpack \"unstack\": Dimension must be 2 but is 3", Assert.Throws<ValueError>(() => tf.unstack(tf.zeros(new Shape(3)), num: 2)).Message);
        var p = tf.placeholder(tf.float32, name: "p");
        var q = tf.placeholder(tf.float32, name: "q");
        var s = tf.stack(new[] { p, q });
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(s, new FeedDict { [p] = new float[] { 1, 2 }, [q] = new float[] { 1, 2, 3 } }));
        Assert.Contains("Shapes of all inputs must match: values[0].shape = [2] != values[1].shape = [3]", run.Message);
        Assert.Equal(s.op.name, run.NodeName);
        var u = tf.unstack(p, num: 2)[0];
        var bad = Assert.Throws<InvalidArgumentError>(() => g.Eval(u, new FeedDict { [p] = new float[] { 1, 2, 3 } }));
        Assert.Contains("Input shape axis 0 must equal 2, got shape [3]", bad.Message);
        Assert.Equal(u.op.name, bad.NodeName);
    }

    [Fact]
    public void SplitIntoEqualAndGivenSizes()
    {
        // split_op_test.py: a [5, 30] tensor split in 3 along axis 1, and by sizes [4, 15, 11].
        using var g = TestGraph.Enter();
        var value = Iota(5, 30);
        var x = tf.constant(value);
        var equal = tf.split(x, 3, 1);
        Assert.Equal("Split", equal[0].op.type);
        Assert.Equal(3, equal.Length);
        var sized = tf.split(x, new[] { 4, 15, -1 }, 1);
        Assert.Equal("SplitV", sized[0].op.type);
        Assert.Equal(new[] { new Shape(5, 4), new Shape(5, 15), new Shape(5, 11) }, sized.Select(t => t.shape));
        foreach (var (parts, sizes) in new[] { (equal, new[] { 10, 10, 10 }), (sized, new[] { 4, 15, 11 }) })
        {
            var start = 0;
            for (var k = 0; k < parts.Length; k++)
            {
                var got = g.Eval(parts[k]).ToArray<double>();
                for (var i = 0; i < 5; i++)
                    for (var j = 0; j < sizes[k]; j++)
                        Assert.Equal(i * 30 + start + j, got[i * sizes[k] + j]);
                start += sizes[k];
            }
        }
        // Along axis 0 of an int tensor, negative axis, unknown dimensions.
        AssertArray.Equal(new[] { 4, 5, 6 }, g.Eval(tf.split(tf.constant(new[] { 1, 2, 3, 4, 5, 6 }), 2, -1)[1]));
        var p = tf.placeholder(tf.float32, new Shape(-1, 6));
        Assert.Equal(new Shape(-1, 2), tf.split(p, 3, 1)[0].shape);
        Assert.Equal(new[] { new Shape(1, 6), new Shape(-1, 6) }, tf.split(p, new[] { 1, -1 }, 0).Select(t => t.shape));
    }

    [Fact]
    public void SplitErrors()
    {
        using var g = TestGraph.Enter();
        Assert.Contains("Split \"split\": Dimension size must be evenly divisible by 3 but is 10", Assert.Throws<ValueError>(() => tf.split(tf.zeros(new Shape(10)), 3)).Message);
        Assert.Contains("-input rank(-1) <= split_dim < input rank (1), but got 1", Assert.Throws<ValueError>(() => tf.split(tf.zeros(new Shape(10)), 2, 1)).Message);
        Assert.Contains("SplitV \"split_2\": Only one dimensions can have a value of -1. Second one found at dimension 1", Assert.Throws<ValueError>(() => tf.split(tf.zeros(new Shape(10)), new[] { -1, -1 })).Message);
        Assert.Contains("Determined shape must either match input shape along split_dim exactly if fully specified", Assert.Throws<ValueError>(() => tf.split(tf.zeros(new Shape(10)), new[] { 3, 3 })).Message);
        var p = tf.placeholder(tf.float32, name: "p");
        var s = tf.split(p, 2)[0];
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(s, new FeedDict { [p] = new float[5] }));
        Assert.Contains("Number of ways to split should evenly divide the split dimension, but got split_dim 0 (size = 5) and num_split 2", e.Message);
        Assert.Equal(s.op.name, e.NodeName);
        var v = tf.split(p, new[] { 2, 4 })[0];
        var ev = Assert.Throws<InvalidArgumentError>(() => g.Eval(v, new FeedDict { [p] = new float[5] }));
        Assert.Contains("Determined shape must either match input shape along split_dim exactly if fully specified", ev.Message);
        Assert.Equal(v.op.name, ev.NodeName);
    }

    [Fact]
    public void TileMatchesALoop()
    {
        using var g = TestGraph.Enter();
        // The documentation's example.
        AssertArray.Equal(new[] { 1, 2, 1, 2, 3, 4, 3, 4 }, g.Eval(tf.tile(tf.constant(new[,] { { 1, 2 }, { 3, 4 } }), new[] { 1, 2 })));
        var x = Iota(2, 3, 2);
        int[] m = [3, 1, 2];
        var y = g.Eval(tf.tile(tf.constant(x), m));
        int[] outDims = [6, 3, 4];
        Assert.Equal(new Shape(outDims), y.shape);
        var v = y.ToArray<double>();
        for (var i = 0; i < v.Length; i++)
        {
            var c = Unravel(i, outDims);
            Assert.Equal(x.ToArray<double>()[Ravel([c[0] % 2, c[1] % 3, c[2] % 2], [2, 3, 2])], v[i]);
        }
        AssertArray.Equal(new[] { 7, 7, 7 }, g.Eval(tf.tile(tf.constant(new[] { 7 }), new[] { 3 })));
        Assert.Equal(new Shape(0, 6), g.Eval(tf.tile(tf.zeros(new Shape(2, 3)), new[] { 0, 2 })).shape);
        // Partly known shapes.
        var p = tf.placeholder(tf.float32, new Shape(-1, 3));
        Assert.Equal(new Shape(-1, 6), tf.tile(p, new[] { 2, 2 }).shape);
        Assert.Equal(new Shape(0, -1), tf.tile(p, tf.stack(new TensorLike[] { 0, tf.placeholder(tf.int32, Shape.Scalar) })).shape);
    }

    [Fact]
    public void TileErrors()
    {
        using var g = TestGraph.Enter();
        Assert.Contains("Tile \"Tile\": Expected multiples[1] >= 0, but got -1", Assert.Throws<ValueError>(() => tf.tile(tf.zeros(new Shape(2, 3)), new[] { 1, -1 })).Message);
        Assert.Contains("Tile \"Tile_1\"", Assert.Throws<ValueError>(() => tf.tile(tf.zeros(new Shape(2, 3)), new[] { 1, 2, 3 })).Message);
        var p = tf.placeholder(tf.float32, name: "p");
        var t = tf.tile(p, new[] { 2, 2 });
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(t, new FeedDict { [p] = new float[3] }));
        Assert.Contains("Expected multiples argument to be a vector of length 1 but got length 2", e.Message);
        Assert.Equal(t.op.name, e.NodeName);
    }

    [Fact]
    public void ReverseMatchesALoop()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 3, 2, 1, 6, 5, 4 }, g.Eval(tf.reverse(tf.constant(new[,] { { 1, 2, 3 }, { 4, 5, 6 } }), new[] { 1 })));
        var x = Iota(2, 3, 4);
        foreach (var axes in new[] { new[] { 0 }, new[] { -1 }, new[] { 0, 2 }, new[] { 1, 0, 2 }, System.Array.Empty<int>() })
        {
            var y = g.Eval(tf.reverse(tf.constant(x), axes)).ToArray<double>();
            for (var i = 0; i < y.Length; i++)
            {
                var c = Unravel(i, [2, 3, 4]);
                foreach (var a in axes) { var d = a < 0 ? a + 3 : a; c[d] = new[] { 2, 3, 4 }[d] - 1 - c[d]; }
                Assert.Equal(x.ToArray<double>()[Ravel(c, [2, 3, 4])], y[i]);
            }
        }
        Assert.Contains("'axis'[0] = 2 is out of valid range [0, 1]", Assert.Throws<ValueError>(() => tf.reverse(tf.zeros(new Shape(2, 3)), new[] { 2 })).Message);
        Assert.Contains("axis 1 specified more than once.", Assert.Throws<ValueError>(() => tf.reverse(tf.zeros(new Shape(2, 3)), new[] { 1, -1 })).Message);
        var p = tf.placeholder(tf.float32, name: "p");
        var r = tf.reverse(p, new[] { 1 });
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(r, new FeedDict { [p] = new float[3] }));
        Assert.Contains("'axis'[0] = 1 is out of valid range [0, 0]", e.Message);
        Assert.Equal(r.op.name, e.NodeName);
    }

    [Fact]
    public void GatherNdKernelTestValues()
    {
        // gather_nd_op_test.py.
        using var g = TestGraph.Enter();
        var p = tf.constant(new[,] { { 0, 1 }, { 2, 3 } });
        AssertArray.Equal(new[] { 0, 3 }, g.Eval(tf.gather_nd(p, new[,] { { 0, 0 }, { 1, 1 } })));
        AssertArray.Equal(new[] { 2, 3, 0, 1 }, g.Eval(tf.gather_nd(p, new[,] { { 1 }, { 0 } })));
        var nested = tf.gather_nd(p, tf.constant(new[] { 0, 1, 1, 0 }, shape: new Shape(2, 1, 2)));
        Assert.Equal(new Shape(2, 1), nested.shape);
        AssertArray.Equal(new[] { 1, 2 }, g.Eval(nested));
        // Against a loop: a [3,4,5] params gathered by 2-long rows of a [2,3,2] index tensor.
        var x = Iota(3, 4, 5);
        long[] rows = [0, 1, 2, 3, 1, 0, 2, 2, 0, 0, 1, 3];
        var y = g.Eval(tf.gather_nd(tf.constant(x), tf.constant(rows, shape: new Shape(2, 3, 2))));
        Assert.Equal(new Shape(2, 3, 5), y.shape);
        for (var r = 0; r < 6; r++)
            for (var k = 0; k < 5; k++)
                Assert.Equal(x.ToArray<double>()[(rows[2 * r] * 4 + rows[2 * r + 1]) * 5 + k], y.ToArray<double>()[r * 5 + k]);
        Assert.Equal(new Shape(-1, 7), tf.gather_nd(tf.placeholder(tf.float32, new Shape(3, 4, 7)), tf.placeholder(tf.int32, new Shape(-1, 2))).shape);
    }

    [Fact]
    public void GatherNdErrors()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.gather_nd(tf.zeros(new Shape(3, 3)), new[,] { { 0, 1, 2 } }));
        Assert.Contains("GatherNd \"GatherNd\": indices.shape[-1] must be <= params.rank, but saw indices shape: [1,3] and params shape: [3,3]", e.Message);
        // testBadIndicesCPU.
        var i = tf.placeholder(tf.int32, name: "i");
        var y = tf.gather_nd(tf.ones(new Shape(3, 3)), i);
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [i] = NDArray.FromArray(new[,,] { { { 0 }, { 7 } } }) }));
        Assert.Contains("indices[0,1] = [7] does not index into param shape [3,3]", run.Message);
        Assert.Equal(y.op.name, run.NodeName);
    }

    [Fact]
    public void ScatterNdKernelTestValues()
    {
        // scatter_nd_ops_test.py: testSimple and testRank3ValidShape.
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 0, 11, 0, 10, 9, 0, 0, 12 }, g.Eval(tf.scatter_nd(new[,] { { 4 }, { 3 }, { 1 }, { 7 } }, new[] { 9, 10, 11, 12 }, new[] { 8 })));
        var updates = tf.constant(Enumerable.Range(0, 32).Select(v => (float)v).ToArray(), shape: new Shape(2, 4, 4));
        var y = g.Eval(tf.scatter_nd(new[,] { { 0 }, { 2 } }, updates, new[] { 4, 4, 4 }));
        Assert.Equal(new Shape(4, 4, 4), y.shape);
        var v = y.ToArray<float>();
        for (var i = 0; i < 64; i++)
            Assert.Equal(i / 16 == 0 ? i : i / 16 == 2 ? i - 16 : 0, v[i]);
        // Repeated rows sum, in float64 and int64.
        AssertArray.Equal(new[] { 0.0, 3.5 }, g.Eval(tf.scatter_nd(new[,] { { 1 }, { 1 } }, tf.constant(NDArray.FromArray(new[] { 1.5, 2.0 })), new[] { 2 })));
        AssertArray.Equal(new long[] { 5, 0 }, g.Eval(tf.scatter_nd(new[,] { { 0 }, { 0 } }, new long[] { 2, 3 }, new[] { 2 })));
        // The shape is read as far as it is known.
        Assert.Equal(new Shape(-1, 4), tf.scatter_nd(new[,] { { 0 } }, tf.zeros(new Shape(1, 4)), tf.stack(new TensorLike[] { tf.placeholder(tf.int32, Shape.Scalar), 4 })).shape);
    }

    [Fact]
    public void ScatterNdErrors()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.scatter_nd(new[,] { { 0 } }, tf.zeros(new Shape(2, 4)), new[] { 3, 4 }));
        Assert.Contains("ScatterNd \"ScatterNd\": Must have updates.shape = indices.shape[:batch_dim] + shape[slice_dim:], got updates.shape: [2,4], indices.shape: [1,1], shape: [3,4]", e.Message);
        var i = tf.placeholder(tf.int32, name: "i");
        var y = tf.scatter_nd(i, new[] { 1, 2 }, new[] { 2 });
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [i] = new[,] { { 0 }, { 2 } } }));
        Assert.Contains("indices[1] = [2] does not index into shape [2]", run.Message);
        Assert.Equal(y.op.name, run.NodeName);
    }
}
