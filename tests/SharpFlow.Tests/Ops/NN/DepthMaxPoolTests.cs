namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// MaxPool across the depth dimension (ksize = strides = [1, 1, 1, k]), as TensorFlow's CPU kernel: expected values
/// of <c>pooling_ops_test.py</c>'s <c>testDepthwiseMaxPool1x1DepthWindow1</c>, and TensorFlow's errors.
/// </summary>
public class DepthMaxPoolTests
{
    [Fact]
    public void PoolsRunsOfChannels()
    {
        // input 1x1x1x10 = 1..10, depth window 2: [2, 4, 6, 8, 10]
        using var g = TestGraph.Enter();
        var x = tf.constant(NDArray.FromFlat(Enumerable.Range(1, 10).Select(v => (float)v).ToArray(), new Shape(1, 1, 1, 10)));
        var y = tf.nn.max_pool(x, ksize: [1, 1, 1, 2], strides: [1, 1, 1, 2], padding: "SAME");
        Assert.Equal(new Shape(1, 1, 1, 5), y.shape);
        using var sess = tf.Session();
        Assert.Equal([2f, 4f, 6f, 8f, 10f], sess.run(y).ToArray<float>());
    }

    [Fact]
    public void PoolsEveryPixelAndBatchItem()
    {
        using var g = TestGraph.Enter();
        var values = Enumerable.Range(0, 2 * 2 * 3 * 6).Select(v => (double)((v * 37) % 23)).ToArray();
        var y = tf.nn.max_pool(tf.constant(NDArray.FromFlat(values, new Shape(2, 2, 3, 6))), [1, 1, 1, 3], [1, 1, 1, 3], "VALID");
        using var sess = tf.Session();
        var actual = sess.run(y).ToArray<double>();
        Assert.Equal(2 * 2 * 3 * 2, actual.Length);
        for (var o = 0; o < actual.Length; o++) Assert.Equal(values.Skip(o * 3).Take(3).Max(), actual[o]);
    }

    [Fact]
    public void TensorFlowsErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.zeros(new Shape(1, 4, 4, 10));
        var e1 = Assert.Throws<ValueError>(() => tf.nn.max_pool(x, [1, 1, 1, 3], [1, 1, 1, 3], "SAME", name: "pool"));
        Assert.Contains("Depthwise max pooling requires the depth window to evenly divide the input depth.", e1.Message);
        Assert.Contains("pool", e1.Message);
        var e2 = Assert.Throws<ValueError>(() => tf.nn.max_pool(x, [1, 2, 2, 2], [1, 1, 1, 2], "SAME"));
        Assert.Contains("exactly one of pooling across depth or pooling across width/height", e2.Message);
        var e3 = Assert.Throws<ValueError>(() => tf.nn.max_pool(x, [1, 1, 1, 2], [1, 1, 1, 1], "SAME"));
        Assert.Contains("requires the depth window to equal the depth stride", e3.Message);
        var pooled = tf.nn.max_pool(x, [1, 1, 1, 2], [1, 1, 1, 2], "SAME");
        var e4 = Assert.Throws<UnimplementedError>(() => tf.gradients(tf.reduce_sum(pooled), x));
        Assert.Contains("MaxPoolingGrad is not yet supported on the depth dimension.", e4.Message);
    }
}
