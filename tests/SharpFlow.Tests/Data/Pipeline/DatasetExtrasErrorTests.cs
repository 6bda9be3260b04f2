namespace SharpFlow.Tests.Data.Pipeline;

/// <summary>The bad values the shard and interleave ops check, each failing at initialisation with a message naming the op.</summary>
public class DatasetExtrasErrorTests
{
    public static TheoryData<string> Cases => new()
    {
        "shards 0", "shard index -3", "shard index 7", "pi cycle 0", "pi block 0", "pi buffer 0", "pi prefetch -1",
        "v2 cycle 0", "v2 block 0", "v2 calls 0", "v2 calls over cycle",
    };

    private static tf.data.Dataset Nested(Tensor x) => tf.data.Dataset.from_tensors(x);

    private static (tf.data.Dataset Dataset, string Message, string OpType) Case(string name)
    {
        var r = tf.data.Dataset.range(10);
        return name switch
        {
            // shard_test: testZeroNumShards / testNegativeOffset / testOffsetGreater.
            "shards 0" => (r.shard(0, 0), "Number of shards must be greater than zero (currently num_shards = 0).", "ShardDataset"),
            "shard index -3" => (r.shard(5, -3), "Index must be between 0 and 4 (currently index = -3).", "ShardDataset"),
            "shard index 7" => (r.shard(5, 7), "Index must be between 0 and 4 (currently index = 7).", "ShardDataset"),
            "pi cycle 0" => (r.apply(tf.data.experimental.parallel_interleave(Nested, 0)), "`cycle_length` must be > 0", "ParallelInterleaveDataset"),
            "pi block 0" => (r.apply(tf.data.experimental.parallel_interleave(Nested, 1, 0, buffer_output_elements: 1)), "`block_length` must be > 0", "ParallelInterleaveDataset"),
            "pi buffer 0" => (r.apply(tf.data.experimental.parallel_interleave(Nested, 1, buffer_output_elements: 0)), "`buffer_output_elements` must be > 0", "ParallelInterleaveDataset"),
            "pi prefetch -1" => (r.apply(tf.data.experimental.parallel_interleave(Nested, 1, prefetch_input_elements: -1)), "`prefetch_input_elements` must be >= 0", "ParallelInterleaveDataset"),
            "v2 cycle 0" => (r.interleave(Nested, 0, 1, num_parallel_calls: 1), "cycle_length must be greater than zero.", "ParallelInterleaveDatasetV2"),
            "v2 block 0" => (r.interleave(Nested, 2, 0, num_parallel_calls: 1), "block_length must be greater than zero.", "ParallelInterleaveDatasetV2"),
            "v2 calls 0" => (r.interleave(Nested, 2, 1, num_parallel_calls: 0), "num_parallel_calls must be greater than zero.", "ParallelInterleaveDatasetV2"),
            "v2 calls over cycle" => (r.interleave(Nested, 2, 1, num_parallel_calls: 3), "num_parallel_calls must less than or equal to cycle_length.", "ParallelInterleaveDatasetV2"),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory, MemberData(nameof(Cases))]
    public void BadValuesFailWhenTheIteratorIsInitialised(string name)
    {
        using var g = TestGraph.Enter();
        var (ds, message, opType) = Case(name);
        var it = ds.make_initializable_iterator();
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(it.initializer));
        Assert.Contains(message, e.Message);
        Assert.NotNull(e.NodeName);
        Assert.Equal(opType, g.Graph.get_operation_by_name(e.NodeName!).type);
    }

    [Fact]
    public void ShapeRulesRefuseNonScalarArguments()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.data.Dataset.range(5).shard(tf.constant(new long[] { 1, 2 }), 0));
        Assert.Contains("Shape must be rank 0 but is rank 1 for 'num_shards'", e.Message);
        Assert.Contains("ShardDataset", e.Message);
    }
}
