using System.Text;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Queues;

// After tensorflow/python/kernel_tests/random_shuffle_queue_test.py and padding_fifo_queue_test.py.
public class RandomShuffleAndPaddingQueueTests
{
    [Fact]
    public void RandomShuffleQueueGivesEveryElementOnce()
    {
        using var g = TestGraph.Enter();
        var q = tf.RandomShuffleQueue(10, 0, tf.float32, shapes: [Shape.Scalar], seed: 42);
        Assert.Equal("RandomShuffleQueueV2", q.queue_ref.op.type);
        Assert.Equal("random_shuffle_queue", q.name);
        var elems = new[] { 10f, 20f, 30f, 40f, 50f, 60f, 70f, 80f };
        using var sess = tf.Session();
        sess.run(q.enqueue_many(elems));
        var got = Enumerable.Range(0, 8).Select(_ => sess.run(q.dequeue()).item<float>()).ToArray();
        Assert.Equal(elems, got.Order());
        Assert.NotEqual(elems, got);
    }

    [Fact]
    public void TheSameSeedGivesTheSameOrder()
    {
        float[] Order()
        {
            using var g = TestGraph.Enter();
            var q = tf.RandomShuffleQueue(100, 0, tf.float32, shapes: [Shape.Scalar], seed: 1234);
            using var sess = tf.Session();
            sess.run(q.enqueue_many(Enumerable.Range(0, 50).Select(i => (float)i).ToArray()));
            return sess.run(q.dequeue_many(50)).ToArray<float>();
        }
        var first = Order();
        Assert.Equal(first, Order());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (float)i), first.Order());
    }

    [Fact]
    public void MinAfterDequeueHoldsElementsBackUntilClose()
    {
        using var g = TestGraph.Enter();
        var q = tf.RandomShuffleQueue(10, 2, tf.int32, shapes: [Shape.Scalar], seed: 7);
        var deq = q.dequeue();
        using var sess = tf.Session();
        sess.run(q.enqueue_many(new[] { 1, 2, 3 }));
        var first = sess.run(deq).item<int>();
        // Two left, which min_after_dequeue keeps: the next dequeue waits.
        var second = 0;
        var t = Threads.Start(() => second = sess.run(deq).item<int>());
        Threads.AssertStaysBlocked(t);
        sess.run(q.close());
        t.JoinOk();
        var third = sess.run(deq).item<int>();
        Assert.Equal(new[] { 1, 2, 3 }, new[] { first, second, third }.Order());
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(deq));
        Assert.Matches(@"^RandomShuffleQueue '_\d+_random_shuffle_queue' is closed and has insufficient elements \(requested 1, current size 0\)$", e.RawMessage);
    }

    [Fact]
    public void DequeueUpToOfAClosedShuffleQueueTakesTheRest()
    {
        using var g = TestGraph.Enter();
        var q = tf.RandomShuffleQueue(10, 4, tf.int32, shapes: [Shape.Scalar]);
        using var sess = tf.Session();
        sess.run(q.enqueue_many(new[] { 1, 2, 3 }));
        sess.run(q.close());
        Assert.Equal(new[] { 1, 2, 3 }, sess.run(q.dequeue_up_to(5)).ToArray<int>().Order());
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(q.dequeue_many(2)));
        Assert.Contains("(requested 2, current size 0)", e.RawMessage);
    }

    [Fact]
    public void MinAfterDequeueMustBeBelowTheCapacity()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.RandomShuffleQueue(5, 5, tf.float32));
        Assert.Contains("RandomShuffleQueueV2", e.Message);
        Assert.Contains("min_after_dequeue 5 must be < capacity 5", e.Message);
    }

    [Fact]
    public void PaddingQueuePadsEachBatchToItsLongestElement()
    {
        using var g = TestGraph.Enter();
        var q = tf.PaddingFIFOQueue(10, [tf.int32, tf.float32], [new Shape(-1), new Shape(2, -1)]);
        Assert.Equal("PaddingFIFOQueueV2", q.queue_ref.op.type);
        var x = tf.placeholder(tf.int32, new Shape(-1));
        var y = tf.placeholder(tf.float32, new Shape(2, -1));
        var enq = q.enqueue([x, y]);
        var (a, b) = q.dequeue_many_components(3);
        Assert.Equal(new Shape(3, -1), a.shape);
        Assert.Equal(new Shape(3, 2, -1), b.shape);
        using var sess = tf.Session();
        sess.run(enq, new FeedDict { [x] = new[] { 1, 2 }, [y] = new[,] { { 1f }, { 2f } } });
        sess.run(enq, new FeedDict { [x] = new[] { 3 }, [y] = new[,] { { 3f, 4f, 5f }, { 6f, 7f, 8f } } });
        sess.run(enq, new FeedDict { [x] = new[] { 4, 5, 6 }, [y] = new float[2, 0] });
        var (va, vb) = sess.run((a, b));
        Assert.Equal(new Shape(3, 3), va.shape);
        AssertArray.Equal(new[] { 1, 2, 0, 3, 0, 0, 4, 5, 6 }, va);
        Assert.Equal(new Shape(3, 2, 3), vb.shape);
        AssertArray.Equal(new[] { 1f, 0, 0, 2, 0, 0, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0 }, vb);
    }

    [Fact]
    public void PaddingQueuePadsStringsWithEmptyStrings()
    {
        using var g = TestGraph.Enter();
        var q = tf.PaddingFIFOQueue(10, [tf.@string], [new Shape(-1)]);
        var s = tf.placeholder(tf.@string, new Shape(-1));
        var enq = q.enqueue([s]);
        using var sess = tf.Session();
        sess.run(enq, new FeedDict { [s] = NDArray.FromStrings(["a", "b"], new Shape(2)) });
        sess.run(enq, new FeedDict { [s] = NDArray.FromStrings(["c"], new Shape(1)) });
        var batch = sess.run(q.dequeue_many(2));
        Assert.Equal(new[] { "a", "b", "c", "" }, Enumerable.Range(0, 4).Select(i => Encoding.UTF8.GetString(batch.StringBytes(i))));
    }

    [Fact]
    public void PaddingQueueNeedsShapesOfKnownRank()
    {
        using var g = TestGraph.Enter();
        Assert.Throws<ValueError>(() => tf.PaddingFIFOQueue(10, [tf.int32], null!));
        Assert.Throws<ValueError>(() => tf.PaddingFIFOQueue(10, [tf.int32, tf.int32], [new Shape(-1)]));
        Assert.Contains("known rank", Assert.Throws<ValueError>(() => tf.PaddingFIFOQueue(10, [tf.int32], [Shape.Unknown])).Message);
        // A plain FIFO queue needs fully defined shapes.
        Assert.Contains("fully defined", Assert.Throws<ValueError>(() => tf.FIFOQueue(10, [tf.int32], [new Shape(-1)])).Message);
    }

    [Fact]
    public void PaddingQueueChecksRanksAtRunTime()
    {
        using var g = TestGraph.Enter();
        var q = tf.PaddingFIFOQueue(10, [tf.int32], [new Shape(-1)]);
        var x = tf.placeholder(tf.int32);
        var enq = q.enqueue(x);
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(enq, new FeedDict { [x] = new[,] { { 1 } } }));
        Assert.Equal("Shape mismatch in tuple component 0. Expected [?], got [1,1]", e.RawMessage);
        Assert.Equal("padding_fifo_queue_enqueue", e.NodeName);
    }
}
