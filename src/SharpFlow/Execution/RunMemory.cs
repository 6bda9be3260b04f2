using SharpFlow.Framework;

namespace SharpFlow.Execution;

/// <summary>
/// The memory of one run of a <see cref="Plan"/>, kept for the plan's next run: the slot table, the per-step
/// input and output arrays, and a pool of output buffers.
/// <para>
/// Kernels take their outputs from the pool. The executor counts how many live slots refer to each pooled buffer
/// (a reshape or an identity shares its input's buffer) and gives a buffer back to the pool when the last step that
/// reads it has run, so a later step of the same run reuses it: the run's peak memory is its largest live set, not
/// the sum of all its tensors. A fetched buffer goes to the caller and leaves the pool for good (one longer than the
/// fetched value is copied instead, and stays).
/// </para>
/// <para>
/// The pool is best-fit: a request takes the shortest free buffer of its dtype that holds it, as long as that is
/// at most <see cref="FitRatio"/> times the request (a longer one would waste more than the request), so tensors of
/// different sizes share memory (a convolution's output and a smaller gradient after it). The tensor sees only its
/// own elements (<see cref="NDArray.OverBuffer"/>). At the end of a run the pool keeps the buffers that run used
/// and drops the rest, so a steady training or inference loop, which makes the same requests in the same order each
/// step, allocates no tensor memory after its first steps, and a plan whose shapes change does not hoard buffers of
/// old shapes. One <see cref="RunMemory"/> serves one run at a time; concurrent runs of the same plan each get
/// their own.
/// </para>
/// </summary>
internal sealed class RunMemory : IBufferPool
{
    /// <summary>The longest free buffer a request takes, as a multiple of the request's length.</summary>
    internal const int FitRatio = 2;

    // Per dtype, the free buffers, shortest first (equal lengths in the order they were freed).
    private readonly Dictionary<DType, List<Array>> _free = [];
    // Live references to each pooled buffer handed out in this run (by identity, never by value).
    private readonly Dictionary<Array, int> _leases = new(ReferenceEqualityComparer.Instance);
    // The buffers handed out in this run: what the pool keeps for the next.
    private readonly HashSet<Array> _used = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Fills every uninitialized output with all-ones bits (NaN for floats, -1 for integers) before its kernel runs,
    /// so a kernel that leaves part of such an output unwritten gives visibly wrong results. The test suite turns it
    /// on; <c>SHARPFLOW_POISON=1</c> does too.
    /// </summary>
    internal static bool PoisonUninitialized = Environment.GetEnvironmentVariable("SHARPFLOW_POISON") == "1";

    /// <summary>The dataflow executor's bookkeeping for this plan, kept from run to run (null until its first run).</summary>
    public DataflowExecutor.Scratch? DataflowScratch { get; set; }

    public RunMemory(Plan plan, IVariableStore variables)
    {
        Slots = new NDArray?[plan.SlotCount];
        Owned = new bool[plan.SlotCount];
        Inputs = new NDArray?[plan.Steps.Length][];
        Outputs = new NDArray?[plan.Steps.Length][];
        Forwarded = new bool[plan.Steps.Length][];
        for (var i = 0; i < plan.Steps.Length; i++)
        {
            var step = plan.Steps[i];
            Inputs[i] = new NDArray?[step.InputSlots.Length];
            Outputs[i] = new NDArray?[step.OutputSlots.Length];
            Forwarded[i] = new bool[step.OutputSlots.Length];
        }
        Context = new OpKernelContext(variables, this);
    }

    public NDArray?[] Slots { get; }
    /// <summary>Whether a slot's value was made by its kernel in this run (not a variable's or constant's buffer).</summary>
    public bool[] Owned { get; }
    public NDArray?[][] Inputs { get; }
    public NDArray?[][] Outputs { get; }
    public bool[][] Forwarded { get; }
    public OpKernelContext Context { get; }

    /// <summary>Bytes of all outputs requested in the last finished run: what the run would allocate without reuse.</summary>
    public long RequestedBytes { get; private set; }

    /// <summary>Bytes of new buffers the last finished run allocated (none in a steady loop).</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>The most bytes of pooled buffers handed out at once in the last finished run (its peak).</summary>
    public long PeakBytes { get; private set; }

    private long _requested, _allocated, _outstanding, _peak;

    /// <summary>Bytes of tensor memory held by the pool between runs (as of the end of the last run).</summary>
    public long PooledBytes { get; private set; }

    /// <summary>
    /// A buffer of at least <paramref name="count"/> elements of <paramref name="dtype"/>, reused when one fits; a
    /// reused buffer holds old values unless <paramref name="zeroed"/> (then its first <paramref name="count"/>
    /// elements are zero).
    /// </summary>
    public Array Rent(DType dtype, int count, bool zeroed)
    {
        if (dtype == DType.@string) return NDArray.AllocateStorage(dtype, count);
        _requested += (long)count * dtype.size;
        var free = Free(dtype);
        var at = FirstAtLeast(free, count);
        // Handles of resources are exact: their kernels look at the whole object array.
        var longest = dtype == DType.resource ? count : (long)count * FitRatio;
        Array buffer;
        if (at < free.Count && free[at].Length <= longest)
        {
            buffer = free[at];
            free.RemoveAt(at);
            if (zeroed) Array.Clear(buffer, 0, count);
        }
        else
        {
            buffer = NDArray.AllocateStorage(dtype, count);
            _allocated += (long)count * dtype.size;
        }
        if (!zeroed && PoisonUninitialized)
            System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(buffer), count * dtype.size).Fill(0xFF);
        _outstanding += (long)buffer.Length * dtype.size;
        _peak = System.Math.Max(_peak, _outstanding);
        _leases[buffer] = 0;
        _used.Add(buffer);
        return buffer;
    }

    private List<Array> Free(DType dtype)
    {
        if (!_free.TryGetValue(dtype, out var list)) _free[dtype] = list = [];
        return list;
    }

    /// <summary>The index of the first buffer of <paramref name="free"/> (sorted by length) at least <paramref name="count"/> long.</summary>
    private static int FirstAtLeast(List<Array> free, int count)
    {
        int lo = 0, hi = free.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (free[mid].Length < count) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// The array made over each pooled buffer at its last rental, weakly keyed so that a buffer the pool drops (or
    /// one that escapes to the caller of <c>run</c>) takes its array with it.
    /// </summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Array, NDArray> _wrappers = new();

    /// <summary>
    /// An array over <paramref name="buffer"/> of <paramref name="shape"/>: the one made at the buffer's last rental
    /// when its shape is the same. A rented buffer has no other holder (its values are about to be written over),
    /// and arrays are immutable, so the old array is as good as a new one; a steady training step then allocates
    /// no array object for its pooled outputs.
    /// </summary>
    public NDArray Wrap(Array buffer, Shape shape)
    {
        if (!_leases.ContainsKey(buffer)) return NDArray.OverBuffer(buffer, shape); // strings: not pooled
        if (_wrappers.TryGetValue(buffer, out var last) && last.shape == shape) return last;
        var value = NDArray.OverBuffer(buffer, shape);
        _wrappers.AddOrUpdate(buffer, value);
        return value;
    }

    /// <summary>Counts one more slot holding <paramref name="value"/>.</summary>
    public void Hold(NDArray value)
    {
        if (_leases.TryGetValue(value.Storage, out var count)) _leases[value.Storage] = count + 1;
    }

    /// <summary>Counts one slot less holding <paramref name="value"/>; the last one gives the buffer back.</summary>
    public void Release(NDArray value)
    {
        var storage = value.Storage;
        if (!_leases.TryGetValue(storage, out var count)) return;
        if (count > 1)
        {
            _leases[storage] = count - 1;
            return;
        }
        GiveBack(storage, value.dtype);
    }

    private void GiveBack(Array storage, DType dtype)
    {
        _leases.Remove(storage);
        _outstanding -= (long)storage.Length * dtype.size;
        var free = Free(dtype);
        // After the buffers of the same length: equal requests take buffers in the order they were freed.
        free.Insert(FirstAtLeast(free, storage.Length + 1), storage);
    }

    /// <summary>Whether <paramref name="value"/>'s buffer is pooled and one slot alone holds it.</summary>
    public bool IsSoleHolder(NDArray value) => _leases.TryGetValue(value.Storage, out var count) && count == 1;

    /// <summary>Gives back the buffer of an output nothing reads, unless a slot holds it (an output sharing it).</summary>
    public void ReleaseUnheld(NDArray value)
    {
        if (_leases.TryGetValue(value.Storage, out var count) && count == 0) Release(value);
    }

    /// <summary>
    /// The value to hand to the caller of <c>run</c> for a fetched <paramref name="value"/> made in this run: the
    /// value itself, whose buffer the pool forgets, or, for a value in a longer buffer, a copy of its elements (the
    /// buffer stays in the pool). Called after the run's last step.
    /// </summary>
    public NDArray Escape(NDArray value)
    {
        if (value.IsOverBuffer)
        {
            if (_leases.ContainsKey(value.Storage)) GiveBack(value.Storage, value.dtype);
            return value.Copy();
        }
        if (_leases.Remove(value.Storage)) _outstanding -= (long)value.Storage.Length * value.dtype.size;
        _used.Remove(value.Storage);
        return value;
    }

    /// <summary>
    /// Ends a run: clears the slot table and keeps only the free buffers the run used. Every buffer is back in the
    /// pool or escaped by then.
    /// </summary>
    public void EndRun()
    {
        Array.Clear(Slots);
        Array.Clear(Owned);
        foreach (var inputs in Inputs) Array.Clear(inputs);
        foreach (var outputs in Outputs) Array.Clear(outputs);
        _leases.Clear();
        RequestedBytes = _requested;
        AllocatedBytes = _allocated;
        PeakBytes = _peak;
        _requested = _allocated = _outstanding = _peak = 0;
        long pooled = 0;
        foreach (var (dtype, free) in _free)
        {
            free.RemoveAll(buffer => !_used.Contains(buffer));
            foreach (var buffer in free) pooled += (long)buffer.Length * dtype.size;
        }
        _used.Clear();
        PooledBytes = pooled;
    }
}

/// <summary>
/// The <see cref="RunMemory"/> a plan keeps between runs. A plan's first run keeps nothing (an initializer or a
/// one-off evaluation should not hold its buffers for the session's lifetime); from the second run on, the memory of
/// the last finished run is kept for the next one. Runs that overlap in time get a fresh memory each.
/// </summary>
internal sealed class RunMemoryCache
{
    private RunMemory? _idle;
    private int _runs;

    public RunMemory Take(Plan plan, IVariableStore variables) =>
        Interlocked.Exchange(ref _idle, null) ?? new RunMemory(plan, variables);

    /// <summary>Offers a finished run's memory for the next run.</summary>
    public void Return(RunMemory memory)
    {
        memory.EndRun();
        if (Interlocked.Increment(ref _runs) >= 2) Interlocked.CompareExchange(ref _idle, memory, null);
    }

    /// <summary>The memory kept for the next run, if any (for tests and diagnostics).</summary>
    public RunMemory? Idle => _idle;
}
