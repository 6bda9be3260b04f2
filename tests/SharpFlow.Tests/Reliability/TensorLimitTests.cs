namespace SharpFlow.Tests.Reliability;

/// <summary>
/// Shapes whose size overflows or exceeds <see cref="TensorLimits.MaxBytes"/> are refused before anything is
/// allocated: when the op is built, or when a kernel computes the shape at run time.
/// </summary>
[Collection("kernel settings")]
public class TensorLimitTests
{
    private static void WithLimit(long bytes, Action action)
    {
        var saved = TensorLimits.MaxBytes;
        TensorLimits.MaxBytes = bytes;
        try { action(); }
        finally { TensorLimits.MaxBytes = saved; }
    }

    [Fact]
    public void AHugeStaticShapeIsRefusedWhenTheOpIsBuilt()
    {
        using var g = TestGraph.Enter();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ValueError>(() => tf.placeholder(tf.float32, new Shape(1 << 16, 1 << 16), name: "images"));
        Assert.Contains("Placeholder \"images\"", e.Message);
        Assert.Contains("17,179,869,184 bytes, more than the limit of 2,147,483,647", e.Message);
        var fill = Assert.ThrowsAny<Exception>(() => tf.zeros(new Shape(1 << 20, 1 << 20, 1 << 20)));
        Assert.Contains("TensorLimits.MaxBytes", fill.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "nothing the size of the tensor was allocated");
    }

    [Fact]
    public void AnElementCountThatOverflowsIsAnErrorNotAWrappedSize()
    {
        using var g = TestGraph.Enter();
        var e = Assert.ThrowsAny<Exception>(() => tf.placeholder(tf.float32, new Shape(int.MaxValue, int.MaxValue, int.MaxValue)));
        Assert.Contains("overflows a 64-bit integer", e.Message);
        Assert.Contains("overflows", TensorLimits.Violation(new Shape(1 << 30, 1 << 30, 1 << 30), DType.float64));
        Assert.Null(TensorLimits.Violation(new Shape(int.MaxValue, int.MaxValue, 0), DType.float64)); // no elements
    }

    [Fact]
    public void AShapeFedAtRunTimeIsCheckedBeforeTheKernelAllocates()
    {
        using var g = TestGraph.Enter();
        var dims = tf.placeholder(tf.int32, new Shape(2), name: "dims");
        var filled = tf.fill(dims, 1f, name: "filled");
        using var sess = tf.Session();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ResourceExhaustedError>(() => sess.run(filled, new FeedDict { [dims] = NDArray.FromArray(new[] { 1 << 20, 1 << 20 }) }));
        Assert.Contains("filled", e.Message);
        Assert.Contains("4,398,046,511,104 bytes", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        // The session goes on serving runs of a sensible size.
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1 }, sess.run(filled, new FeedDict { [dims] = NDArray.FromArray(new[] { 2, 3 }) }).ToArray<float>());
    }

    [Fact]
    public void TheLimitIsConfigurable()
    {
        WithLimit(1024, () =>
        {
            using var g = TestGraph.Enter();
            Assert.Equal(new Shape(256), tf.zeros(new Shape(256)).shape); // 1,024 bytes: at the limit
            Assert.Contains("1,200 bytes, more than the limit of 1,024", Assert.ThrowsAny<Exception>(() => tf.placeholder(tf.float32, new Shape(300))).Message);
            Assert.Throws<ResourceExhaustedError>(() => NDArray.Zeros(DType.float64, new Shape(129)));
            var dims = tf.placeholder(tf.int32, new Shape(2));
            var filled = tf.fill(dims, 0f);
            using var sess = tf.Session();
            Assert.Equal(256, sess.run(filled, new FeedDict { [dims] = NDArray.FromArray(new[] { 16, 16 }) }).size);
            Assert.Throws<ResourceExhaustedError>(() => sess.run(filled, new FeedDict { [dims] = NDArray.FromArray(new[] { 16, 17 }) }));
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorLimits.MaxBytes = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorLimits.MaxBytes = TensorLimits.HardMaxBytes + 1);
    }
}
