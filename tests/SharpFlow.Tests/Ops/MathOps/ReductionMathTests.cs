namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>
/// Any, All, reduce_logsumexp, count_nonzero, TopKV2, InTopKV2, sort and argsort: forward against plain loops and
/// the values of TensorFlow's kernel tests (topk_op_test.py, in_topk_op_test.py, reduction_ops_test.py), and the
/// errors.
/// </summary>
public class ReductionMathTests
{
    [Fact]
    public void AnyAndAllOverAxes()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { true, false, false }, { true, true, true } });
        AssertArray.Equal(new[] { true, true }, g.Eval(tf.reduce_any(x, 1)));
        AssertArray.Equal(new[] { false, true }, g.Eval(tf.reduce_all(x, 1)));
        AssertArray.Equal(new[] { true, false, false }, g.Eval(tf.reduce_all(x, 0)));
        Assert.True(g.Eval(tf.reduce_any(x)).ToArray<bool>()[0]);
        Assert.False(g.Eval(tf.reduce_all(x)).ToArray<bool>()[0]);
        var kept = tf.reduce_any(x, 0, keepdims: true);
        Assert.Equal(new Shape(1, 3), kept.shape);
        Assert.Equal("Any", kept.op.type);
        // Empty reductions: any of nothing is false, all of nothing is true.
        var empty = tf.zeros(new Shape(2, 0), tf.@bool);
        AssertArray.Equal(new[] { false, false }, g.Eval(tf.reduce_any(empty, 1)));
        AssertArray.Equal(new[] { true, true }, g.Eval(tf.reduce_all(empty, 1)));
        var e = Assert.Throws<TypeError>(() => tf.reduce_all(tf.constant(new[] { 1f })));
        Assert.Contains("All", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReduceLogSumExpIsStableAndBuiltAsTensorFlowBuildsIt()
    {
        using var g = TestGraph.Enter();
        var values = new double[,] { { 0.5, -1.25, 2 }, { 1000, 1000, -3 } };
        var x = tf.constant(values, tf.float64);
        var y = tf.reduce_logsumexp(x, 1);
        Assert.Equal("ReduceLogSumExp", y.op.name);
        Assert.Equal("Add", y.op.type);
        var expected = new double[2];
        for (var r = 0; r < 2; r++)
        {
            var m = Math.Max(values[r, 0], Math.Max(values[r, 1], values[r, 2]));
            expected[r] = m + Math.Log(Enumerable.Range(0, 3).Sum(c => Math.Exp(values[r, c] - m)));
        }
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(2)), g.Eval(y), 1e-15);
        Assert.Equal(new Shape(2, 1), tf.reduce_logsumexp(x, 1, keepdims: true).shape);
        var all = g.Eval(tf.reduce_logsumexp(tf.constant(new[] { 1f, 2f, 3f }))).ToArray<float>()[0];
        Assert.Equal((float)Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), all, 1e-6);
        // All -inf: the maximum is replaced by 0, and log(0) is -inf, as in TensorFlow.
        Assert.Equal(float.NegativeInfinity, g.Eval(tf.reduce_logsumexp(tf.constant(new[] { float.NegativeInfinity, float.NegativeInfinity }))).ToArray<float>()[0]);
    }

    [Fact]
    public void CountNonzero()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 0f, 1.5f, 0f }, { 2f, 0f, -1f } });
        var all = tf.count_nonzero(x);
        Assert.Equal(DType.int64, all.dtype);
        Assert.Equal(3L, g.Eval(all).ToArray<long>()[0]);
        AssertArray.Equal(new[] { 1L, 2L }, g.Eval(tf.count_nonzero(x, 1)));
        AssertArray.Equal(new[] { 1, 1, 1 }, g.Eval(tf.count_nonzero(x, 0, dtype: tf.int32)));
        AssertArray.Equal(new[] { 2L }, g.Eval(tf.count_nonzero(tf.constant(new[] { true, false, true }), keepdims: true)));
    }

    [Fact]
    public void TopKMatchesTensorFlowsTests()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 0.1f, 0.3f, 0.2f, 0.4f }, { 0.1f, 0.3f, 0.4f, 0.2f } });
        var (v1, i1) = tf.nn.top_k(x, 1);
        AssertArray.Equal(new[] { 0.4f, 0.4f }, g.Eval(tf.reshape(v1, new[] { -1 })));
        AssertArray.Equal(new[] { 3, 2 }, g.Eval(tf.reshape(i1, new[] { -1 })));
        var (v2, i2) = tf.nn.top_k(x, 2);
        Assert.Equal(new Shape(2, 2), v2.shape);
        Assert.Equal(DType.int32, i2.dtype);
        Assert.Equal("TopKV2", v2.op.type);
        AssertArray.Equal(new[] { 0.4f, 0.3f, 0.4f, 0.3f }, g.Eval(tf.reshape(v2, new[] { -1 })));
        AssertArray.Equal(new[] { 3, 1, 2, 1 }, g.Eval(tf.reshape(i2, new[] { -1 })));
        // Ties go to the lower index (testTopKTies... in topk_op_test.py).
        var (_, ties) = tf.nn.top_k(tf.constant(new[] { 1, 3, 3, 1, 3 }), 4);
        AssertArray.Equal(new[] { 1, 2, 4, 0 }, g.Eval(ties));
        var (zero, zi) = tf.nn.top_k(x, 0);
        Assert.Equal(new Shape(2, 0), g.Eval(zero).shape);
        Assert.Equal(new Shape(2, 0), g.Eval(zi).shape);
    }

    [Fact]
    public void TopKAgainstAReferenceSortOfEveryRow()
    {
        using var g = TestGraph.Enter();
        var r = new System.Random(7);
        var data = Enumerable.Range(0, 3 * 4 * 9).Select(_ => (double)r.Next(-5, 6)).ToArray();
        var (values, indices) = tf.nn.top_k(tf.constant(NDArray.FromFlat(data, new Shape(3, 4, 9))), 5);
        var vs = g.Eval(values).ToArray<double>();
        var ix = g.Eval(indices).ToArray<int>();
        for (var row = 0; row < 12; row++)
        {
            var order = Enumerable.Range(0, 9).OrderByDescending(i => data[row * 9 + i]).ThenBy(i => i).Take(5).ToArray();
            Assert.Equal(order, ix.Skip(row * 5).Take(5));
            Assert.Equal(order.Select(i => data[row * 9 + i]), vs.Skip(row * 5).Take(5));
        }
    }

    [Fact]
    public void TopKErrors()
    {
        using var g = TestGraph.Enter();
        var e1 = Assert.Throws<ValueError>(() => tf.nn.top_k(tf.constant(new[] { 1f, 2f }), 3));
        Assert.Contains("TopKV2", e1.Message, StringComparison.Ordinal);
        Assert.Contains("input must have last dimension >= k = 3 but is 2", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<ValueError>(() => tf.nn.top_k(tf.constant(1f), 1));
        Assert.Contains("TopKV2", e2.Message, StringComparison.Ordinal);
        Assert.Contains("at least rank 1", e2.Message, StringComparison.Ordinal);
        Assert.Contains("Need k >= 0, got -1", Assert.Throws<ValueError>(() => tf.nn.top_k(tf.constant(new[] { 1f }), -1)).Message, StringComparison.Ordinal);
        var k = tf.placeholder(tf.int32);
        var (v, _) = tf.nn.top_k(tf.constant(new[] { 1f, 2f }), k, name: "top");
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(v, new FeedDict { [k] = 5 }));
        Assert.Contains("input must have at least k columns. Had 2, needed 5", run.Message, StringComparison.Ordinal);
        Assert.Contains("top", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InTopKMatchesTensorFlowsTests()
    {
        using var g = TestGraph.Enter();
        var p = tf.constant(new[,] { { 0.1f, 0.3f, 0.2f, 0.4f }, { 0.1f, 0.2f, 0.3f, 0.4f } });
        AssertArray.Equal(new[] { true, false }, g.Eval(tf.nn.in_top_k(p, new[] { 3, 1 }, 1)));
        AssertArray.Equal(new[] { false, true }, g.Eval(tf.nn.in_top_k(p, new[] { 0, 2 }, 2)));
        AssertArray.Equal(new[] { false, false }, g.Eval(tf.nn.in_top_k(p, new long[] { 0, 80000 }, 2L)));
        var ties = tf.constant(new[,] { { 0.1f, 0.3f, 0.2f, 0.2f }, { 0.1f, 0.3f, 0.2f, 0.2f } });
        AssertArray.Equal(new[] { true, true }, g.Eval(tf.nn.in_top_k(ties, new[] { 2, 3 }, 2)));
        var nan = tf.constant(new[,] { { 0.1f, float.NaN, 0.2f, 0.4f }, { 0.1f, 0.2f, 0.3f, float.PositiveInfinity } });
        AssertArray.Equal(new[] { false, false }, g.Eval(tf.nn.in_top_k(nan, new[] { 0, 2 }, 2)));
        var e = Assert.Throws<ValueError>(() => tf.nn.in_top_k(p, new[] { 1, 2, 3 }, 1));
        Assert.Contains("InTopKV2", e.Message, StringComparison.Ordinal);
        var t = Assert.Throws<TypeError>(() => tf.nn.in_top_k(p, new[] { 1f, 2f }, 1));
        Assert.Contains("InTopKV2", t.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SortAndArgsortAlongAnyAxis()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 3f, 1f, 2f }, { -1f, 5f, 0f } });
        AssertArray.Equal(new[] { 1f, 2f, 3f, -1f, 0f, 5f }, g.Eval(tf.reshape(tf.sort(x), new[] { -1 })));
        AssertArray.Equal(new[] { 3f, 2f, 1f, 5f, 0f, -1f }, g.Eval(tf.reshape(tf.sort(x, direction: "DESCENDING"), new[] { -1 })));
        AssertArray.Equal(new[] { 1, 2, 0, 0, 2, 1 }, g.Eval(tf.reshape(tf.argsort(x), new[] { -1 })));
        var axis0 = tf.sort(x, axis: 0);
        Assert.Equal(new Shape(2, 3), axis0.shape);
        AssertArray.Equal(new[] { -1f, 1f, 0f, 3f, 5f, 2f }, g.Eval(tf.reshape(axis0, new[] { -1 })));
        AssertArray.Equal(new[] { 1, 0, 1, 0, 1, 0 }, g.Eval(tf.reshape(tf.argsort(x, axis: 0), new[] { -1 })));
        AssertArray.Equal(new[] { 2, 3, 0, 1 }, g.Eval(tf.argsort(tf.constant(new[] { 2, 2, 5, 5 }), direction: "DESCENDING")));
        AssertArray.Equal(new[] { -7, 0, 4 }, g.Eval(tf.sort(tf.constant(new[] { 4, -7, 0 }))));
        Assert.Contains("UP should be one of ASCENDING, DESCENDING", Assert.Throws<ValueError>(() => tf.sort(x, direction: "UP")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeprecatedArgMaxAndArgMinAreTheOpsWithARequiredDimension()
    {
        // tf.arg_max(logits, 1) as the book's chapter 8 writes it: int64 by default, int32 on request.
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 1f, 9f, 3f }, { 7f, 2f, 7f } });
        var max = tf.arg_max(x, 1);
        Assert.Equal(("ArgMax", DType.int64), (max.op.type, max.dtype));
        AssertArray.Equal(new[] { 1L, 0L }, g.Eval(max));
        var min = tf.arg_min(x, 0, output_type: tf.int32);
        Assert.Equal(("ArgMin", DType.int32), (min.op.type, min.dtype));
        AssertArray.Equal(new[] { 0, 1, 0 }, g.Eval(min));
        Assert.Throws<ValueError>(() => tf.arg_max(x, 2));
    }
}
