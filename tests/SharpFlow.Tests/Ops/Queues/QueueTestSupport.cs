namespace SharpFlow.Tests.Ops.Queues;

/// <summary>Threads for the blocking tests: each gets a time limit, so a bug fails the test instead of hanging the suite.</summary>
internal static class Threads
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Starts <paramref name="body"/> on its own thread; the returned handle joins it and rethrows what it threw.</summary>
    public static Started Start(Action body)
    {
        var started = new Started();
        started.Thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { started.Error = e; }
        }) { IsBackground = true };
        started.Thread.Start();
        return started;
    }

    public sealed class Started
    {
        public Thread Thread { get; set; } = null!;
        public Exception? Error { get; set; }

        public bool IsAlive => Thread.IsAlive;

        /// <summary>Waits for the thread (failing the test after the limit) and returns what it threw, or null.</summary>
        public Exception? Join()
        {
            Assert.True(Thread.Join(Limit), "the thread did not finish in time: something is blocked that should not be");
            return Error;
        }

        /// <summary>Joins and rethrows the thread's exception.</summary>
        public void JoinOk()
        {
            if (Join() is { } e) throw new Xunit.Sdk.XunitException($"the thread failed: {e}");
        }
    }

    /// <summary>Gives a thread that should stay blocked a moment to show that it does.</summary>
    public static void AssertStaysBlocked(Started t)
    {
        Thread.Sleep(150);
        Assert.True(t.IsAlive, "the thread should still be waiting");
    }
}
