using SharpFlow.FileIO;
using System.IO.Compression;
using System.Text;
using SharpFlow.Summaries;

namespace SharpFlow.Tests.Data.Pipeline;

/// <summary>
/// The four kinds of TensorFlow 1.x iterators (one-shot, initializable, reinitializable, feedable), their errors,
/// the session-lived iterator state and its end with the session, the file datasets, and training from a dataset.
/// </summary>
public class IteratorTests
{
    [Fact]
    public void InitializableIteratorRerunsTheDatasetOpsWithFedParameters()
    {
        using var g = TestGraph.Enter();
        // iterator_ops_test / the programmer's guide: range(max_value) with a placeholder.
        var max = tf.placeholder(tf.int64, Shape.Scalar);
        var it = tf.data.Dataset.range(max).make_initializable_iterator();
        Assert.Equal("MakeIterator", it.initializer.type);
        Assert.Equal("IteratorV2", it._iterator_resource.op.type);
        var next = it.get_next();
        using var sess = tf.Session();
        sess.run(it.initializer, new FeedDict { [max] = NDArray.Scalar(3L) });
        Assert.Equal([0L, 1, 2], DatasetTests.Longs(sess, next));
        sess.run(it.initializer, new FeedDict { [max] = NDArray.Scalar(5L) });
        Assert.Equal(0L, sess.run(next).ToArray<long>()[0]);
        // A second initialisation starts again from the first element.
        sess.run(it.initializer, new FeedDict { [max] = NDArray.Scalar(2L) });
        Assert.Equal([0L, 1], DatasetTests.Longs(sess, next));
    }

    [Fact]
    public void GetNextBeforeTheInitializerIsAFailedPrecondition()
    {
        using var g = TestGraph.Enter();
        var it = tf.data.Dataset.range(3).make_initializable_iterator();
        var next = it.get_next();
        using var sess = tf.Session();
        var e = Assert.Throws<FailedPreconditionError>(() => sess.run(next));
        Assert.Contains("GetNext() failed because the iterator has not been initialized.", e.Message);
        Assert.StartsWith("IteratorGetNext", e.NodeName);
        // The iterator lives in the session: another session has its own, uninitialised one.
        sess.run(it.initializer);
        Assert.Equal(0L, sess.run(next).ToArray<long>()[0]);
        using var other = tf.Session();
        Assert.Throws<FailedPreconditionError>(() => other.run(next));
        Assert.Equal(1L, sess.run(next).ToArray<long>()[0]);
        Assert.Throws<ValueError>(() => tf.data.Dataset.range(3).make_one_shot_iterator().initializer);
    }

    [Fact]
    public void ReinitializableIteratorSwitchesBetweenDatasets()
    {
        using var g = TestGraph.Enter();
        var training = tf.data.Dataset.range(100).map(x => x + tf.random_uniform(Shape.Scalar, -10, 10, dtype: tf.int64));
        var validation = tf.data.Dataset.range(50);
        var it = tf.data.Iterator.from_structure(training.output_types, training.output_shapes);
        var next = it.get_next();
        var trainingInit = it.make_initializer(training);
        var validationInit = it.make_initializer(validation);
        using var sess = tf.Session();
        for (var epoch = 0; epoch < 2; epoch++)
        {
            sess.run(trainingInit);
            for (var i = 0; i < 100; i++) sess.run(next);
            Assert.Throws<OutOfRangeError>(() => sess.run(next));
            sess.run(validationInit);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), DatasetTests.Longs(sess, next));
        }
        var e = Assert.Throws<TypeError>(() => it.make_initializer(tf.data.Dataset.from_tensor_slices(new[] { 1, 2 })));
        Assert.Contains("Expected output types (tf.int64) but got dataset with output types (tf.int32)", e.Message);
    }

    [Fact]
    public void FeedableIteratorReadsTheIteratorItsHandleNames()
    {
        using var g = TestGraph.Enter();
        var training = tf.data.Dataset.range(1000).repeat();
        var validation = tf.data.Dataset.range(100, 103);
        var handle = tf.placeholder(tf.@string, Shape.Scalar);
        var it = tf.data.Iterator.from_string_handle(handle, training.output_types, training.output_shapes);
        var next = it.get_next();
        var trainingIt = training.make_one_shot_iterator();
        var validationIt = validation.make_initializable_iterator();
        using var sess = tf.Session();
        var trainingHandle = sess.run(trainingIt.string_handle());
        var validationHandle = sess.run(validationIt.string_handle());
        Assert.Equal(DType.@string, trainingHandle.dtype);
        FeedDict On(NDArray h) => new() { [handle] = h };
        Assert.Equal(0L, sess.run(next, On(trainingHandle)).ToArray<long>()[0]);
        Assert.Equal(1L, sess.run(next, On(trainingHandle)).ToArray<long>()[0]);
        sess.run(validationIt.initializer);
        Assert.Equal(100L, sess.run(next, On(validationHandle)).ToArray<long>()[0]);
        // Training goes on where it was.
        Assert.Equal(2L, sess.run(next, On(trainingHandle)).ToArray<long>()[0]);
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(next, On(NDArray.FromStrings(["no such iterator"]))));
        Assert.StartsWith("IteratorFromStringHandleV2", e.NodeName);
    }

    [Fact]
    public void TFRecordDatasetReadsPlainAndCompressedFiles()
    {
        using var g = TestGraph.Enter();
        var dir = Directory.CreateTempSubdirectory("sharpflow-tfrecord");
        try
        {
            var plain = Path.Combine(dir.FullName, "a.tfrecord");
            using (var f = File.Create(plain))
                for (var i = 0; i < 3; i++) TFRecord.Write(f, Encoding.UTF8.GetBytes($"record {i}"));
            var gz = Path.Combine(dir.FullName, "b.tfrecord.gz");
            using (var f = File.Create(gz))
            using (var z = new GZipStream(f, CompressionLevel.Fastest))
                for (var i = 0; i < 2; i++) TFRecord.Write(z, Encoding.UTF8.GetBytes($"zipped {i}"));
            var next = new tf.data.TFRecordDataset(new[] { plain, plain }).make_one_shot_iterator().get_next();
            var nextGz = new tf.data.TFRecordDataset(gz, compression_type: "GZIP").make_one_shot_iterator().get_next();
            using var sess = tf.Session();
            var got = DatasetTests.All(sess, next).Select(v => Encoding.UTF8.GetString(v.StringBytes())).ToList();
            Assert.Equal(["record 0", "record 1", "record 2", "record 0", "record 1", "record 2"], got);
            Assert.Equal(["zipped 0", "zipped 1"], DatasetTests.All(sess, nextGz).Select(v => Encoding.UTF8.GetString(v.StringBytes())));

            var corrupt = Path.Combine(dir.FullName, "c.tfrecord");
            var bytes = File.ReadAllBytes(plain);
            bytes[14] ^= 0xFF;
            File.WriteAllBytes(corrupt, bytes);
            var nextCorrupt = new tf.data.TFRecordDataset(corrupt).make_one_shot_iterator().get_next();
            var e = Assert.Throws<DataLossError>(() => sess.run(nextCorrupt));
            Assert.Contains("c.tfrecord", e.Message);
            Assert.StartsWith("TFRecordDataset", e.NodeName);
            var missing = new tf.data.TFRecordDataset(Path.Combine(dir.FullName, "missing")).make_one_shot_iterator().get_next();
            Assert.Throws<NotFoundError>(() => sess.run(missing));
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void TextLineAndFixedLengthRecordDatasets()
    {
        using var g = TestGraph.Enter();
        var dir = Directory.CreateTempSubdirectory("sharpflow-text");
        try
        {
            var a = Path.Combine(dir.FullName, "a.txt");
            File.WriteAllText(a, "first\nsecond\r\n\nlast without newline");
            var b = Path.Combine(dir.FullName, "b.txt");
            File.WriteAllText(b, "other\n");
            var lines = new tf.data.TextLineDataset(new[] { a, b }).make_one_shot_iterator().get_next();
            var fixedPath = Path.Combine(dir.FullName, "fixed.bin");
            // header "HH", three records of 3 bytes, footer "F", and two stray bytes before the footer.
            File.WriteAllBytes(fixedPath, Encoding.ASCII.GetBytes("HHabcdefghixyF"));
            var records = new tf.data.FixedLengthRecordDataset(fixedPath, record_bytes: 3, header_bytes: 2, footer_bytes: 1).make_one_shot_iterator().get_next();
            using var sess = tf.Session();
            Assert.Equal(["first", "second", "", "last without newline", "other"],
                DatasetTests.All(sess, lines).Select(v => Encoding.UTF8.GetString(v.StringBytes())));
            Assert.Equal(["abc", "def", "ghi"], DatasetTests.All(sess, records).Select(v => Encoding.ASCII.GetString(v.StringBytes())));
            var bad = new tf.data.FixedLengthRecordDataset(fixedPath, record_bytes: 0).make_one_shot_iterator().get_next();
            var e = Assert.Throws<FailedPreconditionError>(() => sess.run(bad));
            Assert.Contains("`record_bytes` must be > 0", e.Message);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void TextLinesMapToNumbersThroughAStringFunction()
    {
        using var g = TestGraph.Enter();
        var ds = tf.data.Dataset.from_tensor_slices(new[] { "a", "bb", "ccc" }).batch(2);
        var next = ds.make_one_shot_iterator().get_next();
        using var sess = tf.Session();
        var first = sess.run(next);
        Assert.Equal(new Shape(2), first.shape);
        Assert.Equal("bb", Encoding.UTF8.GetString(first.StringBytes(1)));
    }

    [Fact]
    public void TrainsALinearModelFromADatasetUntilOutOfRange()
    {
        using var g = TestGraph.Enter();
        g.Graph.seed = 1;
        var xs = Enumerable.Range(0, 64).Select(i => i / 32f - 1f).ToArray();
        var ys = xs.Select(x => 2f * x + 1f).ToArray();
        var ds = tf.data.Dataset.from_tensor_slices((xs, ys)).shuffle(64).batch(8).repeat(30);
        var (x, y) = ds.make_one_shot_iterator().get_next();
        var w = tf.Variable(0f, name: "w");
        var b = tf.Variable(0f, name: "b");
        var loss = tf.reduce_mean(tf.square(x * w + b - y));
        var train = tf.train.GradientDescentOptimizer(0.1).minimize(loss);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var steps = 0;
        float last = float.NaN;
        while (true)
        {
            try { last = sess.run((train, loss)).Item2.ToArray<float>()[0]; }
            catch (OutOfRangeError) { break; }
            steps++;
        }
        Assert.Equal(8 * 30, steps);
        Assert.True(last < 1e-3, $"final loss {last}");
        Assert.Equal(2f, sess.run(w).ToArray<float>()[0], 0.05f);
    }
}

/// <summary>Runs alone: it counts the process's prefetch threads.</summary>
[CollectionDefinition("tf.data threads", DisableParallelization = true)]
public sealed class PipelineThreadsGroup;

/// <summary>Background threads of a pipeline end with their session.</summary>
[Collection("tf.data threads")]
public class PipelineThreadTests
{
    [Fact]
    public async Task ClosingTheSessionStopsPrefetchThreadsWithoutHanging()
    {
        using var g = TestGraph.Enter();
        // An endless pipeline whose prefetch thread is blocked on its full buffer.
        var next = tf.data.Dataset.range(10).repeat().map(x => x * 2L).prefetch(2).make_one_shot_iterator().get_next();
        var sess = tf.Session();
        Assert.Equal(0L, sess.run(next).ToArray<long>()[0]);
        await Task.Delay(50);
        var threadsBefore = PrefetchThreads();
        Assert.True(threadsBefore >= 1);
        var close = Task.Run(sess.close);
        Assert.Same(close, await Task.WhenAny(close, Task.Delay(TimeSpan.FromSeconds(20))));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (PrefetchThreads() >= threadsBefore && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(PrefetchThreads() < threadsBefore, "the prefetch thread outlived its session");
        Assert.Throws<FailedPreconditionError>(() => sess.run(next));
    }

    private static int PrefetchThreads() => SharpFlow.Data.Pipeline.PrefetchDataset.LiveThreads;

}
