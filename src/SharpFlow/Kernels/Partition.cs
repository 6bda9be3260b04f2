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
    /// Whether loops of large items run each item as its own chunk, and products split their rows into a multiple of
    /// the thread count of equal blocks and their columns into equal groups (<see cref="PackedSgemm"/>); false
    /// (<c>SHARPFLOW_EVEN_TASKS=0</c>) restores four chunks per thread, blocks of 72 rows and the first column-group
    /// count, for comparisons. Either way every item is computed the same. A product reads it once.
    /// </summary>
    internal static bool EvenTasks = Environment.GetEnvironmentVariable("SHARPFLOW_EVEN_TASKS") != "0";

    private const long ItemChunkWork = 1L << 18; // operations per item from which each item is a chunk

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
        // Items of much work each are chunks of their own, so the threads end together (eight chunks of 18 row blocks of
        // a product were chunks of two and three blocks); smaller items go in four chunks per thread.
        var chunks = EvenTasks && workPerItem >= ItemChunkWork ? count : System.Math.Min(count, threads * 4);
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

    /// <summary>
    /// How long an idle worker, and a loop waiting for its workers, spin before they block (microseconds;
    /// <c>SHARPFLOW_WORKER_SPIN_US</c>, 0 blocks at once). A blocked thread takes tens of microseconds to wake on a
    /// virtual machine, and a network's ops start one after another a few microseconds apart.
    /// </summary>
    internal static long SpinTicks = System.Diagnostics.Stopwatch.Frequency *
        (long.TryParse(Environment.GetEnvironmentVariable("SHARPFLOW_WORKER_SPIN_US"), out var us) && us >= 0 ? us : 300) / 1_000_000;

    /// <summary>
    /// Whether each thread first runs its own contiguous share of a loop's chunks (the caller the first, worker i the
    /// i-th), taking the others' from their ends only when its own are done, rather than every thread taking the next
    /// chunk left. Loops over the same rows then give each core the same rows op after op, so a convolution reads
    /// from its own core's cache the rows the previous op wrote there; a thread that falls behind is still relieved.
    /// <c>SHARPFLOW_OWNED_RANGES=0</c> turns it off. Either way every chunk runs once.
    /// </summary>
    internal static bool OwnedRanges = Environment.GetEnvironmentVariable("SHARPFLOW_OWNED_RANGES") != "0";

    // Each thread's share of the running loop's chunks, [first, end) packed as end << 32 | first, a cache line apart.
    private const int RangeStride = 8;
    private static readonly long[] Ranges = new long[Threads * RangeStride];
    private static bool _owned;

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
        _owned = OwnedRanges && Threads > 1;
        if (_owned)
            for (var t = 0; t < Threads; t++)
                Volatile.Write(ref Ranges[t * RangeStride], Pack((int)((long)chunks * t / Threads), (int)((long)chunks * (t + 1) / Threads)));
        var woken = System.Math.Min(Threads - 1, chunks - 1);
        if (woken > 0) Wake.Release(woken);
        Work(job, 0);
        // Wake-ups not yet picked up are taken back; the workers that did wake are waited for.
        var participants = woken;
        while (participants > 0 && Wake.Wait(0)) participants--;
        if (participants > 0) SpinUntil(static p => Volatile.Read(ref _finishedWorkers) >= p, participants);
        while (Volatile.Read(ref _finishedWorkers) < participants)
        {
            Finished.Wait();
            Finished.Reset();
        }
        _job = null;
        if (_failure is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    private static void Work(Job job, int self)
    {
        if (!_owned)
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref _next) - 1) < _chunks) Execute(job, chunk);
            return;
        }
        // Its own share from the front, then the others' from their ends.
        while (Take(self, fromEnd: false) is var own and >= 0) Execute(job, own);
        for (var i = 1; i < Threads; i++)
        {
            var other = (self + i) % Threads;
            while (Take(other, fromEnd: true) is var stolen and >= 0) Execute(job, stolen);
        }
    }

    private static void Execute(Job job, int chunk)
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

    private static long Pack(int first, int end) => (long)end << 32 | (uint)first;

    /// <summary>Claims the first (or last) chunk left in thread <paramref name="owner"/>'s share; -1 when none is left.</summary>
    private static int Take(int owner, bool fromEnd)
    {
        ref var slot = ref Ranges[owner * RangeStride];
        while (true)
        {
            var range = Volatile.Read(ref slot);
            var (first, end) = ((int)(uint)range, (int)(range >> 32));
            if (first >= end) return -1;
            var taken = fromEnd ? Pack(first, end - 1) : Pack(first + 1, end);
            if (Interlocked.CompareExchange(ref slot, taken, range) == range) return fromEnd ? end - 1 : first;
        }
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref _started) != 0) return;
        lock (StartLock)
        {
            if (_started != 0) return;
            for (var i = 1; i < Threads; i++)
            {
                var self = i;
                new Thread(() => WorkerLoop(self)) { IsBackground = true, Name = $"SharpFlow worker {i}" }.Start();
            }
            Volatile.Write(ref _started, 1);
        }
    }

    /// <summary>Polls <paramref name="done"/> for up to <see cref="SpinTicks"/>; true once it held.</summary>
    private static bool SpinUntil(Func<int, bool> done, int argument)
    {
        if (SpinTicks == 0) return false;
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        for (var spins = 1; ; spins++)
        {
            if (done(argument)) return true;
            if ((spins & 31) == 0)
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline) return false;
                Thread.Yield(); // a thread waiting for this processor runs first
            }
            Thread.SpinWait(4);
        }
    }

    private static void WorkerLoop(int self)
    {
        while (true)
        {
            if (!SpinUntil(static _ => Wake.CurrentCount > 0 && Wake.Wait(0), 0)) Wake.Wait();
            Work(_job!, self);
            Interlocked.Increment(ref _finishedWorkers);
            Finished.Set();
        }
    }
}
