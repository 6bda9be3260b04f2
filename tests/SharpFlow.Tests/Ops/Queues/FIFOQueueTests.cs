using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Queues;

// Expected values and messages follow tensorflow/python/kernel_tests/fifo_queue_test.py and
// tensorflow/core/kernels/fifo_queue.cc / queue_base.cc.
public class FIFOQueueTests
{
    [Fact]
    public void TheOpsAreNamedAsTensorFlowNamesThem()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32);
        Assert.Equal("FIFOQueueV2", q.queue_ref.op.type);
        Assert.Equal("fifo_queue", q.name);
        Assert.Equal(DType.resource, q.queue_ref.dtype);
        var enq = q.enqueue(10.0f);
        Assert.Equal("fifo_queue_enqueue", enq.name);
        Assert.Equal("QueueEnqueueV2", enq.type);
        Assert.Equal("fifo_queue_enqueue/component_0", enq.inputs[1].op.name);
        Assert.Equal("fifo_queue_Dequeue", q.dequeue().op.name);
        Assert.Equal("QueueDequeueManyV2", q.dequeue_many(2).op.type);
        Assert.Equal("fifo_queue_DequeueUpTo", q.dequeue_up_to(2).op.name);
        Assert.Equal("fifo_queue_Close", q.close().name);
        Assert.Equal("QueueSizeV2", q.size().op.type);
        Assert.Equal("fifo_queue_IsClosed", q.is_closed().op.name);
        Assert.Equal("fifo_queue_EnqueueMany", q.enqueue_many(new[] { 1f, 2f }).name);
        Assert.Equal("fifo_queue_1", tf.FIFOQueue(1, tf.int32).name);
    }

    [Fact]
    public void EnqueueAndDequeueInOrder()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32);
        var elems = new[] { 10.0f, 20.0f, 30.0f };
        var ops = elems.Select(x => q.enqueue(x)).ToList();
        var dequeued = q.dequeue();
        using var sess = tf.Session();
        foreach (var op in ops) sess.run(op);
        Assert.Equal(3, sess.run(q.size()).item<int>());
        foreach (var x in elems) Assert.Equal(x, sess.run(dequeued).item<float>());
        Assert.Equal(0, sess.run(q.size()).item<int>());
    }

    [Fact]
    public void MultiComponentEnqueueAndDequeue()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, [tf.int32, tf.float32], shapes: [Shape.Scalar, Shape.Scalar]);
        var elems = new[] { (5, 10.0f), (10, 20.0f), (15, 30.0f) };
        var ops = elems.Select(e => q.enqueue([e.Item1, e.Item2])).ToList();
        var (x, y) = q.dequeue_components();
        Assert.Equal(Shape.Scalar, x.shape);
        using var sess = tf.Session();
        foreach (var op in ops) sess.run(op);
        foreach (var (ex, ey) in elems)
        {
            var (vx, vy) = sess.run((x, y));
            Assert.Equal(ex, vx.item<int>());
            Assert.Equal(ey, vy.item<float>());
        }
    }

    [Fact]
    public void EnqueueManyAndDequeueMany()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32, shapes: [Shape.Scalar]);
        var elems = new[] { 10f, 20f, 30f, 40f, 50f, 60f, 70f, 80f, 90f, 100f };
        var enq = q.enqueue_many(elems);
        var deq = q.dequeue_many(4);
        Assert.Equal(new Shape(4), deq.shape);
        using var sess = tf.Session();
        sess.run(enq);
        AssertArray.Equal(elems[..4], sess.run(deq));
        AssertArray.Equal(elems[4..8], sess.run(deq));
        // Two left: dequeue_up_to after close returns them.
        var upTo = q.dequeue_up_to(4);
        Assert.Equal(new Shape(-1), upTo.shape);
        sess.run(q.close());
        AssertArray.Equal(elems[8..], sess.run(upTo));
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(upTo));
        Assert.Matches(@"^FIFOQueue '_\d+_fifo_queue' is closed and has insufficient elements \(requested 4, current size 0\)$", e.RawMessage);
        Assert.Equal("fifo_queue_DequeueUpTo", e.NodeName);
    }

    [Fact]
    public void EnqueueManyOfMultiDimensionalComponents()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, [tf.int32, tf.int32], shapes: [Shape.Scalar, new Shape(2)]);
        var enq = q.enqueue_many([new[] { 1, 2, 3 }, new[,] { { 1, 1 }, { 2, 2 }, { 3, 3 } }]);
        var (a, b) = q.dequeue_many_components(3);
        Assert.Equal(new Shape(3, 2), b.shape);
        using var sess = tf.Session();
        sess.run(enq);
        var (va, vb) = sess.run((a, b));
        AssertArray.Equal(new[] { 1, 2, 3 }, va);
        AssertArray.Equal(new[] { 1, 1, 2, 2, 3, 3 }, vb);
    }

    [Fact]
    public void DequeueManyWithAComputedCount()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(100, tf.int32, shapes: [Shape.Scalar]);
        var n = tf.placeholder(tf.int32, Shape.Scalar);
        var deq = q.dequeue_many(n);
        Assert.Equal(new Shape(-1), deq.shape);
        using var sess = tf.Session();
        sess.run(q.enqueue_many(Enumerable.Range(0, 100).ToArray()));
        var total = 0;
        var next = 0;
        foreach (var count in new[] { 1, 5, 13, 0, 20 })
        {
            var v = sess.run(deq, new FeedDict { [n] = count });
            Assert.Equal(new Shape(count), v.shape);
            AssertArray.Equal(Enumerable.Range(next, count).ToArray(), v);
            next += count;
            total += count;
        }
        Assert.Equal(100 - total, sess.run(q.size()).item<int>());
    }

    [Fact]
    public void DequeueManyNeedsShapes()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32);
        var deq = q.dequeue_many(1);
        using var sess = tf.Session();
        sess.run(q.enqueue(1f));
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(deq));
        Assert.Equal("FIFOQueue's DequeueMany and DequeueUpTo require the components to have specified shapes.", e.RawMessage);
        Assert.Equal("fifo_queue_DequeueMany", e.NodeName);
    }

    [Fact]
    public void DequeueOfAClosedEmptyQueueIsOutOfRange()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32);
        var deq = q.dequeue();
        using var sess = tf.Session();
        sess.run(q.enqueue(1f));
        sess.run(q.close());
        Assert.True(sess.run(q.is_closed()).item<bool>());
        Assert.Equal(1f, sess.run(deq).item<float>());
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(deq));
        Assert.Matches(@"^FIFOQueue '_\d+_fifo_queue' is closed and has insufficient elements \(requested 1, current size 0\)$", e.RawMessage);
        Assert.Equal("fifo_queue_Dequeue", e.NodeName);
    }

    [Fact]
    public void DequeueManyOfAClosedQueueWithTooFewElementsIsOutOfRange()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32, shapes: [Shape.Scalar]);
        using var sess = tf.Session();
        sess.run(q.enqueue_many(new[] { 10f, 20f, 30f }));
        sess.run(q.close());
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(q.dequeue_many(4)));
        Assert.Contains("is closed and has insufficient elements (requested 4, current size 3)", e.RawMessage);
        // Nothing was lost: the three elements are still there.
        AssertArray.Equal(new[] { 10f, 20f, 30f }, sess.run(q.dequeue_many(3)));
    }

    [Fact]
    public void EnqueueToAClosedQueueIsCancelled()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32);
        var enq = q.enqueue(10f);
        using var sess = tf.Session();
        sess.run(q.close());
        var e = Assert.Throws<CancelledError>(() => sess.run(enq));
        Assert.Matches(@"^FIFOQueue '_\d+_fifo_queue' is closed\.$", e.RawMessage);
        Assert.Equal("fifo_queue_enqueue", e.NodeName);
        Assert.Equal("CANCELLED", e.error_code);
        // A second close says the queue is already closed.
        var again = Assert.Throws<CancelledError>(() => sess.run(q.close()));
        Assert.Matches(@"^Queue '_\d+_fifo_queue' is already closed\.$", again.RawMessage);
    }

    [Fact]
    public void ASharedNameNamesTheQueue()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32, shared_name: "shared_q");
        using var sess = tf.Session();
        sess.run(q.close());
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(q.dequeue()));
        Assert.Equal("FIFOQueue 'shared_q' is closed and has insufficient elements (requested 1, current size 0)", e.RawMessage);
    }

    [Fact]
    public void DequeueWaitsForAnEnqueue()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32);
        var enq = q.enqueue(10f);
        var deq = q.dequeue();
        using var sess = tf.Session();
        float got = 0;
        var t = Threads.Start(() => got = sess.run(deq).item<float>());
        Threads.AssertStaysBlocked(t);
        sess.run(enq);
        t.JoinOk();
        Assert.Equal(10f, got);
    }

    [Fact]
    public void EnqueueWaitsWhileTheQueueIsFull()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(4, tf.float32, shapes: [Shape.Scalar]);
        var deq = q.dequeue();
        using var sess = tf.Session();
        sess.run(q.enqueue_many(new[] { 10f, 20f, 30f, 40f }));
        var t = Threads.Start(() => sess.run(q.enqueue(50f)));
        Threads.AssertStaysBlocked(t);
        Assert.Equal(10f, sess.run(deq).item<float>());
        t.JoinOk();
        foreach (var x in new[] { 20f, 30f, 40f, 50f }) Assert.Equal(x, sess.run(deq).item<float>());
    }

    [Fact]
    public void EnqueueManyLargerThanTheCapacityGoesInAsRoomAppears()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(3, tf.int32, shapes: [Shape.Scalar]);
        var deq = q.dequeue();
        using var sess = tf.Session();
        var enq = q.enqueue_many(Enumerable.Range(0, 10).ToArray());
        var t = Threads.Start(() => sess.run(enq));
        var got = Enumerable.Range(0, 10).Select(_ => sess.run(deq).item<int>()).ToArray();
        t.JoinOk();
        Assert.Equal(Enumerable.Range(0, 10), got);
    }

    [Fact]
    public void DequeueManyLargerThanTheCapacityTakesElementsAsTheyArrive()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(2, tf.int32, shapes: [Shape.Scalar]);
        var deq = q.dequeue_many(6);
        var x = tf.placeholder(tf.int32, Shape.Scalar);
        var enq = q.enqueue(x);
        using var sess = tf.Session();
        NDArray? got = null;
        var t = Threads.Start(() => got = sess.run(deq));
        for (var i = 0; i < 6; i++) sess.run(enq, new FeedDict { [x] = i });
        t.JoinOk();
        AssertArray.Equal(new[] { 0, 1, 2, 3, 4, 5 }, got!);
    }

    [Fact]
    public void CloseWaitsBehindBlockedEnqueues()
    {
        // fifo_queue_test.testBlockingEnqueueBeforeClose: the close completes only after the blocked enqueue.
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(4, tf.float32, shapes: [Shape.Scalar]);
        var deq = q.dequeue();
        using var sess = tf.Session();
        sess.run(q.enqueue_many(new[] { 10f, 20f, 30f, 40f }));
        var enqueue = Threads.Start(() => sess.run(q.enqueue(50f)));
        Threads.AssertStaysBlocked(enqueue);
        var close = Threads.Start(() => sess.run(q.close()));
        Threads.AssertStaysBlocked(close);
        Assert.Equal(10f, sess.run(deq).item<float>());
        enqueue.JoinOk();
        close.JoinOk();
        foreach (var v in new[] { 20f, 30f, 40f, 50f }) Assert.Equal(v, sess.run(deq).item<float>());
        Assert.Throws<OutOfRangeError>(() => sess.run(deq));
    }

    [Fact]
    public void CloseWithCancelPendingEnqueuesCancelsThem()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(4, tf.float32, shapes: [Shape.Scalar]);
        var deq = q.dequeue();
        using var sess = tf.Session();
        sess.run(q.enqueue_many(new[] { 10f, 20f, 30f, 40f }));
        var enqueue = Threads.Start(() => sess.run(q.enqueue(50f)));
        Threads.AssertStaysBlocked(enqueue);
        sess.run(q.close(cancel_pending_enqueues: true));
        var e = Assert.IsType<CancelledError>(enqueue.Join());
        Assert.Equal("Enqueue operation was cancelled", e.RawMessage);
        foreach (var v in new[] { 10f, 20f, 30f, 40f }) Assert.Equal(v, sess.run(deq).item<float>());
        Assert.Throws<OutOfRangeError>(() => sess.run(deq));
    }

    [Fact]
    public void CloseWakesABlockedDequeueWithOutOfRange()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32);
        var deq = q.dequeue();
        using var sess = tf.Session();
        var t = Threads.Start(() => sess.run(deq));
        Threads.AssertStaysBlocked(t);
        sess.run(q.close());
        Assert.IsType<OutOfRangeError>(t.Join());
    }

    [Fact]
    public void DequeueUpToWaitingBeforeCloseGetsWhatIsLeft()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32, shapes: [Shape.Scalar]);
        var deq = q.dequeue_up_to(4);
        using var sess = tf.Session();
        sess.run(q.enqueue_many(new[] { 10f, 20f, 30f }));
        NDArray? got = null;
        var t = Threads.Start(() => got = sess.run(deq));
        Threads.AssertStaysBlocked(t);
        sess.run(q.close());
        t.JoinOk();
        AssertArray.Equal(new[] { 10f, 20f, 30f }, got!);
    }

    [Fact]
    public void ClosingTheSessionCancelsBlockedThreads()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(1, tf.float32);
        var deq = q.dequeue();
        var enq = q.enqueue(1f);
        var sess = tf.Session();
        var waiting = Threads.Start(() => sess.run(deq));
        Threads.AssertStaysBlocked(waiting);
        sess.close();
        Assert.IsType<CancelledError>(waiting.Join());
        var sess2 = tf.Session();
        sess2.run(enq);
        var full = Threads.Start(() => sess2.run(enq));
        Threads.AssertStaysBlocked(full);
        sess2.close();
        var e = Assert.IsType<CancelledError>(full.Join());
        Assert.Equal("Enqueue operation was cancelled", e.RawMessage);
    }

    [Fact]
    public void EachSessionHasItsOwnQueue()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.int32);
        using var a = tf.Session();
        using var b = tf.Session();
        a.run(q.enqueue(1));
        Assert.Equal(1, a.run(q.size()).item<int>());
        Assert.Equal(0, b.run(q.size()).item<int>());
    }

    [Fact]
    public void NamedQueuesTakeAndGiveDictionaries()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, [tf.int32, tf.float32], shapes: [Shape.Scalar, Shape.Scalar], names: ["i", "f"]);
        var enq = q.enqueue(new Dictionary<string, TensorLike> { ["f"] = 2.5f, ["i"] = 7 });
        var deq = q.dequeue_dict();
        using var sess = tf.Session();
        sess.run(enq);
        var (i, f) = sess.run((deq["i"], deq["f"]));
        Assert.Equal(7, i.item<int>());
        Assert.Equal(2.5f, f.item<float>());
        Assert.Throws<ValueError>(() => q.enqueue([1, 2f]));
        Assert.Throws<ValueError>(() => q.enqueue(new Dictionary<string, TensorLike> { ["x"] = 1, ["f"] = 2f }));
    }

    [Fact]
    public void StringsGoThroughAQueue()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.@string, shapes: [Shape.Scalar]);
        using var sess = tf.Session();
        sess.run(q.enqueue_many(NDArray.FromStrings(["a", "bb", "ccc"], new Shape(3))));
        Assert.Equal("a", System.Text.Encoding.UTF8.GetString(sess.run(q.dequeue()).StringBytes()));
        var two = sess.run(q.dequeue_many(2));
        Assert.Equal("bb", System.Text.Encoding.UTF8.GetString(two.StringBytes(0)));
        Assert.Equal("ccc", System.Text.Encoding.UTF8.GetString(two.StringBytes(1)));
    }

    [Fact]
    public void BuildTimeChecksRaiseValueErrors()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32, shapes: [new Shape(2)]);
        Assert.Contains("not compatible", Assert.Throws<ValueError>(() => q.enqueue(new[] { 1f, 2f, 3f })).Message);
        Assert.Contains("not compatible", Assert.Throws<ValueError>(() => q.enqueue_many(new[] { 1f, 2f })).Message);
        Assert.Throws<TypeError>(() => q.enqueue(new[] { true, false }));
        Assert.Throws<ValueError>(() => tf.FIFOQueue(10, [tf.float32, tf.int32], shapes: [Shape.Scalar]));
        var two = tf.FIFOQueue(10, [tf.float32, tf.int32]);
        Assert.Contains("use the *_components form", Assert.Throws<ValueError>(() => two.dequeue()).Message);
    }

    [Fact]
    public void RunTimeShapeMismatchesNameTheOp()
    {
        using var g = TestGraph.Enter();
        var q = tf.FIFOQueue(10, tf.float32, shapes: [new Shape(2)]);
        var x = tf.placeholder(tf.float32);
        var enq = q.enqueue(x);
        var many = q.enqueue_many(x);
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(enq, new FeedDict { [x] = new[] { 1f, 2f, 3f } }));
        Assert.Equal("Shape mismatch in tuple component 0. Expected [2], got [3]", e.RawMessage);
        Assert.Equal("fifo_queue_enqueue", e.NodeName);
        var m = Assert.Throws<InvalidArgumentError>(() => sess.run(many, new FeedDict { [x] = new[] { 1f, 2f, 3f } }));
        Assert.Equal("Shape mismatch in tuple component 0. Expected [3,2], got [3]", m.RawMessage);
        Assert.Equal("fifo_queue_EnqueueMany", m.NodeName);

        var loose = tf.FIFOQueue(10, [tf.float32, tf.float32]);
        var a = tf.placeholder(tf.float32);
        var b = tf.placeholder(tf.float32);
        var looseMany = loose.enqueue_many([a, b]);
        var lm = Assert.Throws<InvalidArgumentError>(() => sess.run(looseMany, new FeedDict { [a] = new[] { 1f, 2f }, [b] = new[] { 1f } }));
        Assert.Equal("All input tensors must have the same size in the 0th dimension. Component 1 has 1, and should have 2", lm.RawMessage);
    }
}
