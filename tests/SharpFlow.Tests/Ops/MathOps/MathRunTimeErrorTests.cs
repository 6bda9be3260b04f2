namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>
/// The run-time checks of the math and activation kernels: a value fed through a placeholder of unknown shape
/// reaches the kernel, which raises TensorFlow's InvalidArgumentError naming the op.
/// </summary>
public class MathRunTimeErrorTests
{
    private static void Fails(Func<Tensor, Tensor> build, NDArray value, string message, DType? dtype = null)
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(dtype ?? value.dtype);
        var y = build(p);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [p] = value }));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains(y.op.name, e.Message, StringComparison.Ordinal);
    }

    private static NDArray Zeros(params int[] shape) => NDArray.Zeros(DType.float32, new Shape(shape));

    [Fact]
    public void TopKWithAVectorK() =>
        Fails(k => tf.nn.top_k(tf.constant(new[] { 1f, 2f }), k, name: "top").values, new[] { 1, 2 }, "k must be 0-D, got shape [2]");

    [Fact]
    public void TopKOfAScalar() =>
        Fails(x => tf.nn.top_k(x, 1, name: "top").values, NDArray.Scalar(1f), "input must be >= 1-D, got shape []");

    [Fact]
    public void InTopKWithMismatchedBatch() =>
        Fails(p => tf.nn.in_top_k(p, new[] { 0, 1, 2 }, 1, name: "in_top"), Zeros(2, 4), "First dimension of predictions 2 must match length of targets 3");

    [Fact]
    public void InTopKOfAVector() =>
        Fails(p => tf.nn.in_top_k(p, new[] { 0, 1 }, 1, name: "in_top"), Zeros(2), "predictions must be 2-dimensional, got shape [2]");

    [Fact]
    public void BandPartOfAVector() =>
        Fails(p => tf.matrix_band_part(p, 0, 0, name: "band"), Zeros(3), "input must be at least 2-dim, received shape: [3]");

    [Fact]
    public void BandPartWithTooManyUpperDiagonals() =>
        Fails(u => tf.matrix_band_part(tf.zeros(new Shape(2, 3)), 0, u, name: "band"), NDArray.Scalar(4L), "num_upper must be negative or less or equal to number of columns (3) got: 4");

    [Fact]
    public void DiagOfAScalar() =>
        Fails(p => tf.matrix_diag(p, name: "diag"), NDArray.Scalar(1f), "input must be at least 1-dim, received shape: []");

    [Fact]
    public void DiagPartOfAVector() =>
        Fails(p => tf.matrix_diag_part(p, name: "diag_part"), Zeros(3), "input must be at least 2-dim, received shape: [3]");

    [Fact]
    public void BatchMatMulWithIncompatibleBatches() =>
        Fails(p => tf.matmul(p, tf.zeros(new Shape(3, 4, 5)), name: "bmm"), Zeros(2, 2, 4), "In[0] and In[1] must have compatible batch dimensions: [2,2,4] vs. [3,4,5]");

    [Fact]
    public void LeakyReluGradOfDifferentShapes()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.float32);
        var y = global::SharpFlow.Ops.NN.LeakyReluGrad.Build(p, tf.zeros(new Shape(3)), 0.2f, "lrg");
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [p] = Zeros(2) }));
        Assert.Contains("gradients and features must be the same size: [2] vs. [3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("lrg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrossEntropyThatIsNotTwoDimensional()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.float32);
        var (loss, _) = global::SharpFlow.Ops.NN.SoftmaxCrossEntropyWithLogits.Build(p, tf.zeros(new Shape(3)), "xent");
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(loss, new FeedDict { [p] = Zeros(3) }));
        Assert.Contains("logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional", e.Message, StringComparison.Ordinal);
    }
}
