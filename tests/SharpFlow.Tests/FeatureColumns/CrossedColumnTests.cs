namespace SharpFlow.Tests.FeatureColumns;

/// <summary>tf.feature_column.crossed_column and the SparseCross hashing, against TensorFlow's own test values.</summary>
public sealed class CrossedColumnTests
{
    private static NDArray Run(Tensor t, Action<Session>? before = null)
    {
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(tf.tables_initializer());
        before?.Invoke(sess);
        return sess.run(t);
    }

    private static Tensor Strings(params string[] values) => tf.constant(NDArray.FromStrings(values, new Shape(1, 1)));

    [Fact]
    public void SparseCrossHashesLikeTensorFlow()
    {
        // sparse_cross_op_test.py: test_hashed_zero_bucket_no_hash_key, test_hashed_no_hash_key, test_hashed_zero_bucket.
        using var g = TestGraph.Enter();
        TensorLike[] inputs = [Strings("batch1-FC1-F1"), Strings("batch1-FC2-F1"), Strings("batch1-FC3-F1")];
        var key = global::SharpFlow.Ops.Sparse.SparseCross.DefaultHashKey;
        Assert.Equal(1971693436396284976L, g.Eval(global::SharpFlow.Ops.Sparse.SparseCross.Build(inputs, 0, key).values).AsReadOnlySpan<long>()[0]);
        Assert.Equal(83L, g.Eval(global::SharpFlow.Ops.Sparse.SparseCross.Build(inputs, 100, key).values).AsReadOnlySpan<long>()[0]);
        Assert.Equal(4847552627144134031L, g.Eval(global::SharpFlow.Ops.Sparse.SparseCross.Build(inputs, 0, key + 1).values).AsReadOnlySpan<long>()[0]);
        var (indices, _, shape) = global::SharpFlow.Ops.Sparse.SparseCross.Build([tf.constant(new long[,] { { 1, 2 }, { 3, 4 } }), tf.constant(new[,] { { 5 }, { 6 } })], 10, key);
        AssertArray.Equal(new long[] { 0, 0, 0, 1, 1, 0, 1, 1 }, g.Eval(indices));
        AssertArray.Equal(new long[] { 2, 2 }, g.Eval(shape));
        Assert.Contains("SparseCross", Assert.ThrowsAny<ArgumentException>(() => global::SharpFlow.Ops.Sparse.SparseCross.Build([tf.constant(new[] { 1f })], 10, key)).Message);
    }

    [Fact]
    public void SparseCrossCombinesValuesLastInputFastestFromAReferenceLoop()
    {
        using var g = TestGraph.Enter();
        var a = new long[,] { { 7, -3 }, { 0, 12 } };
        var b = new[,] { { "x", "yy", "zzz" }, { "", "w", "x" } };
        var values = g.Eval(global::SharpFlow.Ops.Sparse.SparseCross.Build([tf.constant(a), tf.constant(NDArray.FromStrings(b.Cast<string>().ToArray(), new Shape(2, 3)))], 1000, 5).values)
            .AsReadOnlySpan<long>().ToArray();
        var expected = new List<long>();
        for (var row = 0; row < 2; row++)
            for (var i = 0; i < 2; i++)
                for (var j = 0; j < 3; j++)
                {
                    var h = global::SharpFlow.Ops.Sparse.SparseCross.FingerprintCat64(5, (ulong)a[row, i]);
                    h = global::SharpFlow.Ops.Sparse.SparseCross.FingerprintCat64(h, global::SharpFlow.Kernels.Farmhash.Fingerprint64(System.Text.Encoding.UTF8.GetBytes(b[row, j])));
                    expected.Add((long)(h % 1000));
                }
        Assert.Equal(expected, values);
    }

    private static Dictionary<string, Tensor> Features() => new()
    {
        ["a"] = tf.constant(new[,] { { -1f, .5f }, { .5f, 1f } }),
        // TensorFlow's SparseTensor c = [[cA], [cB, cC]], dense with "" for no value.
        ["c"] = tf.constant(NDArray.FromStrings(["cA", "", "cB", "cC"], new Shape(2, 2))),
    };

    [Fact]
    public void CrossedIdsAreTensorFlowsExpectedValues()
    {
        // feature_column_test.py: test_get_sparse_tensors_simple, expected values (1, 0, 1, 3, 4, 2).
        using var g = TestGraph.Enter();
        var a = tf.feature_column.numeric_column("a", shape: new Shape(2), dtype: tf.int32);
        var b = tf.feature_column.bucketized_column(a, [0, 1]);
        var crossed = tf.feature_column.crossed_column([b, "c"], hash_bucket_size: 5, hash_key: 5);
        Assert.Equal("a_bucketized_X_c", crossed.name);
        Assert.Equal(5, crossed.num_buckets);
        var (ids, weights) = crossed.GetIds(new global::SharpFlow.FeatureColumns.FeatureCache(Features()));
        Assert.Null(weights);
        AssertArray.Equal(new long[] { 1, -1, 0, -1, 1, 3, 4, 2 }, Run(ids));
        var indicator = tf.feature_column.input_layer(Features(), [tf.feature_column.indicator_column(crossed)]);
        AssertArray.Equal(new[] { 1f, 1, 0, 0, 0, 0, 1, 1, 1, 1 }, Run(indicator));
    }

    [Fact]
    public void LinearModelOfACrossedColumnSumsItsWeights()
    {
        // feature_column_test.py: test_linear_model, predictions (3, 14) then (3.1, 14.1).
        using var g = TestGraph.Enter();
        var b = tf.feature_column.bucketized_column(tf.feature_column.numeric_column("a", shape: new Shape(2), dtype: tf.int32), [0, 1]);
        var crossed = tf.feature_column.crossed_column([b, "c"], 5, hash_key: 5);
        var predictions = tf.feature_column.linear_model(Features(), [crossed]);
        var crossedVar = tf.global_variables().Single(v => v.op.name == "linear_model/a_bucketized_X_c/weights");
        var bias = tf.global_variables().Single(v => v.op.name == "linear_model/bias_weights");
        Assert.Equal(new Shape(5, 1), crossedVar.shape);
        AssertArray.Close(NDArray.FromFlat(new[] { 0f, 0f }, new Shape(2, 1)), Run(predictions), 0);
        var assign = crossedVar.assign(tf.constant(new[,] { { 1f }, { 2f }, { 3f }, { 4f }, { 5f } }));
        AssertArray.Close(NDArray.FromFlat(new[] { 3f, 14f }, new Shape(2, 1)), Run(predictions, s => s.run(assign)), 1e-6);
        var biasAssign = bias.assign(tf.constant(new[] { .1f }));
        AssertArray.Close(NDArray.FromFlat(new[] { 3.1f, 14.1f }, new Shape(2, 1)), Run(predictions, s => { s.run(assign); s.run(biasAssign); }), 1e-6);
    }

    [Fact]
    public void EmbeddingOfACrossedColumnAndNestedCrossesWork()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor>
        {
            ["x"] = tf.constant(new long[,] { { 1 }, { 2 } }),
            ["y"] = tf.constant(NDArray.FromStrings(["p", "q"], new Shape(2, 1))),
            ["z"] = tf.constant(new long[,] { { 3 }, { -1 } }),
        };
        var inner = tf.feature_column.crossed_column(["x", "y"], 7);
        var outer = tf.feature_column.crossed_column([inner, "z"], 11);
        Assert.Equal("x_X_y_X_z", outer.name);
        var ids = Run(outer.GetIds(new global::SharpFlow.FeatureColumns.FeatureCache(features)).ids).AsReadOnlySpan<long>().ToArray();
        // Nested crosses flatten to their leaves: one SparseCross of x, y, z; z's -1 is no value.
        var h = global::SharpFlow.Ops.Sparse.SparseCross.FingerprintCat64(global::SharpFlow.Ops.Sparse.SparseCross.FingerprintCat64(global::SharpFlow.Ops.Sparse.SparseCross.FingerprintCat64(
            (ulong)global::SharpFlow.Ops.Sparse.SparseCross.DefaultHashKey, 1), global::SharpFlow.Kernels.Farmhash.Fingerprint64("p"u8)), 3);
        Assert.Equal(new[] { (long)(h % 11), -1L }, ids);
        var embedded = tf.feature_column.input_layer(features, [tf.feature_column.embedding_column(outer, 3, initializer: tf.ones_initializer())]);
        AssertArray.Equal(new[] { 1f, 1, 1, 0, 0, 0 }, Run(embedded));
    }

    [Fact]
    public void CrossedColumnRejectsWhatTensorFlowRejects()
    {
        Assert.Equal("hash_bucket_size must be > 1. hash_bucket_size: 0",
            Assert.Throws<ValueError>(() => tf.feature_column.crossed_column(["a", "b"], 0)).Message);
        Assert.StartsWith("keys must be a list with length > 1.",
            Assert.Throws<ValueError>(() => tf.feature_column.crossed_column(["a"], 10)).Message);
        Assert.StartsWith("categorical_column_with_hash_bucket is not supported for crossing.",
            Assert.Throws<ValueError>(() => tf.feature_column.crossed_column([tf.feature_column.categorical_column_with_hash_bucket("h", 10), "b"], 10)).Message);
        Assert.StartsWith("Unsupported key type.", Assert.Throws<ValueError>(() => tf.feature_column.crossed_column([3, "b"], 10)).Message);
    }
}
