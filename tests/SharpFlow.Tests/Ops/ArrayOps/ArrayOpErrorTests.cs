namespace SharpFlow.Tests.Ops.ArrayOps;

/// <summary>
/// Every bad-input check of the slicing and array ops, one row each: at build time a ValueError or TypeError that
/// starts with the op's type and name, at run time (shapes and values unknown until then) an InvalidArgumentError
/// naming the node.
/// </summary>
public class ArrayOpErrorTests
{
    public static TheoryData<string, Func<Tensor>, string> BuildCases() => new()
    {
        { "StridedSlice", () => tf.strided_slice(tf.zeros(new Shape(3)), tf.constant(new[] { 0 }), tf.constant(new long[] { 1 })), "Input 'end' of 'StridedSlice' Op has type int64 that does not match type int32 of argument 'begin'." },
        { "StridedSliceGrad", () => SharpFlow.Ops.ArrayOps.StridedSliceGrad.Build(tf.constant(new[] { 1 }), tf.constant(new[] { 0 }), tf.constant(new[] { 0 }), tf.constant(new long[] { 1 }), tf.zeros(new Shape(1)), default), "begin, end and strides must have one dtype, got int32 and int64" },
        { "StridedSliceGrad", () => StridedSliceGradOf(tf.constant(new[,] { { 3 } })), "Shape must be rank 1 but is rank 2 for input 0" },
        { "Pack", () => tf.stack(new[] { tf.zeros(new Shape(2)), tf.zeros(new Shape(3)) }), "Dimensions must be equal" },
        { "Unpack", () => tf.unstack(tf.zeros(new Shape(2, 3)), axis: 2)[0], "axis = 2 not in [-2, 2)" },
        { "Unpack", () => tf.unstack(tf.zeros(new Shape(2, 3)), num: 3, axis: 2)[0], "Invalid axis: 2; must be in [-2,2)" },
        { "Split", () => tf.split(tf.zeros(new Shape(4)), 2, tf.constant(0L))[0], "Tensor conversion requested dtype int32 for Tensor with dtype int64" },
        { "SplitV", () => tf.split(tf.zeros(new Shape(4)), new[] { 1, -2, 3 })[0], "Split size at index 1 must be >= 0. Got: -2" },
        { "SplitV", () => tf.split(tf.zeros(new Shape(4)), tf.constant(new[] { 1, 3 }), 0, num: 3)[0], "Length of size_splits should be equal to num_split (3), got 2" },
        { "Tile", () => tf.tile(tf.zeros(new Shape(2)), new[,] { { 2 } }), "Shape must be rank 1 but is rank 2 for multiples" },
        { "ReverseV2", () => tf.reverse(tf.zeros(new Shape(2)), new[,] { { 0 } }), "Shape must be rank 1 but is rank 2 for axis" },
        { "ReverseV2", () => tf.reverse(tf.zeros(new Shape(1, 1, 1, 1, 1, 1, 1, 1, 1)), new[] { 0 }), "reverse does not work on tensors with more than 8 dimensions" },
        { "ReverseSequence", () => tf.reverse_sequence(tf.zeros(new Shape(2, 3)), new[] { 1, 1 }, seq_axis: 0, batch_axis: 0), "seq_dim must not equal batch_dim: 0" },
        { "ReverseSequence", () => tf.reverse_sequence(tf.zeros(new Shape(2, 3)), new[] { 1, 1 }, seq_axis: 1, batch_axis: 2), "batch_dim must be < input rank: 2 vs. 2" },
        { "ReverseSequence", () => tf.reverse_sequence(tf.zeros(new Shape(2, 3)), new[,] { { 1, 1 } }, seq_axis: 1), "Shape must be rank 1 but is rank 2 for seq_lengths" },
        { "GatherNd", () => tf.gather_nd(tf.zeros(new Shape(2, 3)), 1), "Shape must be at least rank 1 but is rank 0 for indices" },
        { "GatherNd", () => tf.gather_nd(tf.zeros(new Shape(2, 3)), new[] { 0.5f }), "indices must be int32 or int64, got float32" },
        { "ScatterNd", () => tf.scatter_nd(new[,] { { 0, 0, 0 } }, new[] { 1f }, new[] { 2, 2 }), "The outer 3 dimensions of indices.shape=[1,3] must match the outer 3 dimensions of shape=[2,2]" },
        { "ScatterNd", () => tf.scatter_nd(1, new[] { 1f }, new[] { 2 }), "indices must be at least a vector" },
        { "ScatterNd", () => tf.scatter_nd(new[,] { { 0 } }, new[] { true }, new[] { 2 }), "updates must be a number type, got bool" },
        { "Unique", () => tf.unique(tf.zeros(new Shape(2, 2))).y, "Shape must be rank 1 but is rank 2" },
        { "SpaceToDepth", () => tf.space_to_depth(tf.zeros(new Shape(2, 4, 4)), 2), "Shape must be rank 4 but is rank 3" },
        { "DepthToSpace", () => tf.depth_to_space(tf.zeros(new Shape(1, 2, 2, 8)), 0), "Value for attr 'block_size' of 0 must be at least minimum 2" },
        { "SpaceToBatchND", () => tf.space_to_batch_nd(tf.zeros(new Shape(2, 4)), new[] { 2, 2 }, new[,] { { 0, 0 }, { 0, 0 } }), "input rank should be >= 3 instead of 2" },
        { "SpaceToBatchND", () => tf.space_to_batch_nd(tf.zeros(new Shape(1, 4)), new[] { 2 }, new[,] { { -1, 1 } }), "Paddings must be non-negative" },
        { "BatchToSpaceND", () => tf.batch_to_space_nd(tf.zeros(new Shape(4, 1, 1)), new[] { 2 }, new[,] { { 1, 2 } }), "Cropped size must be non-negative: start: 1 end: 2 size 2" },
        { "BatchToSpaceND", () => tf.batch_to_space_nd(tf.zeros(new Shape(4, 2, 2)), new[,] { { 2 } }, new[,] { { 0, 0 } }), "Shape must be rank 1 but is rank 2 for block_shape" },
    };

    private static Tensor StridedSliceGradOf(Tensor shape)
    {
        var begin = tf.constant(new[] { 0 });
        return SharpFlow.Ops.ArrayOps.StridedSliceGrad.Build(shape, begin, begin, begin, tf.zeros(new Shape(1)), default);
    }

    [Theory, MemberData(nameof(BuildCases))]
    public void BuildTimeErrorsNameTheOp(string opType, Func<Tensor> build, string message)
    {
        using var g = TestGraph.Enter();
        var e = Assert.ThrowsAny<ArgumentException>(build);
        Assert.Contains(message, e.Message);
        // Python-level checks (argument conversion, inferring num) raise TensorFlow's own texts, without the op prefix.
        if (!message.StartsWith("Tensor conversion", StringComparison.Ordinal) && !message.StartsWith("Input '", StringComparison.Ordinal) && !message.StartsWith("axis = ", StringComparison.Ordinal))
            Assert.StartsWith($"{opType} \"", e.Message);
    }

    public static TheoryData<string, Func<Tensor, Tensor>, NDArray, string> RunCases() => new()
    {
        { "StridedSliceGrad shape", p => StridedSliceGradOf(tf.cast(p, tf.int32)), NDArray.FromArray(new[,] { { 1f } }), "shape must be 1-D, got shape.shape = [1,1]" },
        { "Unpack axis", p => tf.unstack(p, num: 1, axis: 1)[0], NDArray.FromArray(new float[] { 1 }), "Invalid axis: 1; must be in [-1,1)" },
        { "Split axis", p => tf.split(p, 1, 2)[0], NDArray.FromArray(new float[] { 1 }), "-input rank(-1) <= split_dim < input rank (1), but got 2" },
        { "SplitV sizes", p => tf.split(p, new[] { -1, -1 })[0], NDArray.FromArray(new float[] { 1 }), "Only one dimensions can have a value of -1. Second one found at dimension 1" },
        { "Tile negative", p => tf.tile(tf.zeros(new Shape(2)), tf.cast(p, tf.int32)), NDArray.FromArray(new float[] { -2 }), "Expected multiples[0] >= 0, but got -2" },
        { "ReverseV2 repeated axis", p => tf.reverse(p, new[] { 0, -1 }), NDArray.FromArray(new float[] { 1 }), "axis 0 specified more than once." },
        { "ReverseSequence lengths", p => tf.reverse_sequence(p, new[] { 1 }, seq_axis: 1), NDArray.FromArray(new float[2, 2]), "Length of seq_lens != input.dims(0), (1 vs. 2)" },
        { "ReverseSequence negative", p => tf.reverse_sequence(p, new[] { 1, -1 }, seq_axis: 1), NDArray.FromArray(new float[2, 2]), "seq_lens(1) < 0" },
        { "ReverseSequence rank", p => tf.reverse_sequence(p, new[] { 1, 1 }, seq_axis: 1), NDArray.FromArray(new float[] { 1, 2 }), "seq_dim must be < input rank: 1 vs. 1" },
        { "GatherNd rows too long", p => tf.gather_nd(p, new[,] { { 0, 0 } }), NDArray.FromArray(new float[] { 1 }), "index innermost dimension length must be <= params rank; saw: 2 vs. 1" },
        { "ScatterNd negative shape", p => tf.scatter_nd(new[,] { { 0 } }, new[] { 1f }, tf.cast(p, tf.int32)), NDArray.FromArray(new float[] { -3 }), "Indices and shape must be non-negative" },
        { "ScatterNd shape matrix", p => tf.scatter_nd(new[,] { { 0 } }, new[] { 1f }, tf.cast(p, tf.int32)), NDArray.FromArray(new[,] { { 2f } }), "Shape must be a vector, got shape [1,1]" },
        { "ScatterNd updates", p => tf.scatter_nd(new[,] { { 0 } }, p, new[] { 2 }), NDArray.FromArray(new float[] { 1, 2 }), "Must have updates.shape = indices.shape[:batch_dim] + shape[slice_dim:], got updates.shape: [2]" },
        { "SpaceToDepth rank", p => tf.space_to_depth(p, 2), NDArray.FromArray(new float[2, 2]), "Input rank should be: 4 instead of: 2" },
        { "SpaceToDepth NCHW", p => tf.space_to_depth(p, 2, data_format: "NCHW"), NDArray.Zeros(DType.float32, new Shape(1, 1, 2, 2)), "Only NHWC data_format supported on CPU. Got NCHW" },
        { "SpaceToBatchND block", p => tf.space_to_batch_nd(p, tf.constant(new[] { -2 }), new[,] { { 0, 0 } }), NDArray.FromArray(new float[2, 2]), "All values in block_shape must be positive, got value, -2 at index 0." },
        { "SpaceToBatchND rank", p => tf.space_to_batch_nd(p, new[] { 2, 2 }, new[,] { { 0, 0 }, { 0, 0 } }), NDArray.FromArray(new float[2, 2]), "input rank should be >= 3 instead of 2" },
        { "BatchToSpaceND batch", p => tf.batch_to_space_nd(p, new[] { 2 }, new[,] { { 0, 0 } }), NDArray.FromArray(new float[3, 2]), "Input batch dimension (3) is not divisible by product of block sizes (2)" },
    };

    [Theory, MemberData(nameof(RunCases))]
    public void RunTimeErrorsNameTheNode(string label, Func<Tensor, Tensor> build, NDArray value, string message)
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(value.dtype, name: "p");
        var y = build(p);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [p] = value }));
        Assert.Contains(message, e.Message);
        Assert.Equal(y.op.name, e.NodeName);
        _ = label;
    }
}
