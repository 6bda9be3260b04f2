using SharpFlow.Framework;

namespace SharpFlow.Execution;

/// <summary>
/// The memory of one run of a <see cref="Plan"/>, kept for the plan's next run: the slot table, the per-step
/// input and output arrays, and a pool of output buffers.
/// <para>
/// Kernels take their outputs from the pool. The executor counts how many live slots refer to each pooled buffer
/// (a reshape or an identity shares its input's buffer) and gives a buffer back to the pool when the last step that
/// reads it has run, so a later step of the same run reuses it: the run's peak memory is its largest live set, not
/// the sum of all its tensors. A fetched buffer goes to the caller and leaves the pool for good.
/// </para>
/// <para>
/// At the end of a run the pool keeps, per dtype and element count, as many buffers as that run needed at once and
/// drops the rest, so a steady training or inference loop allocates no tensor memory after its second step, and a
/// plan whose shapes change does not hoard buffers of old shapes. One <see cref="RunMemory"/> serves one run at a
/// time; concurrent runs of the same plan each get their own.
/// </para>
/// </summary>
internal sealed class RunMemory : IBufferPool
{
    private readonly Dictionary<long, SizeClass> _classes = [];
    // Live references to each pooled buffer handed out in this run (by identity, never by value).
    private readonly Dictionary<Array, Lease> _leases = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Fills every uninitialized output with all-ones bits (NaN for floats, -1 for integers) before its kernel runs,
    /// so a kernel that leaves part of such an output unwritten gives visibly wrong results. The test suite turns it
    /// on; <c>SHARPFLOW_POISON=1</c> does too.
    /// </summary>
    internal static bool PoisonUninitialized = Environment.GetEnvironmentVariable("SHARPFLOW_POISON") == "1";

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

    private long _requested;

    /// <summary>Bytes of tensor memory held by the pool between runs (as of the end of the last run).</summary>
    public long PooledBytes { get; private set; }

    /// <summary>
    /// A buffer of <paramref name="count"/> elements of <paramref name="dtype"/>, reused when one is free; a
    /// reused buffer holds old values unless <paramref name="zeroed"/>.
    /// </summary>
    public Array Rent(DType dtype, int count, bool zeroed)
    {
        if (dtype == DType.@string) return NDArray.AllocateStorage(dtype, count);
        _requested += (long)count * dtype.size;
        var key = ((long)dtype.Id << 32) | (uint)count;
        if (!_classes.TryGetValue(key, out var sizeClass)) _classes[key] = sizeClass = new SizeClass((long)count * dtype.size);
        Array buffer;
        if (sizeClass.Free.TryPop(out var free))
        {
            buffer = free;
            if (zeroed) Array.Clear(buffer);
        }
        else buffer = NDArray.AllocateStorage(dtype, count);
        if (!zeroed && PoisonUninitialized)
            System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(buffer), buffer.Length * dtype.size).Fill(0xFF);
        sizeClass.Outstanding++;
        sizeClass.Peak = System.Math.Max(sizeClass.Peak, sizeClass.Outstanding);
        _leases[buffer] = new Lease(0, sizeClass);
        return buffer;
    }

    /// <summary>Counts one more slot holding <paramref name="value"/>.</summary>
    public void Hold(NDArray value)
    {
        if (_leases.TryGetValue(value.Storage, out var lease)) _leases[value.Storage] = lease with { Count = lease.Count + 1 };
    }

    /// <summary>Counts one slot less holding <paramref name="value"/>; the last one gives the buffer back.</summary>
    public void Release(NDArray value)
    {
        var storage = value.Storage;
        if (!_leases.TryGetValue(storage, out var lease)) return;
        if (lease.Count > 1)
        {
            _leases[storage] = lease with { Count = lease.Count - 1 };
            return;
        }
        _leases.Remove(storage);
        lease.Class.Outstanding--;
        lease.Class.Free.Push(storage);
    }

    /// <summary>Gives back the buffer of an output nothing reads, unless a slot holds it (an output sharing it).</summary>
    public void ReleaseUnheld(NDArray value)
    {
        if (_leases.TryGetValue(value.Storage, out var lease) && lease.Count == 0) Release(value);
    }

    /// <summary>The buffer of <paramref name="value"/> goes to the caller of <c>run</c>: the pool forgets it.</summary>
    public void Escape(NDArray value)
    {
        if (_leases.Remove(value.Storage, out var lease)) lease.Class.Outstanding--;
    }

    /// <summary>
    /// Ends a run: clears the slot table and keeps, per size class, only as many free buffers as the run used at
    /// once. Every buffer is back in the pool or escaped by then.
    /// </summary>
    public void EndRun()
    {
        Array.Clear(Slots);
        Array.Clear(Owned);
        foreach (var inputs in Inputs) Array.Clear(inputs);
        foreach (var outputs in Outputs) Array.Clear(outputs);
        _leases.Clear();
        RequestedBytes = _requested;
        _requested = 0;
        List<long>? unused = null;
        foreach (var (key, sizeClass) in _classes)
        {
            while (sizeClass.Free.Count > sizeClass.Peak) sizeClass.Free.Pop();
            if (sizeClass.Peak == 0) (unused ??= []).Add(key);
            sizeClass.Peak = 0;
            sizeClass.Outstanding = 0;
        }
        if (unused is not null)
            foreach (var key in unused) _classes.Remove(key);
        long pooled = 0;
        foreach (var c in _classes.Values) pooled += c.Free.Count * c.BufferBytes;
        PooledBytes = pooled;
    }

    private readonly record struct Lease(int Count, SizeClass Class);

    private sealed class SizeClass(long bufferBytes)
    {
        public readonly long BufferBytes = bufferBytes;
        public readonly Stack<Array> Free = new();
        public int Outstanding;
        public int Peak;
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
