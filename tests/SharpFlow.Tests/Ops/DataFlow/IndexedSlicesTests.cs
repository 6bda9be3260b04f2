namespace SharpFlow.Tests.Ops.DataFlow;

/// <summary>
/// tf.IndexedSlices as TensorFlow's: the gradient of a gather along axis 0, kept sparse through aggregation and
/// clipping, dense where an op needs it or when fetched.
/// </summary>
public class IndexedSlicesTests
{
    [Fact]
    public void TheGradientOfAGatherIsIndexedSlicesOfTheGatheredRows()
    {
        using var g = TestGraph.Enter();
        var p = tf.Variable(tf.constant(new[,] { { 1f, 2f }, { 3f, 4f }, { 5f, 6f } }), name: "p");
        var y = tf.gather(p, tf.constant(new[] { 2, 0, 2 })) * tf.constant(new[,] { { 1f, 10f }, { 2f, 20f }, { 3f, 30f } });
        var grad = tf.gradients(tf.reduce_sum(y), p)[0]!;
        var slices = Assert.IsType<IndexedSlices>(grad);
        Assert.Equal(new Shape(3, 2), slices.shape);
        Assert.Equal(tf.float32, slices.dtype);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal([1f, 10f, 2f, 20f, 3f, 30f], sess.run(slices.values).ToArray<float>());
        Assert.Equal([2, 0, 2], sess.run(slices.indices).ToArray<int>());
        Assert.Equal([3, 2], sess.run(slices.dense_shape!).ToArray<int>());
        // Fetched, the slices give the dense gradient: repeated rows add up.
        Assert.Equal([2f, 20f, 0f, 0f, 4f, 40f], sess.run(grad).ToArray<float>());
    }

    [Fact]
    public void SparseGradientsAreConcatenatedAndADenseOneMakesTheSumDense()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.float32, new Shape(3, 2));
        var a = tf.reduce_sum(tf.gather(p, tf.constant(new[] { 0 })));
        var b = tf.reduce_sum(tf.gather(p, tf.constant(new long[] { 2, 0 })));
        var sparse = Assert.IsType<IndexedSlices>(tf.gradients(a + b, p)[0]);
        Assert.Equal(tf.int64, sparse.indices.dtype); // int32 indices widened to join int64 ones
        var dense = tf.gradients(a + tf.reduce_sum(p * p), p)[0]!;
        Assert.IsNotType<IndexedSlices>(dense);
        using var sess = tf.Session();
        var feed = new FeedDict { [p] = NDArray.FromFlat(new float[] { 1, 2, 3, 4, 5, 6 }, new Shape(3, 2)) };
        Assert.Equal([0L, 2L, 0L], sess.run(sparse.indices, feed).ToArray<long>());
        Assert.Equal([2f, 2f, 0f, 0f, 1f, 1f], sess.run(sparse, feed).ToArray<float>());
        Assert.Equal([3f, 5f, 6f, 8f, 10f, 12f], sess.run(dense, feed).ToArray<float>());
    }

    [Fact]
    public void ClippingKeepsSlicesSparseAndClipsTheirValues()
    {
        using var g = TestGraph.Enter();
        var values = tf.constant(new[,] { { 3f, 4f }, { 0.3f, 0.4f } });
        var slices = tf.IndexedSlices(values, tf.constant(new[] { 1, 3 }), tf.constant(new[] { 4, 2 }));
        var byValue = Assert.IsType<IndexedSlices>(tf.clip_by_value(slices, -1f, 1f));
        var byNorm = Assert.IsType<IndexedSlices>(tf.clip_by_norm(slices, 1f));
        var (clipped, norm) = tf.clip_by_global_norm([slices, tf.constant(new[] { 0f, 0f })], 2.5f);
        var byGlobal = Assert.IsType<IndexedSlices>(clipped[0]);
        using var sess = tf.Session();
        Assert.Equal([1f, 1f, 0.3f, 0.4f], sess.run(byValue.values).ToArray<float>());
        Assert.Same(slices.indices, byValue.indices);
        var n = Math.Sqrt(25 + 0.25);
        Close([3 / n, 4 / n, 0.3 / n, 0.4 / n], sess.run(byNorm.values).ToArray<float>());
        Assert.Equal(n, sess.run(norm).ToArray<float>()[0], 1e-5);
        Close([3 * 2.5 / n, 4 * 2.5 / n, 0.3 * 2.5 / n, 0.4 * 2.5 / n], sess.run(byGlobal.values).ToArray<float>());
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f, 0.3f, 0.4f], sess.run(byValue).ToArray<float>());
    }

    [Fact]
    public void AnOpThatNeedsADenseTensorConvertsTheSlicesWhereItIsBuilt()
    {
        using var g = TestGraph.Enter();
        var slices = tf.IndexedSlices(tf.constant(new[] { 1.0, 2.0 }), tf.constant(new[] { 2, 2 }), tf.constant(new[] { 4 }));
        var doubled = slices * 2.0;
        Assert.Equal(new Shape(4), doubled.shape);
        Assert.Contains(g.Graph.get_operations(), o => o.type == "UnsortedSegmentSum");
        using var sess = tf.Session();
        Assert.Equal([0.0, 0.0, 6.0, 0.0], sess.run(doubled).ToArray<double>());
    }

    [Fact]
    public void BadPartsAreRefused()
    {
        using var g = TestGraph.Enter();
        var values = tf.constant(new[] { 1.0, 2.0 });
        Assert.Throws<TypeError>(() => tf.IndexedSlices(values, tf.constant(new[] { 0.5, 1.0 })));
        var noShape = tf.IndexedSlices(values, tf.constant(new[] { 0, 1 }));
        var e = Assert.Throws<ValueError>(() => noShape + 1.0);
        Assert.Contains("IndexedSlices without dense_shape", e.Message);
    }

    private static void Close(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);
    }
}
