using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>The segment reductions of math_ops: sorted, unsorted and sparse, against loops and segment_reduction_ops_test.py.</summary>
public class SegmentTests
{
    /// <summary>The _input of segment_reduction_ops_test.py: 1, 2, 3, ... in the shape.</summary>
    private static NDArray Input(Shape shape, DType dtype)
    {
        var v = Enumerable.Range(1, (int)shape.NumElements).Select(i => (double)i).ToArray();
        return Cast(v, shape, dtype);
    }

    private static NDArray Cast(double[] v, Shape shape, DType dtype)
    {
        if (dtype == tf.float32) return NDArray.FromFlat(v.Select(x => (float)x).ToArray(), shape);
        if (dtype == tf.int32) return NDArray.FromFlat(v.Select(x => (int)x).ToArray(), shape);
        if (dtype == tf.int64) return NDArray.FromFlat(v.Select(x => (long)x).ToArray(), shape);
        return NDArray.FromFlat(v, shape);
    }

    /// <summary>The reference: rows <c>rowOf[i]</c> of data reduced into output rows <c>ids[i]</c>.</summary>
    private static double[] Reference(double[] data, int row, int[] rowOf, int[] ids, int segments, string op, double empty)
    {
        var output = new double[segments * row];
        for (var s = 0; s < segments; s++)
        {
            var members = Enumerable.Range(0, ids.Length).Where(i => ids[i] == s).ToArray();
            for (var k = 0; k < row; k++)
            {
                var values = members.Select(i => data[rowOf[i] * row + k]).ToArray();
                output[s * row + k] = values.Length == 0 ? empty : op switch
                {
                    "sum" => values.Sum(),
                    "mean" => values.Sum() / values.Length,
                    "sqrt_n" => values.Sum() / System.Math.Sqrt(values.Length),
                    "prod" => values.Aggregate(1.0, (a, b) => a * b),
                    "max" => values.Max(),
                    _ => values.Min(),
                };
            }
        }
        return output;
    }

    private static readonly (string Name, Func<Tensor, int[], Tensor> Op)[] Sorted =
    [
        ("sum", (d, i) => tf.segment_sum(d, i)), ("mean", (d, i) => tf.segment_mean(d, i)), ("prod", (d, i) => tf.segment_prod(d, i)),
        ("max", (d, i) => tf.segment_max(d, i)), ("min", (d, i) => tf.segment_min(d, i)),
    ];

    /// <summary>As segment_reduction_ops_test.py's testValues: every dtype and op, with a gap (segment 2 empty).</summary>
    [Fact]
    public void SortedSegmentOpsMatchALoop()
    {
        var ids = new[] { 0, 0, 1, 1, 1, 3, 3, 4 };
        var r = new System.Random(5);
        foreach (var dtype in new[] { tf.float32, tf.float64, tf.int32, tf.int64 })
            foreach (var (name, op) in Sorted)
            {
                var shape = new Shape(8, 3);
                var data = Enumerable.Range(0, 24).Select(_ => (double)r.Next(-5, 6)).ToArray();
                // The gap holds the kernel's registered default value: 1 for SegmentProd, 0 for the others.
                var expected = Reference(data, 3, Enumerable.Range(0, 8).ToArray(), ids, 5, name, name == "prod" ? 1 : 0);
                if (dtype.is_integer && name == "mean") expected = expected.Select(System.Math.Truncate).ToArray();
                using var g = TestGraph.Enter();
                var y = op(tf.constant(Cast(data, shape, dtype)), ids);
                Assert.Equal("[?,3]", y.shape.ToListString().Replace("-1", "?"));
                AssertArray.Close(Cast(expected, new Shape(5, 3), dtype), g.Eval(y), 1e-6, $"segment_{name} {dtype.name}");
            }
    }

    /// <summary>segment_reduction_ops_test.py's testSegmentIdsShape baseline and the documented example.</summary>
    [Fact]
    public void SortedSegmentOpsMatchTensorFlowsValues()
    {
        using var g = TestGraph.Enter();
        AssertArray.Equal(new[] { 15f, 18, 21, 24, 13, 14, 15, 16 }, g.Eval(tf.segment_sum(Input(new Shape(4, 4), tf.float32), new[] { 0, 0, 0, 1 })));
        var c = tf.constant(new[,] { { 1, 2, 3, 4 }, { 4, 3, 2, 1 }, { 5, 6, 7, 8 } });
        AssertArray.Equal(new[] { 5, 5, 5, 5, 5, 6, 7, 8 }, g.Eval(tf.segment_sum(c, new[] { 0, 0, 1 })));
        // A gap: segment 1 has no row and is 0 for every reduction but the product, which is 1 ("If the product is
        // empty for a given segment ID i, output[i] = 1": SegmentProd's kernel is registered with default value 1).
        AssertArray.Equal(new[] { 1f, 0, 3.5f }, g.Eval(tf.segment_mean(new[] { 1f, 3, 4 }, new[] { 0, 2, 2 })));
        AssertArray.Equal(new[] { 1f, 1, 12 }, g.Eval(tf.segment_prod(new[] { 1f, 3, 4 }, new[] { 0, 2, 2 })));
        AssertArray.Equal(new[] { 2, 3, 1, 1, 5, 6 }, g.Eval(tf.segment_prod(new[,] { { 2, 3 }, { 5, 6 } }, new[] { 0, 2 })));
        AssertArray.Equal(new[] { 1f, 0, 3 }, g.Eval(tf.segment_min(new[] { 1f, 3, 4 }, new[] { 0, 2, 2 })));
        Assert.Equal(new Shape(0, 2), g.Eval(tf.segment_max(new float[0, 2], System.Array.Empty<int>())).shape);
    }

    [Fact]
    public void UnsortedSegmentOpsMatchALoop()
    {
        var r = new System.Random(9);
        foreach (var dtype in new[] { tf.float32, tf.float64, tf.int32, tf.int64 })
            foreach (var name in new[] { "max", "min", "prod" })
            {
                var ids = new[] { 3, -1, 0, 3, 0, 1, -1, 3 };
                var data = Enumerable.Range(0, 16).Select(_ => (double)r.Next(-5, 6)).ToArray();
                var keep = Enumerable.Range(0, 8).ToArray();
                var lowest = dtype == tf.float32 ? float.MinValue : dtype == tf.float64 ? double.MinValue : dtype == tf.int32 ? int.MinValue : long.MinValue;
                var highest = dtype == tf.float32 ? float.MaxValue : dtype == tf.float64 ? double.MaxValue : dtype == tf.int32 ? int.MaxValue : long.MaxValue;
                var empty = name == "max" ? lowest : name == "min" ? highest : 1.0;
                var expected = Reference(data, 2, keep, ids, 5, name, empty);
                using var g = TestGraph.Enter();
                var d = tf.constant(Cast(data, new Shape(8, 2), dtype));
                var y = name switch { "max" => tf.unsorted_segment_max(d, ids, 5), "min" => tf.unsorted_segment_min(d, ids, 5), _ => tf.unsorted_segment_prod(d, ids, 5) };
                Assert.Equal(new Shape(5, 2), y.shape);
                var got = g.Eval(y);
                Assert.Equal(Cast(expected, new Shape(5, 2), dtype).ToArray<double>(), got.ToArray<double>());
            }
    }

    /// <summary>The documented example of unsorted_segment_max, and ids of rank 2.</summary>
    [Fact]
    public void UnsortedSegmentOpsMatchTensorFlowsValues()
    {
        using var g = TestGraph.Enter();
        var c = tf.constant(new[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 4, 3, 2, 1 } });
        AssertArray.Equal(new[] { 4, 3, 3, 4, 5, 6, 7, 8 }, g.Eval(tf.unsorted_segment_max(c, new[] { 0, 1, 0 }, 2)));
        AssertArray.Equal(new[] { 4, 6, 6, 4, 5, 6, 7, 8 }, g.Eval(tf.unsorted_segment_prod(c, new[] { 0, 1, 0 }, 2)));
        AssertArray.Equal(new[] { 1f, 2f }, g.Eval(tf.unsorted_segment_min(new[,] { { 1f, 5f }, { 6f, 2f } }, new[,] { { 0, 1 }, { 0, 1 } }, 2)));
    }

    [Fact]
    public void SparseSegmentOpsMatchALoopAndTensorFlowsValues()
    {
        using (var g = TestGraph.Enter())
        {
            var c = tf.constant(new[,] { { 1f, 2, 3, 4 }, { -1, -2, -3, -4 }, { 5, 6, 7, 8 } });
            AssertArray.Equal(new[] { 0f, 0, 0, 0 }, g.Eval(tf.sparse_segment_sum(c, new[] { 0, 1 }, new[] { 0, 0 })));
            AssertArray.Equal(new[] { 1f, 2, 3, 4, -1, -2, -3, -4 }, g.Eval(tf.sparse_segment_sum(c, new[] { 0, 1 }, new[] { 0, 1 })));
            AssertArray.Equal(new[] { 1f, 2, 3, 4, 5, 6, 7, 8 }, g.Eval(tf.sparse_segment_sum(c, new[] { 0, 2 }, new[] { 0, 1 })));
            AssertArray.Equal(new[] { 1f, 2, 3, 4, 0, 0, 0, 0, -1, -2, -3, -4 }, g.Eval(tf.sparse_segment_sum(c, new[] { 0, 1 }, new[] { 0, 2 })));
        }
        var r = new System.Random(11);
        var indices = new[] { 8, 3, 0, 9, 3, 5 };
        var ids = new[] { 0, 1, 2, 2, 2, 4 };
        foreach (var dtype in new[] { tf.float32, tf.float64 })
            foreach (var name in new[] { "sum", "mean", "sqrt_n" })
            {
                var data = Enumerable.Range(0, 40).Select(_ => r.NextDouble() * 4 - 2).ToArray();
                var expected = Reference(data, 4, indices, ids, 5, name, 0);
                using var g = TestGraph.Enter();
                var d = tf.constant(Cast(data, new Shape(10, 4), dtype));
                var y = name switch { "sum" => tf.sparse_segment_sum(d, indices, ids), "mean" => tf.sparse_segment_mean(d, indices, ids), _ => tf.sparse_segment_sqrt_n(d, indices, ids) };
                AssertArray.Close(Cast(expected, new Shape(5, 4), dtype), g.Eval(y), 1e-6, $"sparse_segment_{name} {dtype.name}");
            }
        using (var g = TestGraph.Enter())
            AssertArray.Equal(new[] { 15, 18, 21, 24, 13, 14, 15, 16 }, g.Eval(tf.sparse_segment_sum(Input(new Shape(4, 4), tf.int32), new[] { 0, 1, 2, 3 }, new[] { 0, 0, 0, 1 })));
    }

    /// <summary>segment_reduction_ops_test.py's testSegmentIdsInvalid*, testSegmentsInvalid* and the sparse variants.</summary>
    [Fact]
    public void BadSegmentIdsAreInvalidArguments()
    {
        using var g = TestGraph.Enter();
        var x = Input(new Shape(4, 4), tf.float32);
        foreach (var (ids, message) in new (int[], string)[]
                 {
                     ([-1, -1, 0, 0], "Segment id -1 out of range [0, 1), possibly because 'segment_ids' input is not sorted."),
                     ([0, 1, 0, 1], "segment ids are not increasing"),
                     ([0, 1, 2, 0], "Segment id 1 out of range [0, 1), possibly because 'segment_ids' input is not sorted."),
                     ([0, 0, 0, -2], "segment ids must be >= 0"),
                 })
            foreach (var (name, op) in Sorted)
            {
                var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(op(tf.constant(x), ids)));
                Assert.Equal(message, e.RawMessage);
                Assert.StartsWith("Segment", e.NodeName);
            }
        var wrongLength = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.segment_sum(tf.constant(x), tf.placeholder_with_default(new[] { 0, 1 }, new[] { -1 }), name: "short")));
        Assert.Equal(("segment_ids should be the same size as dimension 0 of input.", "short"), (wrongLength.RawMessage, wrongLength.NodeName));
        var rank = Assert.Throws<ValueError>(() => tf.segment_max(tf.constant(x), new[,] { { 0, 0 }, { 1, 1 } }, name: "m"));
        Assert.StartsWith("SegmentMax \"m\": Shape must be rank 1 but is rank 2", rank.Message);
        Assert.Contains("SegmentSum", Assert.Throws<TypeError>(() => tf.segment_sum(tf.constant(x), new[] { 0f, 0f, 1f, 1f })).Message);
        Assert.Contains("Shape must be at least rank 1 but is rank 0", Assert.Throws<ValueError>(() => tf.segment_sum(1f, 0, name: "scalar")).Message);

        // Sparse: indices out of range, unsorted ids, unequal lengths.
        var data = tf.constant(Input(new Shape(10, 4), tf.float32));
        var bad = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.sparse_segment_sum(data, new[] { 8, 3, 0, 10 }, new[] { 0, 1, 2, 2 }, name: "ss")));
        Assert.Equal(("Bad: indices[3] == 10 out of range [0, 10)", "ss"), (bad.RawMessage, bad.NodeName));
        bad = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.sparse_segment_mean(data, new[] { 8, 3, 0, 9 }, new[] { 0, 1, 2, 0 })));
        Assert.Equal("Segment id 1 out of range [0, 1), possibly because 'segment_ids' input is not sorted.", bad.RawMessage);
        bad = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.sparse_segment_sqrt_n(data, new[] { 8, 3, 0, 9 }, new[] { 0, 2, 1, 1 })));
        Assert.Equal("segment ids are not increasing", bad.RawMessage);
        Assert.Contains("SparseSegmentSum", Assert.Throws<ValueError>(() => tf.sparse_segment_sum(data, new[] { 0, 1 }, new[] { 0 })).Message);
        Assert.Contains("SparseSegmentMean", Assert.Throws<TypeError>(() => tf.sparse_segment_mean(new[,] { { 1 } }, new[] { 0 }, new[] { 0 })).Message);

        // Unsorted: an id past num_segments, a prefix mismatch.
        var u = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.unsorted_segment_max(new[,] { { 17 } }, new[,] { { 2 } }, 2, name: "um")));
        Assert.Equal(("segment_ids[0,0] = 2 is out of range [0, 2)", "um"), (u.RawMessage, u.NodeName));
        Assert.Contains("UnsortedSegmentProd \"up\": segment_ids.shape = [3] does not prefix data.shape = [2,2]",
            Assert.Throws<ValueError>(() => tf.unsorted_segment_prod(new[,] { { 1, 2 }, { 3, 4 } }, new[] { 0, 1, 0 }, 2, name: "up")).Message);
    }

    [Fact]
    public void SparseSegmentGradOpsScatterTheWeightedRows()
    {
        using var g = TestGraph.Enter();
        var grad = tf.constant(NDArray.FromFlat(new[] { 1.0, 2.0, 3.0, 4.0 }, new Shape(2, 2)));
        // Segment 0 has rows 0 and 2 (size 2), segment 1 row 2 (size 1).
        var mean = SharpFlow.Ops.MathOps.SparseSegmentMeanGrad.Build(grad, new[] { 0, 2, 2 }, new[] { 0, 0, 1 }, 4);
        Assert.Equal(new Shape(4, 2), mean.shape);
        AssertArray.Equal(new[] { 0.5, 1, 0, 0, 3.5, 5, 0, 0 }, g.Eval(mean));
        var sqrt = SharpFlow.Ops.MathOps.SparseSegmentSqrtNGrad.Build(grad, new[] { 0, 2, 2 }, new[] { 0, 0, 1 }, 3);
        var h = 1 / System.Math.Sqrt(2);
        AssertArray.Close(NDArray.FromFlat(new[] { h, 2 * h, 0, 0, h + 3, 2 * h + 4 }, new Shape(3, 2)), g.Eval(sqrt));
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(SharpFlow.Ops.MathOps.SparseSegmentMeanGrad.Build(grad, new[] { 0, 3 }, new[] { 0, 1 }, 3, name: "mg")));
        Assert.Equal(("Index 3 out of range [0, 3).", "mg"), (e.RawMessage, e.NodeName));
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(SharpFlow.Ops.MathOps.SparseSegmentSqrtNGrad.Build(grad, new[] { 0, 1 }, new[] { 0, 2 }, 3, name: "sg")));
        Assert.Equal(("Segment id 2 out of range [0, 2).", "sg"), (e.RawMessage, e.NodeName));
    }

    /// <summary>math_grad.py's rules at the points central differences cannot check: ties share the gradient, zeros in products.</summary>
    [Fact]
    public void GradientsSplitTiesAndHandleZeroFactorsLikeTensorFlow()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 1f, 3, 3, 2 });
        AssertArray.Equal(new[] { 0f, 0.5f, 0.5f, 1 }, g.Eval(tf.gradients(tf.segment_max(x, new[] { 0, 0, 0, 1 }), x)[0]!));
        AssertArray.Equal(new[] { 1f, 0, 0, 1 }, g.Eval(tf.gradients(tf.segment_min(x, new[] { 0, 0, 0, 1 }), x)[0]!));
        var u = tf.constant(new[] { 3f, 3, 5 });
        AssertArray.Equal(new[] { 0.5f, 0.5f, 0 }, g.Eval(tf.gradients(tf.unsorted_segment_max(u, new[] { 0, 0, -1 }, 2), u)[0]!));
        var oneZero = tf.constant(new[] { 0f, 2, 3 });
        AssertArray.Equal(new[] { 6f, 0, 0 }, g.Eval(tf.gradients(tf.unsorted_segment_prod(oneZero, new[] { 0, 0, 0 }, 1), oneZero)[0]!));
        var twoZeros = tf.constant(new[] { 0f, 0, 3 });
        AssertArray.Equal(new[] { 0f, 0, 0 }, g.Eval(tf.gradients(tf.unsorted_segment_prod(twoZeros, new[] { 0, 0, 0 }, 1), twoZeros)[0]!));
        // SegmentProd has no gradient in TensorFlow 1.x: nothing flows back.
        Assert.Null(tf.gradients(tf.segment_prod(x, new[] { 0, 0, 1, 1 }), x)[0]);
    }
}
