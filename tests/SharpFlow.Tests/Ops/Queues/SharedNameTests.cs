using SharpFlow.FileIO.ReaderOps;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Queues;

/// <summary>
/// <c>shared_name</c> on queues and readers: ops with the same container and shared name share one resource in a
/// session (TensorFlow's ResourceMgr), each session has its own, and a shared queue asked for with another kind,
/// capacity, types or shapes fails with queue_base.cc's messages (fifo_queue_test.py's testIncompatibleSharedQueueErrors).
/// </summary>
public sealed class SharedNameTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-shared-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void QueuesWithOneSharedNameAreOneQueueInASession()
    {
        using var g = TestGraph.Enter();
        var q1 = tf.FIFOQueue(10, tf.float32, shared_name: "shared_queue", name: "q1");
        var q2 = tf.FIFOQueue(10, tf.float32, shared_name: "shared_queue", name: "q2");
        var unshared = tf.FIFOQueue(10, tf.float32, name: "q3");
        var enqueue = q1.enqueue(10f);
        using (var sess = tf.Session())
        {
            sess.run(enqueue);
            sess.run(q2.enqueue(20f));
            Assert.Equal(2, sess.run(q1.size()).item<int>());
            Assert.Equal(2, sess.run(q2.size()).item<int>());
            Assert.Equal(0, sess.run(unshared.size()).item<int>());
            Assert.Equal(10f, sess.run(q2.dequeue()).item<float>());
            Assert.Equal(20f, sess.run(q1.dequeue()).item<float>());
            sess.run(q1.close());
            Assert.True(sess.run(q2.is_closed()).item<bool>());
            Assert.Throws<OutOfRangeError>(() => sess.run(q2.dequeue()));
        }
        // Another session has its own queue of that name.
        using (var sess = tf.Session())
        {
            sess.run(enqueue);
            Assert.Equal(1, sess.run(q2.size()).item<int>());
            Assert.False(sess.run(q2.is_closed()).item<bool>());
        }
    }

    [Fact]
    public void EnqueuesAndDequeuesMeetThroughTheSharedQueueAcrossThreads()
    {
        using var g = TestGraph.Enter();
        var producer = tf.FIFOQueue(2, tf.int32, shared_name: "pipe", name: "producer");
        var consumer = tf.FIFOQueue(2, tf.int32, shared_name: "pipe", name: "consumer");
        var value = tf.placeholder(tf.int32, Shape.Scalar);
        var enqueue = producer.enqueue(value);
        var dequeue = consumer.dequeue();
        using var sess = tf.Session();
        var thread = Threads.Start(() =>
        {
            for (var i = 0; i < 6; i++) sess.run(enqueue, new FeedDict { [value] = NDArray.Scalar(i) });
        });
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, Enumerable.Range(0, 6).Select(_ => sess.run(dequeue).item<int>()).ToArray());
        Assert.Null(thread.Join());
    }

    [Fact]
    public void AnIncompatibleSharedQueueIsAnErrorNamingIt()
    {
        using var g = TestGraph.Enter();
        var first = tf.FIFOQueue(10, tf.float32, shapes: [new Shape(2)], shared_name: "q_a");
        var capacity = tf.FIFOQueue(15, tf.float32, shapes: [new Shape(2)], shared_name: "q_a", name: "other_capacity");
        var types = tf.FIFOQueue(10, tf.int32, shapes: [new Shape(2)], shared_name: "q_a", name: "other_types");
        var shapes = tf.FIFOQueue(10, tf.float32, shapes: [new Shape(3)], shared_name: "q_a", name: "other_shapes");
        var kind = tf.RandomShuffleQueue(10, 5, tf.float32, shapes: [new Shape(2)], shared_name: "q_a", name: "other_kind");
        using var sess = tf.Session();
        sess.run(first.queue_ref.op);
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(capacity.queue_ref.op));
        Assert.Contains("other_capacity", e.Message);
        Assert.Contains("Shared queue 'q_a' has capacity 10 but requested capacity was 15", e.Message);
        e = Assert.Throws<InvalidArgumentError>(() => sess.run(types.queue_ref.op));
        Assert.Contains("Shared queue 'q_a' has component types float but requested component types were int32", e.Message);
        e = Assert.Throws<InvalidArgumentError>(() => sess.run(shapes.queue_ref.op));
        Assert.Contains("Shared queue 'q_a' has component shapes [2] but requested component shapes were [3]", e.Message);
        e = Assert.Throws<InvalidArgumentError>(() => sess.run(kind.queue_ref.op));
        Assert.Contains("Shared queue 'q_a' has type 'FIFOQueue' that does not match type of Node 'other_kind': 'RandomShuffleQueue'", e.Message);
        // The queue that was made first is untouched.
        sess.run(first.enqueue(new[] { 1f, 2f }));
        Assert.Equal(1, sess.run(first.size()).item<int>());
    }

    [Fact]
    public void ReadersWithOneSharedNameAreOneReader()
    {
        using var g = TestGraph.Enter();
        var files = Enumerable.Range(0, 3).Select(i =>
        {
            var path = Path.Combine(_dir, $"file{i}.txt");
            File.WriteAllText(path, $"content {i}");
            return path;
        }).ToArray();
        ReaderBase Whole(string name, string shared) =>
            new(WholeFileReaderV2.Def.Create(name, sharedName: shared));
        var r1 = Whole("r1", "shared_reader");
        var r2 = Whole("r2", "shared_reader");
        var alone = tf.WholeFileReader(name: "alone");
        var other = new ReaderBase(TFRecordReaderV2.Def.Create("records", new Dictionary<string, object> { ["compression_type"] = "" }, sharedName: "shared_reader"));
        var queue = tf.FIFOQueue(3, tf.@string);
        using var sess = tf.Session();
        sess.run(queue.enqueue_many(tf.constant(NDArray.FromStrings(files))));
        sess.run(queue.close());
        var (key1, _) = r1.read(queue);
        var (key2, _) = r2.read(queue);
        Assert.Equal(files[0], System.Text.Encoding.UTF8.GetString(sess.run(key1).StringBytes()));
        Assert.Equal(files[1], System.Text.Encoding.UTF8.GetString(sess.run(key2).StringBytes()));
        Assert.Equal(2L, sess.run(r1.num_records_produced()).item<long>());
        // The first file is finished (the second is still open: a work unit completes when its end is found).
        Assert.Equal(1L, sess.run(r2.num_work_units_completed()).item<long>());
        Assert.Equal(0L, sess.run(alone.num_records_produced()).item<long>());
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(other.num_records_produced()));
        Assert.Contains("Shared reader 'shared_reader' was made by a WholeFileReaderV2 op, not a TFRecordReaderV2 like node 'records'", e.Message);
    }
}
