namespace SharpFlow.Tests.Ops.DataFlow;

/// <summary>
/// DynamicPartition and DynamicStitch, with the expected values of TensorFlow's
/// <c>kernel_tests/dynamic_partition_op_test.py</c> and <c>dynamic_stitch_op_test.py</c>, and sharded
/// <c>embedding_lookup</c> against a plain reference of TensorFlow's mod and div partitioning.
/// </summary>
public class DynamicPartitionStitchTests
{
    [Fact]
    public void PartitionsASimpleVector()
    {
        // dynamic_partition_op_test.testSimpleOneDimensional
        using var g = TestGraph.Enter();
        var parts = tf.dynamic_partition(tf.constant(new[] { 0f, 13f, 2f, 39f, 4f, 17f }), tf.constant(new[] { 0, 0, 2, 3, 2, 1 }), 4);
        using var sess = tf.Session();
        var values = parts.Select(p => sess.run(p).ToArray<float>()).ToArray();
        Assert.Equal([0f, 13f], values[0]);
        Assert.Equal([17f], values[1]);
        Assert.Equal([2f, 4f], values[2]);
        Assert.Equal([39f], values[3]);
        Assert.Equal(new Shape(-1), parts[0].shape);
    }

    [Fact]
    public void PartitionsRowsOfAMatrixWithATwoDimensionalPrefix()
    {
        using var g = TestGraph.Enter();
        var data = tf.constant(new[,,] { { { 0, 1 }, { 2, 3 } }, { { 4, 5 }, { 6, 7 } } });
        var parts = tf.dynamic_partition(data, tf.constant(new[,] { { 1, 0 }, { 0, 1 } }), 2);
        Assert.Equal(new Shape(-1, 2), parts[0].shape);
        using var sess = tf.Session();
        Assert.Equal([2, 3, 4, 5], sess.run(parts[0]).ToArray<int>());
        Assert.Equal([0, 1, 6, 7], sess.run(parts[1]).ToArray<int>());
        Assert.Equal(new Shape(2, 2), sess.run(parts[1]).shape);
    }

    [Fact]
    public void APartitionOutOfRangeNamesTheOp()
    {
        using var g = TestGraph.Enter();
        var parts = tf.dynamic_partition(tf.constant(new[] { 1f, 2f }), tf.constant(new[] { 0, 5 }), 2, name: "route");
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(parts[0]));
        Assert.Contains("partitions[1] = 5 is not in [0, 2)", e.Message);
        Assert.Contains("route", e.Message);
    }

    [Fact]
    public void StitchesInterleavedIndices()
    {
        // dynamic_stitch_op_test.testSimpleOneDimensional
        using var g = TestGraph.Enter();
        var stitched = tf.dynamic_stitch(
            [tf.constant(new[] { 0, 4, 7 }), tf.constant(new[] { 1, 6 }), tf.constant(new[] { 2, 3, 5 })],
            [tf.constant(new[] { 0, 40, 70 }), tf.constant(new[] { 10, 60 }), tf.constant(new[] { 20, 30, 50 })]);
        Assert.Equal(new Shape(8), stitched.shape);
        using var sess = tf.Session();
        Assert.Equal([0, 10, 20, 30, 40, 50, 60, 70], sess.run(stitched).ToArray<int>());
    }

    [Fact]
    public void LaterSlicesWinOnRepeatedIndicesAndMissingRowsAreZero()
    {
        using var g = TestGraph.Enter();
        var stitched = tf.dynamic_stitch([tf.constant(new[] { 0, 1 }), tf.constant(new[] { 1, 3 })],
            [tf.constant(new[,] { { 1f, 1f }, { 2f, 2f } }), tf.constant(new[,] { { 3f, 3f }, { 4f, 4f } })]);
        using var sess = tf.Session();
        Assert.Equal([1f, 1f, 3f, 3f, 0f, 0f, 4f, 4f], sess.run(stitched).ToArray<float>());
    }

    [Fact]
    public void MismatchedDataShapesAreRefusedWhenBuilt()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.dynamic_stitch([tf.constant(new[] { 0 }), tf.constant(new[] { 1 })],
            [tf.constant(new[,] { { 1f, 2f } }), tf.constant(new[,] { { 1f, 2f, 3f } })]));
        Assert.Contains("DynamicStitch", e.Message);
    }

    /// <summary>TensorFlow's mod / div routing of id <paramref name="id"/> over shards of the given sizes: (shard, row).</summary>
    private static (int Shard, int Row) Route(int id, int[] sizes, string strategy)
    {
        var n = sizes.Length;
        if (strategy == "mod") return (id % n, id / n);
        var total = sizes.Sum();
        var (perShard, extras) = (total / n, total % n);
        var shard = Math.Max(id / (perShard + 1), (id - extras) / perShard);
        return (shard, shard < extras ? id % (perShard + 1) : (id - extras) % perShard);
    }

    [Theory]
    [InlineData("mod", new[] { 3, 3, 2 })]
    [InlineData("div", new[] { 3, 3, 2 })]
    [InlineData("div", new[] { 2, 2, 2, 1 })]
    public void ShardedEmbeddingLookupRoutesIdsAsTensorFlow(string strategy, int[] sizes)
    {
        using var g = TestGraph.Enter();
        var total = sizes.Sum();
        var shards = sizes.Select((rows, s) => Enumerable.Range(0, rows * 2).Select(k => (float)(100 * s + k)).ToArray()).ToArray();
        var tables = shards.Select((v, s) => (Tensor)tf.constant(NDArray.FromFlat(v, new Shape(sizes[s], 2)))).ToList();
        var ids = Enumerable.Range(0, total).Reverse().ToArray();
        var idShape = total % 2 == 0 ? new Shape(total / 2, 2) : new Shape(total);
        var looked = tf.nn.embedding_lookup(tables, tf.constant(NDArray.FromFlat(ids, idShape)), partition_strategy: strategy);
        Assert.Equal(idShape.Concatenate(new Shape(2)), looked.shape);
        using var sess = tf.Session();
        var actual = sess.run(looked).ToArray<float>();
        for (var i = 0; i < ids.Length; i++)
        {
            var (shard, row) = Route(ids[i], sizes, strategy);
            Assert.Equal(shards[shard][2 * row], actual[2 * i]);
            Assert.Equal(shards[shard][2 * row + 1], actual[2 * i + 1]);
        }
    }

    [Fact]
    public void MaxNormClipsEachEmbedding()
    {
        using var g = TestGraph.Enter();
        var table = tf.constant(new[,] { { 3f, 4f }, { 0.3f, 0.4f } });
        var looked = tf.nn.embedding_lookup(table, tf.constant(new[] { 0, 1 }), max_norm: 1.0);
        using var sess = tf.Session();
        var v = sess.run(looked).ToArray<float>();
        Assert.Equal(0.6f, v[0], 1e-5);
        Assert.Equal(0.8f, v[1], 1e-5);
        Assert.Equal(0.3f, v[2], 1e-5);
        Assert.Equal(0.4f, v[3], 1e-5);
    }

    [Fact]
    public void AnUnknownPartitionStrategyIsRefused()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.nn.embedding_lookup([tf.zeros(new Shape(2, 2)), tf.zeros(new Shape(2, 2))], tf.constant(new[] { 0 }), partition_strategy: "hash"));
        Assert.Contains("Unrecognized partition strategy: hash", e.Message);
    }
}
