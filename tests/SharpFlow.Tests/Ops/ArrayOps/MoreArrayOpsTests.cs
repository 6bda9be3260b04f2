namespace SharpFlow.Tests.Ops.ArrayOps;

/// <summary>
/// ReverseSequence, Unique, SpaceToDepth/DepthToSpace, SpaceToBatchND/BatchToSpaceND and the composed functions
/// (boolean_mask, sequence_mask, meshgrid, space_to_batch, convert_to_tensor, TensorShape): TensorFlow's documented
/// and kernel-test values, loops, and the errors naming the op.
/// </summary>
public class MoreArrayOpsTests
{
    [Fact]
    public void ReverseSequenceKernelTest()
    {
        // reverse_sequence_op_test.py, with the axes in their original order (seq 2, batch 0).
        using var g = TestGraph.Enter();
        var x = tf.constant(Enumerable.Range(1, 24).ToArray(), shape: new Shape(3, 2, 4));
        var y = tf.reverse_sequence(x, new[] { 3, 0, 4 }, seq_axis: 2, batch_axis: 0);
        Assert.Equal(tf.int64, y.op.inputs[1].dtype);
        AssertArray.Equal(new[] { 3, 2, 1, 4, 7, 6, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 19, 18, 17, 24, 23, 22, 21 }, g.Eval(y));
        // The documentation's example: batch along 1, sequences along 0.
        var t = tf.constant(NDArray.FromFlat(Enumerable.Range(0, 12).Select(v => (double)v).ToArray(), new Shape(4, 3)));
        AssertArray.Equal(new double[] { 9, 4, 2, 6, 1, 5, 3, 7, 8, 0, 10, 11 }, g.Eval(tf.reverse_sequence(t, new[] { 4, 2, 1 }, seq_axis: 0, batch_axis: 1)));
        Assert.Contains("ReverseSequence \"ReverseSequence_2\": seq_dim must be < input rank: 3 vs. 2", Assert.Throws<ValueError>(() => tf.reverse_sequence(t, new[] { 1, 1, 1, 1 }, seq_axis: 3)).Message);
        Assert.Contains("Dimensions must be equal, but are 4 and 3", Assert.Throws<ValueError>(() => tf.reverse_sequence(t, new[] { 1, 1, 1 }, seq_axis: 1)).Message);
        var l = tf.placeholder(tf.int32, name: "l");
        var r = tf.reverse_sequence(t, l, seq_axis: 1);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(r, new FeedDict { [l] = new[] { 1, 4, 0, 2 } }));
        Assert.Contains("seq_lens(1) > input.dims(1)", e.Message);
        Assert.Equal(r.op.name, e.NodeName);
    }

    [Fact]
    public void UniqueDocumentedExample()
    {
        using var g = TestGraph.Enter();
        var (y, idx) = tf.unique(new[] { 1, 1, 2, 4, 4, 4, 7, 8, 8 });
        Assert.Equal(new Shape(-1), y.shape);
        Assert.Equal(new Shape(9), idx.shape);
        AssertArray.Equal(new[] { 1, 2, 4, 7, 8 }, g.Eval(y));
        AssertArray.Equal(new[] { 0, 0, 1, 2, 2, 2, 3, 4, 4 }, g.Eval(idx));
        var (fy, fidx) = tf.unique(tf.constant(new[] { 2.5f, -0f, 0f, 2.5f, float.NaN, float.NaN }), out_idx: tf.int64);
        Assert.Equal(new[] { 2.5f, -0f }, g.Eval(fy).ToArray<float>()[..2]);
        Assert.Equal(4, g.Eval(fy).size); // NaNs are never equal
        AssertArray.Equal(new long[] { 0, 1, 1, 0, 2, 3 }, g.Eval(fidx));
        Assert.Contains("Unique \"Unique_2\": Shape must be rank 1 but is rank 2", Assert.Throws<ValueError>(() => tf.unique(new[,] { { 1 } })).Message);
        var p = tf.placeholder(tf.int32, name: "p");
        var u = tf.unique(p).y;
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(u, new FeedDict { [p] = new[,] { { 1, 2 } } }));
        Assert.Contains("unique expects a 1D vector.", e.Message);
        Assert.Equal(u.op.name, e.NodeName);
    }

    [Fact]
    public void SpaceToDepthDocumentedExamples()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 1, 2, 3, 4 }, g.Eval(tf.space_to_depth(tf.constant(new[] { 1, 2, 3, 4 }, shape: new Shape(1, 2, 2, 1)), 2)));
        var x = tf.constant(new[] { 1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16 }, shape: new Shape(1, 4, 4, 1));
        var y = tf.space_to_depth(x, 2);
        Assert.Equal(new Shape(1, 2, 2, 4), y.shape);
        AssertArray.Equal(Enumerable.Range(1, 16).ToArray(), g.Eval(y));
        var back = tf.depth_to_space(y, 2);
        Assert.Equal(new Shape(1, 4, 4, 1), back.shape);
        AssertArray.Equal(new[] { 1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16 }, g.Eval(back));
        // Channels: [[[[1,2,3],[4,5,6]],[[7,8,9],[10,11,12]]]] -> one pixel of 12 channels, and back.
        var c = tf.constant(Enumerable.Range(1, 12).ToArray(), shape: new Shape(1, 2, 2, 3));
        AssertArray.Equal(Enumerable.Range(1, 12).ToArray(), g.Eval(tf.space_to_depth(c, 2)));
        AssertArray.Equal(Enumerable.Range(1, 12).ToArray(), g.Eval(tf.depth_to_space(tf.space_to_depth(c, 2), 2)));
        Assert.Equal(new Shape(-1, 3, -1, 8), tf.space_to_depth(tf.placeholder(tf.float32, new Shape(-1, 6, -1, 2)), 2).shape);
        Assert.Contains("SpaceToDepth \"SpaceToDepth_", Assert.Throws<ValueError>(() => tf.space_to_depth(tf.zeros(new Shape(1, 5, 4, 1)), 2)).Message);
        Assert.Contains("Dimension size must be evenly divisible by 2 but is 5", Assert.Throws<ValueError>(() => tf.space_to_depth(tf.zeros(new Shape(1, 5, 4, 1)), 2)).Message);
        Assert.Contains("Dimension size must be evenly divisible by 4 but is 6", Assert.Throws<ValueError>(() => tf.depth_to_space(tf.zeros(new Shape(1, 2, 2, 6)), 2)).Message);
        Assert.Contains("Value for attr 'block_size' of 1 must be at least minimum 2", Assert.Throws<ValueError>(() => tf.depth_to_space(tf.zeros(new Shape(1, 2, 2, 4)), 1)).Message);
        var p = tf.placeholder(tf.float32, name: "p");
        var s = tf.space_to_depth(p, 2);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(s, new FeedDict { [p] = NDArray.Zeros(tf.float32, new Shape(1, 4, 5, 1)) }));
        Assert.Contains("Image width 5 and height 4 should be divisible by block_size: 2", e.Message);
        Assert.Equal(s.op.name, e.NodeName);
        var d = tf.depth_to_space(p, 2);
        var ed = Assert.Throws<InvalidArgumentError>(() => g.Eval(d, new FeedDict { [p] = NDArray.Zeros(tf.float32, new Shape(1, 2, 2, 6)) }));
        Assert.Contains("Input depth dimension 6 should be divisible by: 4", ed.Message);
    }

    [Fact]
    public void SpaceToBatchNdDocumentedExamples()
    {
        using var g = TestGraph.Enter();
        var zero = new[,] { { 0, 0 }, { 0, 0 } };
        AssertArray.Equal(new[] { 1, 2, 3, 4 }, g.Eval(tf.space_to_batch_nd(tf.constant(new[] { 1, 2, 3, 4 }, shape: new Shape(1, 2, 2, 1)), new[] { 2, 2 }, zero)));
        var x16 = tf.constant(Enumerable.Range(1, 16).ToArray(), shape: new Shape(1, 4, 4, 1));
        var y16 = tf.space_to_batch_nd(x16, new[] { 2, 2 }, zero);
        Assert.Equal(new Shape(4, 2, 2, 1), y16.shape);
        AssertArray.Equal(new[] { 1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16 }, g.Eval(y16));
        AssertArray.Equal(Enumerable.Range(1, 16).ToArray(), g.Eval(tf.batch_to_space_nd(y16, new[] { 2, 2 }, zero)));
        // Padding: a [2, 2, 4, 1] input padded by 2 before the width.
        var x = tf.constant(Enumerable.Range(1, 16).ToArray(), shape: new Shape(2, 2, 4, 1));
        var y = tf.space_to_batch_nd(x, new[] { 2, 2 }, new[,] { { 0, 0 }, { 2, 0 } });
        Assert.Equal(new Shape(8, 1, 3, 1), y.shape);
        AssertArray.Equal(new[] { 0, 1, 3, 0, 9, 11, 0, 2, 4, 0, 10, 12, 0, 5, 7, 0, 13, 15, 0, 6, 8, 0, 14, 16 }, g.Eval(y));
        var back = tf.batch_to_space_nd(y, new[] { 2, 2 }, new[,] { { 0, 0 }, { 2, 0 } });
        Assert.Equal(new Shape(2, 2, 4, 1), back.shape);
        AssertArray.Equal(Enumerable.Range(1, 16).ToArray(), g.Eval(back));
        // The rank-4 forms with a square block.
        Assert.Equal(new Shape(8, 1, 3, 1), tf.space_to_batch(x, new[,] { { 0, 0 }, { 2, 0 } }, 2).shape);
        AssertArray.Equal(Enumerable.Range(1, 16).ToArray(), g.Eval(tf.batch_to_space(y, new[,] { { 0, 0 }, { 2, 0 } }, 2)));
    }

    [Fact]
    public void SpaceToBatchNdMatchesALoop()
    {
        // One spatial dimension of 5 padded to 6 in blocks of 3, and two trailing dimensions.
        using var g = TestGraph.Enter();
        var values = Enumerable.Range(0, 2 * 5 * 2 * 3).Select(v => (double)v).ToArray();
        var y = g.Eval(tf.space_to_batch_nd(tf.constant(NDArray.FromFlat(values, new Shape(2, 5, 2, 3))), new[] { 3 }, new[,] { { 1, 0 } }));
        Assert.Equal(new Shape(6, 2, 2, 3), y.shape);
        var v = y.ToArray<double>();
        for (var ob = 0; ob < 6; ob++)
            for (var o = 0; o < 2; o++)
                for (var r = 0; r < 6; r++)
                {
                    var (n, off) = (ob % 2, ob / 2);
                    var q = o * 3 + off - 1;
                    var expected = q < 0 || q >= 5 ? 0 : values[(n * 5 + q) * 6 + r];
                    Assert.Equal(expected, v[(ob * 2 + o) * 6 + r]);
                }
    }

    [Fact]
    public void SpaceToBatchNdErrors()
    {
        using var g = TestGraph.Enter();
        Assert.Contains("SpaceToBatchND \"SpaceToBatchND\": padded_shape[1]=3 is not divisible by block_shape[1]=2", Assert.Throws<ValueError>(() => tf.space_to_batch_nd(tf.zeros(new Shape(1, 2, 3, 1)), new[] { 2, 2 }, new[,] { { 0, 0 }, { 0, 0 } })).Message);
        Assert.Contains("Input batch dimension (3) is not divisible by product of block sizes (4)", Assert.Throws<ValueError>(() => tf.batch_to_space_nd(tf.zeros(new Shape(3, 2, 2, 1)), new[] { 2, 2 }, new[,] { { 0, 0 }, { 0, 0 } })).Message);
        Assert.Contains("paddings should have shape [2, 2] instead of [1,2]", Assert.Throws<ValueError>(() => tf.space_to_batch_nd(tf.zeros(new Shape(1, 2, 2, 1)), new[] { 2, 2 }, new[,] { { 0, 0 } })).Message);
        Assert.Contains("All values in block_shape must be positive", Assert.Throws<ValueError>(() => tf.space_to_batch_nd(tf.zeros(new Shape(1, 2, 2, 1)), new[] { 0, 2 }, new[,] { { 0, 0 }, { 0, 0 } })).Message);
        Assert.Contains("Crops must be non-negative", Assert.Throws<ValueError>(() => tf.batch_to_space_nd(tf.zeros(new Shape(4, 2, 2, 1)), new[] { 2, 2 }, new[,] { { 0, -1 }, { 0, 0 } })).Message);
        Assert.Contains("must have rank 4", Assert.Throws<ValueError>(() => tf.space_to_batch(tf.zeros(new Shape(1, 2, 2)), new[,] { { 0, 0 }, { 0, 0 } }, 2)).Message);
        var p = tf.placeholder(tf.float32, name: "p");
        var s = tf.space_to_batch_nd(p, new[] { 2 }, new[,] { { 0, 0 } });
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(s, new FeedDict { [p] = new float[2, 3] }));
        Assert.Contains("padded_shape[0]=3 is not divisible by block_shape[0]=2", e.Message);
        Assert.Equal(s.op.name, e.NodeName);
    }

    [Fact]
    public void BooleanMaskAsTensorFlowDocumentsIt()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 0, 2 }, g.Eval(tf.boolean_mask(new[] { 0, 1, 2, 3 }, new[] { true, false, true, false })));
        var m = tf.boolean_mask(tf.constant(new[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }), new[] { true, false, true });
        Assert.Equal(new Shape(-1, 2), m.shape);
        AssertArray.Equal(new[] { 1, 2, 5, 6 }, g.Eval(m));
        // A 2-D mask over the first two dimensions, and a mask along axis 1.
        var t = tf.constant(Enumerable.Range(0, 12).ToArray(), shape: new Shape(2, 3, 2));
        AssertArray.Equal(new[] { 0, 1, 6, 7, 10, 11 }, g.Eval(tf.boolean_mask(t, new[,] { { true, false, false }, { true, false, true } })));
        var a1 = tf.boolean_mask(t, new[] { false, true, true }, axis: 1);
        Assert.Equal(new Shape(2, -1, 2), a1.shape);
        AssertArray.Equal(new[] { 2, 3, 4, 5, 8, 9, 10, 11 }, g.Eval(a1));
        Assert.Equal("mask cannot be scalar.", Assert.Throws<ValueError>(() => tf.boolean_mask(t, true)).Message);
        Assert.Contains("Number of mask dimensions must be specified", Assert.Throws<ValueError>(() => tf.boolean_mask(t, tf.placeholder(tf.@bool))).Message);
        Assert.Contains("are incompatible", Assert.Throws<ValueError>(() => tf.boolean_mask(t, new[] { true, false, true })).Message);
    }

    [Fact]
    public void SequenceMaskAsTensorFlowDocumentsIt()
    {
        using var g = TestGraph.Enter();
        var m = tf.sequence_mask(new[] { 1, 3, 2 }, 5);
        Assert.Equal(tf.@bool, m.dtype);
        AssertArray.Equal(new[] { true, false, false, false, false, true, true, true, false, false, true, true, false, false, false }, g.Eval(m));
        var m2 = tf.sequence_mask(new[,] { { 1, 3 }, { 2, 0 } });
        AssertArray.Equal(new[] { true, false, false, true, true, true, true, true, false, false, false, false }, g.Eval(m2));
        Assert.Equal(new Shape(2, 2, 3), g.Eval(m2).shape);
        AssertArray.Equal(new[] { 1f, 1, 0, 1, 0, 0 }, g.Eval(tf.sequence_mask(new[] { 2, 1 }, 3, dtype: tf.float32)));
        Assert.Equal("maxlen must be scalar for sequence_mask", Assert.Throws<ValueError>(() => tf.sequence_mask(new[] { 1 }, new[] { 2 })).Message);
    }

    [Fact]
    public void MeshgridAsTensorFlowDocumentsIt()
    {
        using var g = TestGraph.Enter();
        var xy = tf.meshgrid(new[] { 1, 2, 3 }, new[] { 4, 5, 6, 7 });
        AssertArray.Equal(new[] { 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3 }, g.Eval(xy[0]));
        AssertArray.Equal(new[] { 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7 }, g.Eval(xy[1]));
        Assert.Equal(new Shape(4, 3), g.Eval(xy[0]).shape);
        var ij = tf.meshgrid(new TensorLike[] { new[] { 1, 2, 3 }, tf.constant(new[] { 4, 5, 6, 7 }) }, indexing: "ij");
        Assert.Equal(new Shape(3, 4), g.Eval(ij[0]).shape);
        AssertArray.Equal(new[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 }, g.Eval(ij[0]));
        AssertArray.Equal(new[] { 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7 }, g.Eval(ij[1]));
        Assert.Equal("indexing parameter must be either 'xy' or 'ij'", Assert.Throws<ValueError>(() => tf.meshgrid(new TensorLike[] { new[] { 1 } }, indexing: "yx")).Message);
    }

    [Fact]
    public void ConvertToTensorAndTensorShape()
    {
        using var g = TestGraph.Enter();
        var c = tf.convert_to_tensor(new[] { 1.0, 2.0 }, name: "c");
        Assert.Equal("c", c.op.name);
        Assert.Equal(tf.float32, c.dtype);
        Assert.Equal(tf.float64, tf.convert_to_tensor(new[] { 1.0, 2.0 }, tf.float64).dtype);
        var x = tf.placeholder(tf.float32, name: "x");
        Assert.Same(x, tf.convert_to_tensor(x));
        Assert.Same(x, tf.convert_to_tensor(x, tf.float32));
        var e = Assert.Throws<ValueError>(() => tf.convert_to_tensor(x, tf.int32));
        Assert.Equal("Tensor conversion requested dtype int32 for Tensor with dtype float32: Tensor(\"x:0\", dtype=float32)", e.Message);
        Assert.Throws<TypeError>(() => tf.convert_to_tensor(new[] { 1.5 }, tf.int32));
        Assert.Equal(new Shape(-1, 3), tf.TensorShape(null, 3));
        Assert.Equal(new Shape(2, 3), tf.TensorShape(2, 3));
        Assert.False(tf.TensorShape(null).IsKnownRank);
        Assert.Equal(Shape.Scalar, tf.TensorShape());
        Assert.Equal("(?, 3)", tf.TensorShape(null, 3).ToString());
    }
}
