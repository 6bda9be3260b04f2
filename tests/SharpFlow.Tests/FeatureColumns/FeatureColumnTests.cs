using SharpFlow.Kernels;

namespace SharpFlow.Tests.FeatureColumns;

/// <summary>tf.feature_column against hand-computed values, after TensorFlow's feature_column_test.py.</summary>
public sealed class FeatureColumnTests
{
    private static NDArray Run(Tensor t)
    {
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(tf.tables_initializer());
        return sess.run(t);
    }

    [Fact]
    public void Fingerprint64MatchesTensorFlowsValues()
    {
        // string_to_hash_bucket_op_test.py's comments.
        Assert.Equal(12917804110809363939UL, Farmhash.Fingerprint64("a"u8));
        Assert.Equal(11795596070477164822UL, Farmhash.Fingerprint64("b"u8));
        Assert.Equal(11430444447143000872UL, Farmhash.Fingerprint64("c"u8));
        Assert.Equal(4470636696479570465UL, Farmhash.Fingerprint64("d"u8));
        // Every length branch runs (0-16, 17-32, 33-64, the 64-byte loop) and is deterministic.
        foreach (var n in new[] { 0, 5, 12, 20, 40, 64, 65, 200 })
        {
            var bytes = Enumerable.Range(0, n).Select(i => (byte)(i * 7 + 3)).ToArray();
            Assert.Equal(Farmhash.Fingerprint64(bytes), Farmhash.Fingerprint64(bytes.ToArray()));
        }
    }

    [Fact]
    public void StringToHashBucketFastIsTensorFlows()
    {
        using var g = TestGraph.Enter();
        Assert.Equal([9L, 2, 2, 5], Run(tf.string_to_hash_bucket_fast(tf.constant(new[] { "a", "b", "c", "d" }), 10)).ToArray<long>());
        Assert.Equal([0L, 0, 0], Run(tf.string_to_hash_bucket_fast(tf.constant(new[] { "a", "b", "c" }), 1)).ToArray<long>());
        var ex = Assert.Throws<ValueError>(() => tf.string_to_hash_bucket_fast(tf.constant(new[] { "a" }), 0));
        Assert.Contains("StringToHashBucketFast", ex.Message);
        var ex2 = Assert.Throws<TypeError>(() => tf.string_to_hash_bucket_fast(tf.constant(new[] { 1 }), 3));
        Assert.Contains("StringToHashBucketFast", ex2.Message);
    }

    [Fact]
    public void NumericColumnReshapesCastsAndNormalizes()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor>
        {
            ["a"] = tf.constant(new[] { 1, 2, 3 }),
            ["b"] = tf.constant(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }),
        };
        var a = tf.feature_column.numeric_column("a", normalizer_fn: t => t * 10f);
        var b = tf.feature_column.numeric_column("b", shape: new Shape(2));
        var net = tf.feature_column.input_layer(features, [b, a]);
        Assert.Equal(3, net.shape[1]);
        // Columns are concatenated in name order: a then b.
        Assert.Equal(new float[] { 10, 1, 2, 20, 3, 4, 30, 5, 6 }, Run(net).ToArray<float>());
        Assert.Equal("shape dimensions must be greater than 0. shape: (0,), key: c",
            Assert.Throws<ValueError>(() => tf.feature_column.numeric_column("c", shape: new Shape(0))).Message);
    }

    [Fact]
    public void BucketizedColumnIsOneHotOfTheBucket()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor> { ["price"] = tf.constant(new float[,] { { -1, 1 }, { 5, 20 } }) };
        var price = tf.feature_column.numeric_column("price", shape: new Shape(2));
        var bucketized = tf.feature_column.bucketized_column(price, [0, 2, 10]);
        Assert.Equal("price_bucketized", bucketized.name);
        var net = Run(tf.feature_column.input_layer(features, [bucketized])).ToArray<float>();
        // -1 → 0, 1 → 1, 5 → 2, 20 → 3 (boundaries 0, 2, 10).
        Assert.Equal(new float[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 }, net);
        Assert.Equal("boundaries must be a sorted list.", Assert.Throws<ValueError>(() => tf.feature_column.bucketized_column(price, [1, 0])).Message);
    }

    [Fact]
    public void VocabularyListIndicatorCountsIdsAndDropsMissing()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor>
        {
            ["s"] = tf.constant(NDArray.FromStrings(["marlin", "skipjack", "omar", "tuna"], new Shape(2, 2))),
            ["i"] = tf.constant(new long[,] { { 4, -1 }, { 2, 2 } }),
        };
        var s = tf.feature_column.categorical_column_with_vocabulary_list("s", ["omar", "stringer", "marlin"]);
        var i = tf.feature_column.categorical_column_with_vocabulary_list("i", new long[] { 2, 3, 4 });
        var net = Run(tf.feature_column.input_layer(features, [tf.feature_column.indicator_column(i), tf.feature_column.indicator_column(s)])).ToArray<float>();
        // i: [4, -] → [0,0,1]; [2,2] → [2,0,0]. s: [marlin, skipjack(OOV)] → [0,0,1]; [omar, tuna] → [1,0,0].
        Assert.Equal(new float[] { 0, 0, 1, 0, 0, 1, 2, 0, 0, 1, 0, 0 }, net);
    }

    [Fact]
    public void OovBucketsHashOutOfVocabularyValues()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor> { ["s"] = tf.constant(new[] { "a", "b", "c", "d", "x" }) };
        var s = tf.feature_column.categorical_column_with_vocabulary_list("s", ["x"], num_oov_buckets: 10);
        Assert.Equal(11L, s.num_buckets);
        var ids = Run(s.GetIds(new SharpFlow.FeatureColumns.FeatureCache(features)).ids).ToArray<long>();
        // Out of vocabulary: 1 + Fingerprint64 % 10 (9, 2, 2, 5).
        Assert.Equal([10L, 3, 3, 6, 0], ids);
        Assert.StartsWith("Can't specify both default_value",
            Assert.Throws<ValueError>(() => tf.feature_column.categorical_column_with_vocabulary_list("s", ["x"], default_value: 0, num_oov_buckets: 1)).Message);
    }

    [Fact]
    public void IdentityAndHashBucketColumns()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor>
        {
            ["id"] = tf.constant(new[] { 0, 3, 7 }),
            ["h"] = tf.constant(new[] { "a", "b", "c", "d" }),
        };
        var id = tf.feature_column.categorical_column_with_identity("id", 4, default_value: 0);
        var h = tf.feature_column.categorical_column_with_hash_bucket("h", 10);
        var cache = new SharpFlow.FeatureColumns.FeatureCache(features);
        Assert.Equal([0L, 3, 0], Run(id.GetIds(cache).ids).ToArray<long>());
        Assert.Equal([9L, 2, 2, 5], Run(h.GetIds(cache).ids).ToArray<long>());
        Assert.Equal("Invalid default_value 4 for num_buckets 4.", Assert.Throws<ValueError>(() => tf.feature_column.categorical_column_with_identity("x", 4, default_value: 4)).Message);
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("mean")]
    [InlineData("sqrtn")]
    public void EmbeddingColumnCombinesRowsOfTheTable(string combiner)
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor> { ["id"] = tf.constant(new long[,] { { 0, 2 }, { 1, -1 }, { -1, -1 } }) };
        var table = new float[,] { { 1, 2 }, { 3, 5 }, { 7, 11 } };
        var emb = tf.feature_column.embedding_column(tf.feature_column.categorical_column_with_identity("id", 3), 2, combiner: combiner,
            initializer: tf.constant_initializer(table));
        var net = tf.feature_column.input_layer(features, [emb]);
        var v = tf.global_variables().Single();
        Assert.Equal("input_layer/id_embedding/embedding_weights:0", v.name);
        var result = Run(net).ToArray<float>();
        var (d0, d1) = combiner switch { "sum" => (1.0, 1.0), "mean" => (2.0, 1.0), _ => (Math.Sqrt(2), 1.0) };
        Assert.Equal(new[] { (float)(8 / d0), (float)(13 / d0), (float)(3 / d1), (float)(5 / d1), 0f, 0f }, result);
    }

    [Fact]
    public void LinearModelWeightsEachColumnAndAddsABias()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor>
        {
            ["x"] = tf.constant(new float[] { 1, 2 }),
            ["c"] = tf.constant(new long[] { 1, 0 }),
        };
        var x = tf.feature_column.numeric_column("x");
        var c = tf.feature_column.categorical_column_with_identity("c", 2);
        var pred = tf.feature_column.linear_model(features, [x, c]);
        var names = tf.global_variables().Select(v => v.name).ToList();
        Assert.Equal(["linear_model/c/weights:0", "linear_model/x/weights:0", "linear_model/bias_weights:0"], names);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new float[] { 0, 0 }, sess.run(pred).ToArray<float>());
        var vars = tf.global_variables().ToDictionary(v => v.op.name);
        sess.run(tf.assign(vars["linear_model/x/weights"], tf.constant(new float[,] { { 2 } })));
        sess.run(tf.assign(vars["linear_model/c/weights"], tf.constant(new float[,] { { 10 }, { 20 } })));
        sess.run(tf.assign(vars["linear_model/bias_weights"], tf.constant(new float[] { 0.5f })));
        // 2x + w[c] + 0.5
        Assert.Equal(new float[] { 22.5f, 14.5f }, sess.run(pred).ToArray<float>());
    }

    [Fact]
    public void InputLayerRefusesCategoricalColumns()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor> { ["c"] = tf.constant(new long[] { 1 }) };
        var ex = Assert.Throws<ValueError>(() => tf.feature_column.input_layer(features, [tf.feature_column.categorical_column_with_identity("c", 2)]));
        Assert.StartsWith("Items of feature_columns must be a _DenseColumn.", ex.Message);
        var missing = Assert.Throws<ValueError>(() => tf.feature_column.input_layer(features, [tf.feature_column.numeric_column("nope")]));
        Assert.Contains("'nope'", missing.Message);
    }

    [Fact]
    public void LookupTableNeedsItsInitializer()
    {
        using var g = TestGraph.Enter();
        var features = new Dictionary<string, Tensor> { ["s"] = tf.constant(new[] { "a" }) };
        var s = tf.feature_column.categorical_column_with_vocabulary_list("s", ["a"]);
        var ids = s.GetIds(new SharpFlow.FeatureColumns.FeatureCache(features)).ids;
        using var sess = tf.Session();
        var ex = Assert.Throws<FailedPreconditionError>(() => sess.run(ids));
        Assert.Contains("Table not initialized.", ex.Message);
        sess.run(tf.tables_initializer());
        Assert.Equal([0L], sess.run(ids).ToArray<long>());
    }
}
