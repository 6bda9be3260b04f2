using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Sparse;

/// <summary>SparseToDense and tf.SparseTensor, with sparse_to_dense_op_py_test.py's cases.</summary>
public class SparseToDenseTests
{
    /// <summary>The reference: default everywhere, then each index row set to its value.</summary>
    private static double[] Reference(long[,] indices, int[] shape, double[] values, double dflt)
    {
        var output = Enumerable.Repeat(dflt, shape.Aggregate(1, (a, b) => a * b)).ToArray();
        for (var n = 0; n < indices.GetLength(0); n++)
        {
            var flat = 0L;
            for (var k = 0; k < shape.Length; k++) flat = flat * shape[k] + indices[n, k];
            output[flat] = values.Length == 1 ? values[0] : values[n];
        }
        return output;
    }

    [Fact]
    public void MatchesTheKernelTests()
    {
        using var g = TestGraph.Enter();
        Assert.Equal(new[] { 0, 1, 0, 1, 0 }, g.Eval(tf.sparse_to_dense(new[] { 1, 3 }, new[] { 5 }, 1, 0)).ToArray<int>());
        Assert.Equal(new[] { 0f, 1, 0, 1, 0 }, g.Eval(tf.sparse_to_dense(new[] { 1, 3 }, new[] { 5 }, 1.0f, 0.0f)).ToArray<float>());
        Assert.Equal(new[] { -1, 1, -1, 2, -1 }, g.Eval(tf.sparse_to_dense(new[] { 1, 3 }, new[] { 5 }, new[] { 1, 2 }, -1)).ToArray<int>());
        var s = g.Eval(tf.sparse_to_dense(new[] { 1, 3 }, new[] { 5 }, "a", "b"));
        Assert.Equal(["b", "a", "b", "a", "b"], Enumerable.Range(0, 5).Select(i => System.Text.Encoding.UTF8.GetString(s.StringBytes(i))));
        var d3 = g.Eval(tf.sparse_to_dense(new[,] { { 1, 3, 0 }, { 2, 0, 1 } }, new[] { 3, 4, 2 }, 1, -1));
        Assert.Equal(new Shape(3, 4, 2), d3.shape);
        var expected = Enumerable.Repeat(-1, 24).ToArray();
        expected[(1 * 4 + 3) * 2 + 0] = 1;
        expected[(2 * 4 + 0) * 2 + 1] = 1;
        Assert.Equal(expected, d3.ToArray<int>());
        // Default value 0 when none is given.
        Assert.Equal(new[] { 0.0, 7.0 }, g.Eval(tf.sparse_to_dense(new[] { 1 }, new[] { 2 }, new[] { 7.0 })).ToArray<double>());
    }

    [Fact]
    public void MatchesALoopOnRandomInputs()
    {
        using var g = TestGraph.Enter();
        var r = new System.Random(3);
        for (var trial = 0; trial < 20; trial++)
        {
            var shape = new[] { r.Next(1, 5), r.Next(1, 5), r.Next(1, 4) };
            var all = Enumerable.Range(0, shape[0] * shape[1] * shape[2]).Where(_ => r.NextDouble() < 0.3).ToArray();
            var indices = new long[all.Length, 3];
            for (var n = 0; n < all.Length; n++)
            {
                indices[n, 0] = all[n] / (shape[1] * shape[2]);
                indices[n, 1] = all[n] / shape[2] % shape[1];
                indices[n, 2] = all[n] % shape[2];
            }
            var values = all.Select(_ => r.NextDouble()).ToArray();
            var got = g.Eval(tf.sparse_to_dense(indices, shape.Select(d => (long)d).ToArray(), NDArray.FromFlat(values, new Shape(values.Length)), -2.0));
            Assert.Equal(Reference(indices, shape, values, -2.0), got.ToArray<double>());
        }
    }

    [Fact]
    public void BadInputsNameTheOp()
    {
        using var g = TestGraph.Enter();
        void Fails(Func<Tensor> f, string message)
        {
            var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(f()));
            Assert.Contains(message, e.Message);
            Assert.Contains("SparseToDense", e.Message);
        }
        Fails(() => tf.sparse_to_dense(new[] { 1, 3 }, new[] { 5, 3 }, 1, -1), "output_shape has incorrect number of elements: 2 should be: 1");
        Fails(() => tf.sparse_to_dense(new[] { 1, 3 }, new[] { 5 }, new[] { 1, 2, 3 }, -1), "sparse_values has incorrect shape [3], should be [] or [2]");
        Fails(() => tf.sparse_to_dense(new[,] { { 1 }, { 10 } }, new[] { 5 }, new[] { -1.0, 1.0 }, 0.0), "indices[1] = [10] is out of bounds: need 0 <= index < [5]");
        Fails(() => tf.sparse_to_dense(new[,] { { 1 }, { 1 } }, new[] { 5 }, new[] { -1, 1 }, 0), "indices[1] = [1] is repeated");
        Fails(() => tf.sparse_to_dense(new[,] { { 2 }, { 1 } }, new[] { 5 }, new[] { -1, 1 }, 0), "indices[1] = [1] is out of order");
        // Without validation, order and repeats are allowed (bounds are still checked).
        Assert.Equal(new[] { 0, 1, -1, 0, 0 }, g.Eval(tf.sparse_to_dense(new[,] { { 2 }, { 1 } }, new[] { 5 }, new[] { -1, 1 }, 0, validate_indices: false)).ToArray<int>());
        Assert.Contains("SparseToDense", Assert.Throws<ValueError>(() => tf.sparse_to_dense(new[] { 1, 3 }, new[] { 5 }, new[,] { { 5 }, { 3 } }, -1)).Message);
        Assert.Contains("SparseToDense", Assert.Throws<ValueError>(() => tf.sparse_to_dense(new[] { 1, 3 }, new[] { 5 }, 1, new[] { -1, 0 })).Message);
    }

    [Fact]
    public void SparseTensorsRunAndDensify()
    {
        using var g = TestGraph.Enter();
        var st = tf.SparseTensor(new long[,] { { 0, 0 }, { 1, 2 } }, new[] { 1f, 2f }, new long[] { 3, 4 });
        Assert.Equal(new Shape(3, 4), st.shape);
        Assert.Equal(tf.float32, st.dtype);
        using var sess = new Session(g.Graph);
        var v = sess.run(st);
        Assert.Equal(new long[] { 0, 0, 1, 2 }, v.indices.ToArray<long>());
        Assert.Equal(new[] { 1f, 2f }, v.values.ToArray<float>());
        Assert.Equal(new long[] { 3, 4 }, v.dense_shape.ToArray<long>());
        var dense = sess.run(tf.sparse_tensor_to_dense(st));
        Assert.Equal(new Shape(3, 4), dense.shape);
        Assert.Equal(new[] { 1f, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0 }, dense.ToArray<float>());
        Assert.Equal(9f, sess.run(tf.sparse.to_dense(st, default_value: 9f)).ToArray<float>()[1]);
        Assert.Throws<ValueError>(() => tf.SparseTensor(new long[] { 0, 1 }, new[] { 1f, 2f }, new long[] { 3, 4 }));
    }
}
