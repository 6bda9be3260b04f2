using DatasetOps = SharpFlow.Data.DatasetOps;

namespace SharpFlow.Tests.Data.Pipeline;

/// <summary>Every bad input the dataset and iterator ops check, with a message that names the op.</summary>
public class DatasetErrorTests
{
    public static TheoryData<string> RunTimeCases => new()
    {
        "range step 0", "batch size 0", "padded batch size 0", "shuffle buffer 0", "prefetch buffer -2", "parallel calls 0",
        "interleave cycle 0", "interleave block 0", "record bytes 0", "header bytes -1", "footer bytes -1", "compression",
    };

    private static (tf.data.Dataset Dataset, string Message, string OpType) Case(string name) => name switch
    {
        "range step 0" => (tf.data.Dataset.range(0, 5, 0), "step must be a non-zero integer.", "RangeDataset"),
        "batch size 0" => (tf.data.Dataset.range(5).batch(0), "Batch size must be greater than zero.", "BatchDatasetV2"),
        "padded batch size 0" => (tf.data.Dataset.range(5).padded_batch(0, Shape.Scalar), "Batch size must be greater than zero.", "PaddedBatchDatasetV2"),
        "shuffle buffer 0" => (tf.data.Dataset.range(5).shuffle(0), "buffer_size must be greater than zero.", "ShuffleDataset"),
        "prefetch buffer -2" => (tf.data.Dataset.range(5).prefetch(-2), "buffer_size must be >= 0", "PrefetchDataset"),
        "parallel calls 0" => (tf.data.Dataset.range(5).map((Tensor x) => x, num_parallel_calls: 0), "num_parallel_calls must be greater than zero.", "ParallelMapDataset"),
        "interleave cycle 0" => (tf.data.Dataset.range(5).interleave(x => tf.data.Dataset.from_tensors(x), 0), "cycle_length must be greater than zero.", "InterleaveDataset"),
        "interleave block 0" => (tf.data.Dataset.range(5).interleave(x => tf.data.Dataset.from_tensors(x), 1, 0), "block_length must be greater than zero.", "InterleaveDataset"),
        "record bytes 0" => (new tf.data.FixedLengthRecordDataset("f", record_bytes: 0), "`record_bytes` must be > 0", "FixedLengthRecordDataset"),
        "header bytes -1" => (new tf.data.FixedLengthRecordDataset("f", record_bytes: 1, header_bytes: -1), "`header_bytes` must be >= 0", "FixedLengthRecordDataset"),
        "footer bytes -1" => (new tf.data.FixedLengthRecordDataset("f", record_bytes: 1, footer_bytes: -1), "`footer_bytes` must be >= 0", "FixedLengthRecordDataset"),
        "compression" => (new tf.data.TFRecordDataset("f", compression_type: "BZ2"), "Unsupported compression_type: BZ2.", "TFRecordDataset"),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(RunTimeCases))]
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
    public void AOneShotIteratorReportsTheDatasetsErrorAsItsOwn()
    {
        using var g = TestGraph.Enter();
        var next = tf.data.Dataset.range(5).batch(0).make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var e = Assert.Throws<FailedPreconditionError>(() => sess.run(next));
        Assert.Contains("Failed to make the dataset of the one-shot iterator: Batch size must be greater than zero.", e.Message);
        Assert.StartsWith("OneShotIterator", e.NodeName);
    }

    [Fact]
    public void ShapeRulesRefuseNonScalarArguments()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.data.Dataset.range(5).batch(tf.constant(new long[] { 1, 2 })));
        Assert.Contains("BatchDatasetV2 \"BatchDatasetV2\": Shape must be rank 0 but is rank 1 for 'batch_size'", e.Message);
        var r = Assert.Throws<ValueError>(() => tf.data.Dataset.range(tf.constant(new long[] { 1, 2 })));
        Assert.Contains("RangeDataset", r.Message);
        var s = Assert.Throws<ValueError>(() => tf.data.Dataset.range(5).shuffle(tf.constant(new long[] { 1 })));
        Assert.Contains("ShuffleDataset", s.Message);
        var f = Assert.Throws<ValueError>(() => new tf.data.TextLineDataset(tf.constant(NDArray.FromStrings(["a", "b", "c", "d"], new Shape(2, 2)))));
        Assert.Contains("TextLineDataset", f.Message);
        Assert.Contains("at most rank 1", f.Message);
        var t = Assert.Throws<TypeError>(() => new tf.data.TFRecordDataset(tf.constant(1)));
        Assert.Contains("`filenames` must be a tf.string tensor", t.Message);
    }

    [Fact]
    public void DatasetInputsMustBeDatasets()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<TypeError>(() => DatasetOps.RepeatDataset.Build(tf.constant(1.0f), 2L, [DType.float32], [Shape.Scalar]));
        Assert.Contains("RepeatDataset \"RepeatDataset\": input_dataset must be a dataset", e.Message);
        var m = Assert.Throws<TypeError>(() => DatasetOps.MakeIterator.Build(tf.constant(1.0f), tf.data.Dataset.range(1).make_initializable_iterator()._iterator_resource));
        Assert.Contains("MakeIterator", m.Message);
        var z = Assert.Throws<ValueError>(() => DatasetOps.ZipDataset.Build([], [], []));
        Assert.Contains("ZipDataset", z.Message);
        var n = Assert.Throws<ValueError>(() => tf.data.Dataset.from_tensors(Array.Empty<Tensor>()));
        Assert.Contains("from_tensors needs at least one tensor", n.Message);
    }

    [Fact]
    public void PaddedShapesMustMatchTheElements()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.from_tensor_slices(new[,] { { 1, 2 }, { 3, 4 } });
        var e = Assert.Throws<ValueError>(() => ds.padded_batch(2, new Shape(-1, -1)));
        Assert.Contains("is not compatible with the corresponding input component shape", e.Message);
        var s = Assert.Throws<ValueError>(() => ds.padded_batch(2, (new Shape(-1), new Shape(-1))));
        Assert.Contains("do not match the element structure", s.Message);
    }

    [Fact]
    public void FeedableIteratorChecksTheTypesOfTheIteratorItNames()
    {
        using var g = TestGraph.Enter();
        var handle = tf.placeholder(tf.@string, Shape.Scalar);
        var next = tf.data.Iterator.from_string_handle(handle, tf.float32).get_next();
        var ints = tf.data.Dataset.range(3).make_one_shot_iterator();
        using var sess = tf.Session();
        var h = sess.run(ints.string_handle());
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(next, new FeedDict { [handle] = h }));
        Assert.Contains("Data type mismatch at component 0: expected float32 but got int64.", e.Message);
        Assert.StartsWith("IteratorFromStringHandleV2", e.NodeName);
    }
}
