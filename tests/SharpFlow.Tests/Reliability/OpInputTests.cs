namespace SharpFlow.Tests.Reliability;

/// <summary>
/// Ops on the edges of their input domain: empty tensors and zero-sized dimensions give TensorFlow's results,
/// and bad axes and mismatched dtypes give errors that name the op (out-of-range values fed at run time are rows
/// of <see cref="Ops.RunTimeErrorTests"/>).
/// </summary>
public class OpInputTests
{
    public static TheoryData<string, Func<Tensor>, Shape, double[]?> EmptyCases() => new()
    {
        { "matmul [0,3]x[3,4]", () => tf.matmul(tf.zeros(new Shape(0, 3)), tf.ones(new Shape(3, 4))), new Shape(0, 4), [] },
        { "matmul [2,0]x[0,3] sums nothing", () => tf.matmul(tf.zeros(new Shape(2, 0)), tf.ones(new Shape(0, 3))), new Shape(2, 3), [0, 0, 0, 0, 0, 0] },
        { "reduce_sum over an empty axis", () => tf.reduce_sum(tf.zeros(new Shape(0, 3)), 0), new Shape(3), [0, 0, 0] },
        { "reduce_max over an empty axis is -inf", () => tf.reduce_max(tf.zeros(new Shape(0, 2)), 0), new Shape(2), [double.NegativeInfinity, double.NegativeInfinity] },
        { "reduce_mean over an empty axis is NaN", () => tf.reduce_mean(tf.zeros(new Shape(0, 2)), 0), new Shape(2), [double.NaN, double.NaN] },
        { "reduce_prod over an empty axis is 1", () => tf.reduce_prod(tf.zeros(new Shape(2, 0)), 1), new Shape(2), [1, 1] },
        { "softmax of no rows", () => tf.nn.softmax(tf.zeros(new Shape(0, 10))), new Shape(0, 10), [] },
        { "conv2d of an empty batch", () => tf.nn.conv2d(tf.zeros(new Shape(0, 5, 5, 2)), tf.ones(new Shape(3, 3, 2, 4)), [1, 1, 1, 1], "SAME"), new Shape(0, 5, 5, 4), [] },
        { "max_pool of an empty batch", () => tf.nn.max_pool(tf.zeros(new Shape(0, 4, 4, 1)), [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), new Shape(0, 2, 2, 1), [] },
        { "gather of no indices", () => tf.gather(tf.ones(new Shape(5, 3)), Array.Empty<int>()), new Shape(0, 3), [] },
        { "concat with an empty part", () => tf.concat(new[] { tf.ones(new Shape(2, 0)), tf.ones(new Shape(2, 1)) }, 1), new Shape(2, 1), [1, 1] },
        { "sparse cross entropy of an empty batch", () => tf.nn.sparse_softmax_cross_entropy_with_logits(labels: tf.zeros(new Shape(0), tf.int32), logits: tf.zeros(new Shape(0, 10))), new Shape(0), [] },
        { "one_hot of no indices", () => tf.one_hot(Array.Empty<int>(), 4), new Shape(0, 4), [] },
        { "transpose of a zero-sized dimension", () => tf.transpose(tf.zeros(new Shape(2, 0, 3))), new Shape(3, 0, 2), [] },
        { "bias_add of no rows", () => tf.nn.bias_add(tf.zeros(new Shape(0, 3)), tf.ones(new Shape(3))), new Shape(0, 3), [] },
    };

    [Theory]
    [MemberData(nameof(EmptyCases))]
    public void EmptyTensorsGiveTensorFlowsResults(string label, Func<Tensor> build, Shape shape, double[]? expected)
    {
        using var g = TestGraph.Enter();
        var y = build();
        var value = g.Eval(y);
        Assert.Equal(shape, value.shape);
        if (expected is not null) Assert.Equal(expected, value.Cast(DType.float64).ToArray<double>());
        _ = label;
    }

    [Fact]
    public void GradientsThroughEmptyBatchesAreEmptyOrZero()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4), name: "x");
        var w = tf.Variable(tf.ones(new Shape(4, 3)), name: "w");
        var loss = tf.reduce_sum(tf.nn.relu(tf.matmul(x, w)));
        var grads = tf.gradients(loss, new[] { x, w.value() });
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var values = sess.run(grads.Select(t => t!).ToList(), new FeedDict { [x] = new float[0, 4] });
        Assert.Equal(new Shape(0, 4), values[0].shape);
        Assert.All(values[1].ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void NegativeSegmentIdsAreDroppedAsInTensorFlow()
    {
        using var g = TestGraph.Enter();
        var sums = tf.unsorted_segment_sum(new[,] { { 1f, 2f }, { 10f, 20f }, { 100f, 200f } }, new[] { 1, -1, 1 }, 3);
        Assert.Equal(new[] { 0f, 0f, 101f, 202f, 0f, 0f }, g.Eval(sums).ToArray<float>());
    }

    [Fact]
    public void BadAxesAndMismatchedDtypesAreBuildErrorsNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.ones(new Shape(2, 3));
        Assert.Contains("Expected axis in the range [-2, 2), but got 2", Assert.Throws<ValueError>(() => tf.gather(x, new[] { 0 }, 2, name: "lookup")).Message);
        Assert.Contains("ArgMax", Assert.ThrowsAny<ArgumentException>(() => tf.argmax(x, 2, name: "am")).Message);
        var mixed = Assert.ThrowsAny<ArgumentException>(() => tf.add(x, tf.ones(new Shape(2, 3), tf.int32), name: "mixed"));
        Assert.Contains("Input 'y' of 'Add' Op has type int32", mixed.Message); // TensorFlow's wording names the op type
        Assert.Contains("float64", Assert.ThrowsAny<ArgumentException>(() => tf.matmul(x, tf.ones(new Shape(3, 2), tf.float64), name: "mm")).Message);
        Assert.Contains("indices must be int32 or int64", Assert.Throws<TypeError>(() => tf.gather(x, new[] { 0.5f })).Message);
        Assert.Contains("segment_ids.shape = [2] does not prefix data.shape = [3,2]",
            Assert.Throws<ValueError>(() => tf.unsorted_segment_sum(tf.ones(new Shape(3, 2)), new[] { 0, 1 }, 2)).Message);
    }
}
