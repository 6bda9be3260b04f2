using SharpFlow.Tests.Ops.Queues;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Train.Input;

// After tensorflow/python/training/queue_runner_test.py.
public class QueueRunnerTests
{
    [Fact]
    public void RunsTheEnqueueOpUntilItsInputIsExhausted()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.constant(0L));
        var countUpTo = tf.count_up_to(v, 3);
        var queue = tf.FIFOQueue(10, tf.float32);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var qr = tf.train.QueueRunner(queue, [countUpTo.op]);
        var threads = qr.create_threads(sess);
        Assert.Equal(["QueueRunnerThread-fifo_queue-CountUpTo"], threads.Select(t => t.Name!));
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(Threads.Limit)));
        Assert.Empty(qr.exceptions_raised);
        Assert.Equal(3L, sess.run(v).item<long>());
    }

    [Fact]
    public void TwoOpsRunOnTwoThreads()
    {
        using var g = TestGraph.Enter();
        var v0 = tf.Variable(tf.constant(0L));
        var v1 = tf.Variable(tf.constant(0L));
        var c0 = tf.count_up_to(v0, 3);
        var c1 = tf.count_up_to(v1, 30);
        var queue = tf.FIFOQueue(10, tf.float32);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var qr = tf.train.QueueRunner(queue, [c0.op, c1.op]);
        var threads = qr.create_threads(sess, start: true);
        Assert.Equal(2, threads.Count);
        threads.ForEach(t => Assert.True(t.Join(Threads.Limit)));
        Assert.Equal(3L, sess.run(v0).item<long>());
        Assert.Equal(30L, sess.run(v1).item<long>());
        // Once both threads ended at their limits, the runner closed the queue.
        Assert.True(sess.run(queue.is_closed()).item<bool>());
    }

    [Fact]
    public void ExceptionsWithoutACoordinatorAreCaptured()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, Shape.Scalar);
        var queue = tf.FIFOQueue(10, tf.float32);
        var enq = queue.enqueue(x);
        using var sess = tf.Session();
        var qr = tf.train.QueueRunner(queue, [enq]);
        var threads = qr.create_threads(sess, start: true);
        threads.ForEach(t => Assert.True(t.Join(Threads.Limit)));
        var e = Assert.Single(qr.exceptions_raised);
        Assert.IsAssignableFrom<OpError>(e);
    }

    [Fact]
    public void AFailingEnqueueStopsTheCoordinatorWhichReRaises()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, Shape.Scalar);
        var queue = tf.FIFOQueue(10, tf.float32);
        var enq = queue.enqueue(x);
        using var sess = tf.Session();
        var coord = tf.train.Coordinator();
        var qr = tf.train.QueueRunner(queue, [enq]);
        var threads = qr.create_threads(sess, coord, start: true);
        Assert.Equal(2, threads.Count); // the enqueue thread and the close-on-stop thread
        Assert.True(coord.wait_for_stop(20));
        Assert.ThrowsAny<OpError>(() => coord.join(threads));
    }

    [Fact]
    public void AFailureReportedToAnAlreadyJoinedCoordinatorIsKeptNotThrownOnTheThread()
    {
        // A joined coordinator re-raises what it is given; on a runner thread that would end the whole process.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, Shape.Scalar);
        var queue = tf.FIFOQueue(10, tf.float32);
        using var sess = tf.Session();
        var coord = tf.train.Coordinator();
        coord.join();
        var qr = tf.train.QueueRunner(queue, [queue.enqueue(x)]);
        var threads = qr.create_threads(sess, coord, start: true);
        threads.ForEach(t => Assert.True(t.Join(Threads.Limit)));
        var e = Assert.Single(qr.exceptions_raised);
        Assert.IsAssignableFrom<OpError>(e);
    }

    [Fact]
    public void RequestStopCancelsTheBlockedEnqueue()
    {
        using var g = TestGraph.Enter();
        var queue = tf.FIFOQueue(2, tf.float32);
        var enq = queue.enqueue(1f);
        using var sess = tf.Session();
        var coord = tf.train.Coordinator();
        tf.train.add_queue_runner(tf.train.QueueRunner(queue, [enq]));
        var threads = tf.train.start_queue_runners(sess, coord);
        // The queue fills and the runner waits on the full queue.
        var deadline = DateTime.UtcNow + Threads.Limit;
        while (sess.run(queue.size()).item<int>() < 2 && DateTime.UtcNow < deadline) Thread.Sleep(5);
        coord.request_stop();
        coord.join(threads, stop_grace_period_secs: 20);
        Assert.All(threads, t => Assert.False(t.IsAlive));
        Assert.True(sess.run(queue.is_closed()).item<bool>());
    }

    [Fact]
    public void ClosingTheSessionEndsWaitingRunners()
    {
        using var g = TestGraph.Enter();
        var queue = tf.FIFOQueue(2, tf.float32);
        tf.train.add_queue_runner(tf.train.QueueRunner(queue, [queue.enqueue(1f), queue.enqueue(2f)]));
        var sess = tf.Session();
        var coord = tf.train.Coordinator();
        var threads = tf.train.start_queue_runners(sess, coord);
        Thread.Sleep(100);
        sess.close();
        Assert.All(threads, t => Assert.True(t.Join(Threads.Limit), $"{t.Name} did not end"));
        coord.join(threads);
    }

    [Fact]
    public void StartingTwiceInOneSessionStartsNothingNew()
    {
        using var g = TestGraph.Enter();
        var queue = tf.FIFOQueue(2, tf.float32);
        var qr = tf.train.QueueRunner(queue, [queue.enqueue(1f)]);
        using var sess = tf.Session();
        var threads = qr.create_threads(sess, start: true);
        Assert.Single(threads);
        Assert.Empty(qr.create_threads(sess, start: true));
        sess.run(queue.close(cancel_pending_enqueues: true));
        threads.ForEach(t => Assert.True(t.Join(Threads.Limit)));
    }

    [Fact]
    public void WithoutASessionThereIsNothingToStart()
    {
        using var g = TestGraph.Enter();
        Assert.Throws<ValueError>(() => tf.train.start_queue_runners());
    }
}
