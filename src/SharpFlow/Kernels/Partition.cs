namespace SharpFlow.Kernels;

/// <summary>The body of a parallel loop: items <c>[start, end)</c>, with the loop's state passed by reference.</summary>
internal delegate void RangeBody<TState>(in TState state, int start, int end);

/// <summary>
/// Splits a loop over independent items across threads in fixed contiguous ranges. Each item writes only its own
/// outputs, so the result is the same however the ranges are scheduled, and on however many threads.
/// <para>
/// Hot kernels call it with a <c>static</c> lambda and a struct state (pointers and sizes), so a parallel loop
/// allocates nothing: the lambda is cached by the compiler, the state is copied into a job object reused across
/// calls, and the work runs on <see cref="WorkerPool"/>'s dedicated threads.
/// </para>
/// </summary>
internal static class Partition
{
    private const long MinParallelWork = 1L << 15; // operations below which threads cost more than they save

    /// <summary>
    /// Runs <paramref name="body"/>(state, start, end) over <c>[0, count)</c>, in parallel when the work is large
    /// enough.
    /// </summary>
    public static void For<TState>(int count, long workPerItem, in TState state, RangeBody<TState> body)
    {
        var threads = WorkerPool.Threads;
        if (threads == 1 || count < 2 || count * System.Math.Max(1, workPerItem) < MinParallelWork)
        {
            body(in state, 0, count);
            return;
        }
        var chunks = System.Math.Min(count, threads * 4);
        if (!WorkerPool.TryEnter())
        {
            // The pool is running another loop (a concurrent session run, or a loop nested in a loop's body): run
            // the same ranges here, one after another.
            for (var c = 0; c < chunks; c++) body(in state, Start(count, chunks, c), Start(count, chunks, c + 1));
            return;
        }
        var job = RangeJob<TState>.Instance;
        job.State = state;
        job.Body = body;
        job.Count = count;
        job.Chunks = chunks;
        try
        {
            WorkerPool.Run(job, chunks);
        }
        finally
        {
            job.State = default!;
            job.Body = null;
            WorkerPool.Exit();
        }
    }

    private static int Start(int count, int chunks, int chunk) => (int)((long)count * chunk / chunks);

    /// <summary>One parallel loop; a single instance per state type, used only while the pool is held.</summary>
    private sealed class RangeJob<TState> : WorkerPool.Job
    {
        public static readonly RangeJob<TState> Instance = new();
        public TState State = default!;
        public RangeBody<TState>? Body;
        public int Count;
        public int Chunks;

        public override void Execute(int chunk) => Body!(in State, Start(Count, Chunks, chunk), Start(Count, Chunks, chunk + 1));
    }
}

/// <summary>
/// Dedicated worker threads (one fewer than the processors; the calling thread is the last worker) that run the
/// chunks of one parallel loop at a time. A loop wakes the workers it needs, runs chunks itself, takes back the
/// wake-ups no worker has picked up yet, and returns once every worker that did wake has finished, so no worker
/// ever touches a loop after it has returned. Nothing is allocated per loop.
/// </summary>
internal static class WorkerPool
{
    /// <summary>A loop's chunks, executed by any thread in any order.</summary>
    internal abstract class Job
    {
        public abstract void Execute(int chunk);
    }

    /// <summary>Threads a parallel loop uses, the caller included (the processor count).</summary>
    public static readonly int Threads = System.Math.Max(1, Environment.ProcessorCount);

    private static readonly SemaphoreSlim Wake = new(0);
    private static readonly ManualResetEventSlim Finished = new(false);
    private static readonly object StartLock = new();
    private static int _busy;
    private static int _started;
    private static Job? _job;
    private static int _chunks;
    private static int _next;
    private static int _finishedWorkers;
    private static Exception? _failure;

    /// <summary>Takes the pool for one loop; false when another loop holds it.</summary>
    public static bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>Gives the pool back.</summary>
    public static void Exit() => Volatile.Write(ref _busy, 0);

    /// <summary>Runs all chunks of <paramref name="job"/>; the caller must hold the pool.</summary>
    public static void Run(Job job, int chunks)
    {
        EnsureStarted();
        _job = job;
        _chunks = chunks;
        _failure = null;
        Volatile.Write(ref _finishedWorkers, 0);
        Volatile.Write(ref _next, 0);
        var woken = System.Math.Min(Threads - 1, chunks - 1);
        if (woken > 0) Wake.Release(woken);
        Work(job);
        // Wake-ups not yet picked up are taken back; the workers that did wake are waited for.
        var participants = woken;
        while (participants > 0 && Wake.Wait(0)) participants--;
        while (Volatile.Read(ref _finishedWorkers) < participants)
        {
            Finished.Wait();
            Finished.Reset();
        }
        _job = null;
        if (_failure is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    private static void Work(Job job)
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _next) - 1) < _chunks)
        {
            try
            {
                job.Execute(chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
        }
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref _started) != 0) return;
        lock (StartLock)
        {
            if (_started != 0) return;
            for (var i = 1; i < Threads; i++)
                new Thread(WorkerLoop) { IsBackground = true, Name = $"SharpFlow worker {i}" }.Start();
            Volatile.Write(ref _started, 1);
        }
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            Wake.Wait();
            Work(_job!);
            Interlocked.Increment(ref _finishedWorkers);
            Finished.Set();
        }
    }
}
