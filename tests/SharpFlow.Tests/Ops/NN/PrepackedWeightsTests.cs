using SharpFlow.Kernels;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// The kernels of Conv2D, _FusedConv2D, MatMul and _FusedMatMul pack a weight operand whose value is a Const's (a
/// constant of the graph or one the optimizer folded) once per session and reuse it on later runs: the results are bitwise those with prepacking off
/// (<c>SHARPFLOW_PREPACK=0</c>, <see cref="PackedMatrix.Enabled"/>), the packing happens on the first run only, a
/// fed value of the constant is used as fed (not the packed constant), and a variable's value is never packed.
/// The pack counter and the switch are process-wide, hence the collection.
/// </summary>
[Collection("kernel settings")]
public class PrepackedWeightsTests
{
    private static NDArray Values(Shape shape, double scale = 0.1, double offset = 0)
    {
        var n = shape.AsSpan().ToArray().Aggregate(1, (p, d) => p * d);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(i => (float)(Math.Sin(i * 1.3 + offset) * scale * (1 + i % 7))).ToArray(), shape);
    }

    /// <summary>The fetch run twice in one session with prepacking on, and the packs each run made; then once with it off.</summary>
    private static (NDArray First, NDArray Second, NDArray Off, long PackedFirst, long PackedSecond) RunOnAndOff(Tensor y, FeedDict feeds)
    {
        var saved = PackedMatrix.Enabled;
        try
        {
            PackedMatrix.Enabled = true;
            using var on = tf.Session();
            var before = PackedMatrix.Packed;
            var first = on.run(y, feeds);
            var afterFirst = PackedMatrix.Packed;
            var second = on.run(y, feeds);
            var afterSecond = PackedMatrix.Packed;
            PackedMatrix.Enabled = false;
            using var off = tf.Session();
            var offResult = off.run(y, feeds);
            Assert.Equal(afterSecond, PackedMatrix.Packed);
            return (first, second, offResult, afterFirst - before, afterSecond - afterFirst);
        }
        finally
        {
            PackedMatrix.Enabled = saved;
        }
    }

    private static void Bitwise(NDArray expected, NDArray actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
    }

    [Theory]
    // height, channels, out channels, kernel, stride, with bias + residual + relu: im2col, 1×1, Winograd F(4×4), small channel
    [InlineData(9, 20, 24, 3, 2, false)]
    [InlineData(9, 20, 24, 3, 2, true)]
    [InlineData(7, 32, 48, 1, 1, true)]
    [InlineData(28, 16, 32, 3, 1, false)]
    [InlineData(28, 16, 16, 3, 1, true)]
    [InlineData(14, 6, 16, 5, 1, true)]
    public void AConvolutionWithAConstantFilterPacksItOnceAndGivesTheUnpackedResult(int size, int channels, int outChannels, int kernel, int stride, bool fused)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, size, size, channels), name: "x");
        var f = tf.constant(Values(new Shape(kernel, kernel, channels, outChannels), 0.1, 1), name: "filter");
        var y = tf.nn.conv2d(x, f, [1, stride, stride, 1], "SAME");
        if (fused)
        {
            y = tf.nn.bias_add(y, tf.constant(Values(new Shape(outChannels), 1, 2)));
            if (stride == 1 && channels == outChannels) y = tf.add(y, x);
            y = tf.nn.relu(y);
        }
        var feeds = new FeedDict { [x] = Values(new Shape(2, size, size, channels), 1, 3) };
        var (first, second, off, packedFirst, packedSecond) = RunOnAndOff(y, feeds);
        Bitwise(off, first);
        Bitwise(off, second);
        Assert.Contains(first.ToArray<float>(), v => v != 0);
        // The small-channel layout is not GEMM panels; Winograd F(4×4) packs its 36 products, the others one matrix.
        var expected = channels <= 16 && kernel == 5 ? 0 : kernel == 3 && stride == 1 ? 36 : 1;
        Assert.Equal(expected, packedFirst);
        Assert.Equal(0, packedSecond);
    }

    [Fact]
    public void AFedValueOfTheConstantFilterIsUsedAsFed()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 9, 9, 8), name: "x");
        var f = tf.constant(Values(new Shape(3, 3, 8, 24), 0.1, 1), name: "filter");
        var y = tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME");
        var image = Values(new Shape(2, 9, 9, 8), 1, 3);
        var other = Values(new Shape(3, 3, 8, 24), 0.3, 5);
        var saved = PackedMatrix.Enabled;
        try
        {
            PackedMatrix.Enabled = true;
            using var sess = tf.Session();
            var withConstant = sess.run(y, new FeedDict { [x] = image });
            var withFed = sess.run(y, new FeedDict { [x] = image, [f] = other });
            var again = sess.run(y, new FeedDict { [x] = image });
            Bitwise(withConstant, again);
            using var h = TestGraph.Enter();
            var x2 = tf.placeholder(tf.float32, new Shape(-1, 9, 9, 8), name: "x");
            using var s2 = tf.Session();
            var expected = s2.run(tf.nn.conv2d(x2, tf.constant(other), [1, 1, 1, 1], "SAME"), new FeedDict { [x2] = image });
            Bitwise(expected, withFed);
        }
        finally
        {
            PackedMatrix.Enabled = saved;
        }
    }

    [Fact]
    public void AFilterTheOptimizerFoldsIntoAConstantIsPackedAndAComputedOneIsNot()
    {
        // The optimizer folds constant · 2 into a new Const and rewires the user's Conv2D to it; without the optimizer
        // the Mul runs every time and its output is no constant.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 9, 9, 20), name: "x");
        var f = tf.multiply(tf.constant(Values(new Shape(3, 3, 20, 24), 0.1, 1)), tf.constant(2f), name: "scaled");
        var y = tf.nn.conv2d(x, f, [1, 2, 2, 1], "SAME");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 9, 9, 20), 1, 3) };
        var (first, second, off, packedFirst, packedSecond) = RunOnAndOff(y, feeds);
        Bitwise(off, first);
        Bitwise(off, second);
        Assert.Equal(1, packedFirst);
        Assert.Equal(0, packedSecond);
        using var unoptimized = tf.Session(SharpFlow.Tests.Execution.Optimizer.GraphOptimizerTests.Config(false));
        var before = PackedMatrix.Packed;
        Bitwise(off, unoptimized.run(y, feeds));
        Bitwise(off, unoptimized.run(y, feeds));
        Assert.Equal(before, PackedMatrix.Packed);
    }

    [Fact]
    public void AVariableFilterIsNotPacked()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 9, 9, 8), name: "x");
        var f = tf.Variable(Values(new Shape(3, 3, 8, 24), 0.1, 1), name: "filter");
        var y = tf.nn.conv2d(x, f, [1, 2, 2, 1], "SAME");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var before = PackedMatrix.Packed;
        sess.run(y, new FeedDict { [x] = Values(new Shape(2, 9, 9, 8), 1, 3) });
        Assert.Equal(before, PackedMatrix.Packed);
    }

    [Theory]
    // rows, k, n, transpose_a, transpose_b, with bias + relu (_FusedMatMul)
    [InlineData(1, 512, 100, false, false, false)]
    [InlineData(5, 70, 40, false, true, false)]
    [InlineData(37, 300, 33, true, false, true)]
    [InlineData(8, 300, 64, true, true, true)]
    public void AMatMulWithAConstantBPacksItOnceAndGivesTheUnpackedResult(int rows, int k, int n, bool ta, bool tb, bool fused)
    {
        using var g = TestGraph.Enter();
        var a = tf.placeholder(tf.float32, ta ? new Shape(k, -1) : new Shape(-1, k), name: "a");
        var b = tf.constant(Values(tb ? new Shape(n, k) : new Shape(k, n), 0.2, 1), name: "b");
        var y = tf.matmul(a, b, transpose_a: ta, transpose_b: tb);
        if (fused) y = tf.nn.relu(tf.nn.bias_add(y, tf.constant(Values(new Shape(n), 1, 2))));
        var (first, second, off, packedFirst, packedSecond) = RunOnAndOff(y, new FeedDict { [a] = Values(ta ? new Shape(k, rows) : new Shape(rows, k), 1, 3) });
        Bitwise(off, first);
        Bitwise(off, second);
        Assert.Equal(1, packedFirst);
        Assert.Equal(0, packedSecond);
    }
}
