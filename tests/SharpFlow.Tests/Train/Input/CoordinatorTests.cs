using SharpFlow.Tests.Ops.Queues;

namespace SharpFlow.Tests.Train.Input;

// After tensorflow/python/training/coordinator_test.py.
public class CoordinatorTests
{
    [Fact]
    public void StopApi()
    {
        var coord = tf.train.Coordinator();
        Assert.False(coord.should_stop());
        Assert.False(coord.wait_for_stop(0.01));
        coord.request_stop();
        Assert.True(coord.should_stop());
        Assert.True(coord.wait_for_stop(0.01));
        coord.clear_stop();
        Assert.False(coord.should_stop());
    }

    [Fact]
    public void AThreadCanRequestTheStop()
    {
        var coord = tf.train.Coordinator();
        var waiter = Threads.Start(() => Assert.True(coord.wait_for_stop()));
        Threads.AssertStaysBlocked(waiter);
        var stopper = new Thread(() => coord.request_stop());
        stopper.Start();
        waiter.JoinOk();
        coord.join([stopper]);
        Assert.True(coord.joined);
    }

    [Fact]
    public void JoinWaitsForThreadsThatEndByThemselves()
    {
        var coord = tf.train.Coordinator();
        var threads = Enumerable.Range(0, 3).Select(i => new Thread(() => Thread.Sleep(20 * i))).ToList();
        threads.ForEach(t => t.Start());
        coord.join(threads);
        Assert.All(threads, t => Assert.False(t.IsAlive));
    }

    [Fact]
    public void JoinRaisesTheFirstReportedException()
    {
        var coord = tf.train.Coordinator();
        var first = new Thread(() => coord.stop_on_exception(() => throw new InvalidArgumentError("First")));
        first.Start();
        first.Join();
        var second = new Thread(() => coord.stop_on_exception(() => throw new ValueError("Second")));
        second.Start();
        var e = Assert.Throws<InvalidArgumentError>(() => coord.join([first, second]));
        Assert.Equal("First", e.Message);
    }

    [Fact]
    public void OutOfRangeIsACleanStop()
    {
        var coord = tf.train.Coordinator();
        var t = new Thread(() => coord.stop_on_exception(() => throw new OutOfRangeError("done")));
        t.Start();
        coord.join([t]);
        Assert.True(coord.should_stop());
    }

    [Fact]
    public void ThreadsStillRunningAfterTheGracePeriodAreAnError()
    {
        var coord = tf.train.Coordinator();
        using var release = new ManualResetEventSlim(false);
        var t = new Thread(() => release.Wait()) { Name = "stubborn", IsBackground = true };
        t.Start();
        coord.request_stop();
        var e = Assert.Throws<InvalidOperationException>(() => coord.join([t], stop_grace_period_secs: 0.05));
        Assert.Equal("Coordinator stopped with threads still running: stubborn", e.Message);
        coord.clear_stop();
        coord.request_stop();
        coord.join([t], stop_grace_period_secs: 0.05, ignore_live_threads: true);
        release.Set();
        t.Join();
    }

    [Fact]
    public void AnExceptionReportedAfterJoinIsRaisedAtOnce()
    {
        var coord = tf.train.Coordinator();
        coord.request_stop();
        coord.join([]);
        Assert.Throws<ValueError>(() => coord.request_stop(new ValueError("late")));
    }
}
