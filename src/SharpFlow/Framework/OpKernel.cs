namespace SharpFlow.Framework;

/// <summary>
/// The computation of one op in one session. Kernels are created once per session (so stateful ones such as the
/// random generators keep their state there, not in the graph) and called once per run.
/// </summary>
public abstract class OpKernel
{
    /// <summary>Computes the outputs from the inputs held by <paramref name="ctx"/>.</summary>
    public abstract void Compute(OpKernelContext ctx);

    /// <summary>The random generator of a random op's kernel, whose position a checkpoint may keep; null for others.</summary>
    internal virtual Kernels.RandomNumbers.GuardedPhilox? Generator => null;

    /// <summary>A kernel without state, from a function.</summary>
    public static OpKernel From(Action<OpKernelContext> compute) => new DelegateKernel(compute);

    private sealed class DelegateKernel(Action<OpKernelContext> compute) : OpKernel
    {
        public override void Compute(OpKernelContext ctx) => compute(ctx);
    }
}

/// <summary>Where a session keeps the values of its variables; kernels of variable ops read and write it.</summary>
public interface IVariableStore
{
    /// <summary>The current value of the variable created by <paramref name="variableOp"/>, or null when uninitialized.</summary>
    NDArray? Read(Operation variableOp);

    /// <summary>Replaces the value of a variable.</summary>
    void Write(Operation variableOp, NDArray value);

    /// <summary>
    /// Takes the variable's lock until the returned scope is disposed (<c>use_locking=True</c> updates); plain reads
    /// do not lock, as in TensorFlow.
    /// </summary>
    IDisposable Lock(Operation variableOp);
}

/// <summary>
/// Where a run's output buffers come from: the executor's buffer pool (<c>Execution.RunMemory</c>) implements it,
/// so the kernel context, defined on the floor below the executor, allocates without knowing it.
/// </summary>
internal interface IBufferPool
{
    /// <summary>
    /// A buffer of at least <paramref name="count"/> elements of <paramref name="dtype"/> (a longer one is a reused
    /// buffer of the pool), its first <paramref name="count"/> zero-filled when asked.
    /// </summary>
    System.Array Rent(DType dtype, int count, bool zeroed);

    /// <summary>
    /// An array over a buffer just rented: the pool may hand back the array it made over the same buffer with the
    /// same shape in an earlier run (its values are written over anyway), so a steady run allocates no wrapper.
    /// </summary>
    NDArray Wrap(System.Array buffer, Shape shape) => NDArray.OverBuffer(buffer, shape);

    /// <summary>Whether <paramref name="value"/>'s buffer is the pool's and one slot alone holds it (it may be written over).</summary>
    bool IsSoleHolder(NDArray value) => false;
}

/// <summary>What a kernel sees during one run: its op, its input values, its output slots and the session's variables.</summary>
public sealed class OpKernelContext
{
    private readonly IBufferPool _memory;
    private NDArray?[] _inputs = [];
    private NDArray?[] _outputs = [];
    private bool[] _forwarded = [];
    private bool[]? _forwardable;

    internal OpKernelContext(IVariableStore variables, IBufferPool memory)
    {
        Variables = variables;
        _memory = memory;
    }

    /// <summary>The operation being computed.</summary>
    public Operation op { get; private set; } = null!;

    /// <summary>The session's variable values.</summary>
    public IVariableStore Variables { get; }

    internal void Reset(Operation operation, NDArray?[] inputs, NDArray?[] outputs, bool[] forwarded)
    {
        op = operation;
        _inputs = inputs;
        _outputs = outputs;
        _forwarded = forwarded;
        _forwardable = null;
        Array.Clear(outputs);
        Array.Clear(forwarded);
    }

    /// <summary>Number of inputs.</summary>
    public int InputCount => _inputs.Length;

    /// <summary>The value of input <paramref name="index"/>.</summary>
    public NDArray Input(int index) =>
        _inputs[index] ?? throw new InternalError($"Input {index} of {op.type} \"{op.name}\" has no value.");

    /// <summary>The value of input <paramref name="index"/>, or null when it has none (a Merge's untaken inputs).</summary>
    public NDArray? InputOrNull(int index) => _inputs[index];

    /// <summary>Allocates a zero-filled output buffer and installs it as output <paramref name="index"/>.</summary>
    public NDArray AllocateOutput(int index, DType dtype, Shape shape) => Allocate(index, dtype, shape, zeroed: true);

    /// <summary>
    /// Allocates an output buffer whose old contents are arbitrary (a buffer reused from an earlier step) and installs
    /// it as output <paramref name="index"/>; for kernels that write every element.
    /// </summary>
    public NDArray AllocateUninitializedOutput(int index, DType dtype, Shape shape) => Allocate(index, dtype, shape, zeroed: false);

    private NDArray Allocate(int index, DType dtype, Shape shape, bool zeroed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var value = _memory.Wrap(_memory.Rent(dtype, NDArray.CheckedCount(shape, dtype), zeroed), shape);
        _outputs[index] = value;
        return value;
    }

    /// <summary>
    /// Installs an existing value as output <paramref name="index"/> (an input passed through, a variable's
    /// buffer). Such outputs are copied before they are handed to the caller of <c>run</c>.
    /// </summary>
    public void ForwardOutput(int index, NDArray value)
    {
        _outputs[index] = value;
        _forwarded[index] = true;
    }


    /// <summary>
    /// Lets the step's kernel write outputs into the buffers of the inputs flagged in <paramref name="forwardable"/>
    /// (the plan's last reader of each, neither fed nor fetched); set by the static executor after <see cref="Reset"/>.
    /// </summary>
    internal void AllowForwarding(bool[]? forwardable) => _forwardable = forwardable;

    /// <summary>
    /// TensorFlow's <c>forward_input_or_allocate_output</c>: output <paramref name="outputIndex"/> in the buffer of
    /// input <paramref name="inputIndex"/> when nothing reads that input after this op (the executor says so, and
    /// no other tensor shares the buffer: not a variable, a fed or fetched value, a reshape's alias) and it has the
    /// output's dtype and element count; otherwise a new uninitialized output. For element-wise kernels, which read
    /// each element before writing it.
    /// </summary>
    public NDArray ForwardInputOrAllocateOutput(int inputIndex, int outputIndex, DType dtype, Shape shape) =>
        ForwardInputOrAllocateOutput([inputIndex], outputIndex, dtype, shape);

    /// <summary>
    /// <see cref="ForwardInputOrAllocateOutput(int, int, DType, Shape)"/> with candidate inputs tried in order (TensorFlow's
    /// <c>forward_input_or_allocate_output({0, 1}, 0, ...)</c>).
    /// </summary>
    public NDArray ForwardInputOrAllocateOutput(ReadOnlySpan<int> inputIndices, int outputIndex, DType dtype, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (_forwardable is { } f && shape.IsFullyDefined)
            foreach (var i in inputIndices)
                if (i < f.Length && f[i] && _inputs[i] is { } x && x.dtype == dtype && x.size == shape.NumElements && _memory.IsSoleHolder(x))
                {
                    var y = x.shape == shape ? x : x.Reshape(shape);
                    _outputs[outputIndex] = y;
                    return y;
                }
        return AllocateUninitializedOutput(outputIndex, dtype, shape);
    }

    /// <summary>An <see cref="InvalidArgumentError"/> naming this op.</summary>
    public InvalidArgumentError InvalidArgument(string message) => new(message, op.name);

    private Func<string, Exception>? _invalidArgumentOf;

    /// <summary>
    /// <see cref="InvalidArgument"/> as a delegate, for the checks that take an error factory: made once per context
    /// (which the executor keeps across runs), where a lambda written at each call allocated a closure per op per step.
    /// </summary>
    internal Func<string, Exception> InvalidArgumentOf => _invalidArgumentOf ??= m => InvalidArgument(m);
}
