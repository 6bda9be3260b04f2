using System.Collections.Concurrent;
using System.Text;
using SharpFlow.Framework;
using SharpFlow.Execution;

namespace SharpFlow;

/// <summary>
/// Runs a graph (<c>tf.Session()</c>): it owns the variable values and the kernels (with their state, such as
/// random generators) and caches one execution plan per combination of fetches, targets and feeds. One session can
/// serve runs from several threads. Dispose it (or call <see cref="close"/>) to release it:
/// <c>using var sess = tf.Session();</c>.
/// </summary>
public sealed class Session : IDisposable
{
    [ThreadStatic] private static Stack<Session>? _defaultStack;

    private readonly ConcurrentDictionary<string, (Plan Plan, RunMemoryCache Memory)> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Operation, OpKernel> _kernels = new();
    private readonly VariableStore _variables = new();
    private volatile bool _closed;

    private readonly ConcurrentDictionary<Operation, byte> _placementLogged = new();

    /// <summary>A session on <paramref name="graph"/> (the default graph when null).</summary>
    public Session(Graph? graph = null) : this(graph, null) { }

    /// <summary>A session on <paramref name="graph"/> (the default graph when null) with TensorFlow's options.</summary>
    public Session(Graph? graph, ConfigProto? config)
    {
        this.graph = graph ?? Graph.get_default();
        this.config = config ?? new ConfigProto();
    }

    /// <summary>The session's options.</summary>
    public ConfigProto config { get; }

    /// <summary>The graph this session runs.</summary>
    public Graph graph { get; }

    /// <summary>Number of cached execution plans (one per fetch/target/feed signature seen).</summary>
    internal int PlanCount => _plans.Count;

    /// <summary>
    /// Bytes of tensor buffers the session keeps between runs for reuse: each cached plan (one per signature of
    /// fetches, targets and feeds run so far) keeps the buffers its last run's op outputs were written into, so a
    /// steady training or inference loop allocates nothing per step. A SharpFlow addition (TensorFlow's allocators
    /// report through <c>RunMetadata.step_stats</c> instead); 0 before the first run.
    /// </summary>
    public long PooledBytes => _plans.Values.Sum(p => p.Memory.Idle?.PooledBytes ?? 0);

    /// <summary>
    /// Bytes of all op outputs of the last run of each cached plan, summed: what the runs would allocate if no buffer
    /// were reused (compare <see cref="PooledBytes"/>, what they keep). A SharpFlow addition; 0 before the first run.
    /// </summary>
    public long RequestedBytes => _plans.Values.Sum(p => p.Memory.Idle?.RequestedBytes ?? 0);

    /// <summary>Bytes of new tensor buffers the last run of each cached plan allocated, summed (none in a steady loop).</summary>
    internal long AllocatedBytes => _plans.Values.Sum(p => p.Memory.Idle?.AllocatedBytes ?? 0);

    /// <summary>The most bytes of pooled buffers in use at once in the last run of each cached plan, summed.</summary>
    internal long PeakBytes => _plans.Values.Sum(p => p.Memory.Idle?.PeakBytes ?? 0);

    /// <summary>The default session of this thread (<c>tf.get_default_session()</c>), used by <c>Tensor.eval()</c>.</summary>
    public static Session? get_default() => _defaultStack is { Count: > 0 } s ? s.Peek() : null;

    /// <summary>Makes this session the thread's default until the returned scope is disposed.</summary>
    public IDisposable as_default()
    {
        var stack = _defaultStack ??= new Stack<Session>();
        stack.Push(this);
        return new Graph.Scope(() =>
        {
            if (stack.Count == 0 || !ReferenceEquals(stack.Peek(), this))
                throw new InvalidOperationException("Session.as_default() scopes must be disposed in the reverse order they were opened.");
            stack.Pop();
        });
    }

    // The default-session scope an InteractiveSession opened for itself; closed with the session.
    private IDisposable? _ownDefaultScope;

    /// <summary>Makes this session the thread's default until it is closed (<c>tf.InteractiveSession()</c>).</summary>
    internal void BecomeDefaultUntilClosed() => _ownDefaultScope = as_default();

    /// <summary>Evaluates one tensor.</summary>
    public NDArray run(Tensor fetch, FeedDict? feed_dict = null, RunOptions? options = null, RunMetadata? run_metadata = null)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        return Execute([fetch], [], feed_dict, options, run_metadata)[0];
    }

    /// <summary>Runs one operation (a training step, an initializer).</summary>
    public void run(Operation target, FeedDict? feed_dict = null, RunOptions? options = null, RunMetadata? run_metadata = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        Execute([], [target], feed_dict, options, run_metadata);
    }

    /// <summary>Evaluates several tensors in one run (each op runs once).</summary>
    public NDArray[] run(IReadOnlyList<Tensor> fetches, FeedDict? feed_dict = null, RunOptions? options = null, RunMetadata? run_metadata = null)
    {
        ArgumentNullException.ThrowIfNull(fetches);
        return Execute(fetches, [], feed_dict, options, run_metadata);
    }

    /// <summary>Runs operations and evaluates tensors in one run; the result for an operation is null.</summary>
    public NDArray?[] run(IReadOnlyList<ITensorOrOperation> fetches, FeedDict? feed_dict = null, RunOptions? options = null, RunMetadata? run_metadata = null)
    {
        ArgumentNullException.ThrowIfNull(fetches);
        var tensors = new List<Tensor>();
        var targets = new List<Operation>();
        foreach (var f in fetches)
        {
            switch (f)
            {
                case Tensor t: tensors.Add(t); break;
                case Operation op: targets.Add(op); break;
                default: throw new TypeError($"Fetch argument {f} has invalid type {f?.GetType().Name ?? "null"}, must be a Tensor or an Operation.");
            }
        }
        var values = Execute(tensors, targets, feed_dict, options, run_metadata);
        var results = new NDArray?[fetches.Count];
        var next = 0;
        for (var i = 0; i < fetches.Count; i++)
            if (fetches[i] is Tensor) results[i] = values[next++];
        return results;
    }

    /// <summary>Two tensors: <c>var (a, b) = sess.run((x, y), feed)</c>.</summary>
    public (NDArray, NDArray) run((Tensor, Tensor) fetches, FeedDict? feed_dict = null)
    {
        var r = run([fetches.Item1, fetches.Item2], feed_dict);
        return (r[0], r[1]);
    }

    /// <summary>An operation and a tensor: <c>var (_, loss) = sess.run((train_op, loss), feed)</c>.</summary>
    public (NDArray?, NDArray) run((ITensorOrOperation, Tensor) fetches, FeedDict? feed_dict = null)
    {
        var r = run([fetches.Item1, fetches.Item2], feed_dict);
        return (r[0], r[1]!);
    }

    /// <summary>Three tensors.</summary>
    public (NDArray, NDArray, NDArray) run((Tensor, Tensor, Tensor) fetches, FeedDict? feed_dict = null)
    {
        var r = run([fetches.Item1, fetches.Item2, fetches.Item3], feed_dict);
        return (r[0], r[1], r[2]);
    }

    /// <summary>An operation and two tensors.</summary>
    public (NDArray?, NDArray, NDArray) run((ITensorOrOperation, Tensor, Tensor) fetches, FeedDict? feed_dict = null)
    {
        var r = run([fetches.Item1, fetches.Item2, fetches.Item3], feed_dict);
        return (r[0], r[1]!, r[2]!);
    }

    /// <summary>An operation and three tensors.</summary>
    public (NDArray?, NDArray, NDArray, NDArray) run((ITensorOrOperation, Tensor, Tensor, Tensor) fetches, FeedDict? feed_dict = null)
    {
        var r = run([fetches.Item1, fetches.Item2, fetches.Item3, fetches.Item4], feed_dict);
        return (r[0], r[1]!, r[2]!, r[3]!);
    }

    /// <summary>Closes the session; later runs fail. Safe to call twice.</summary>
    public void close()
    {
        if (_ownDefaultScope is not null && get_default() == this)
        {
            _ownDefaultScope.Dispose();
            _ownDefaultScope = null;
        }
        _closed = true;
        _plans.Clear();
        // Kernels that own session-lived resources (queues, dataset iterators) release them here: a queue closed
        // this way wakes the threads blocked on it, so queue runners end when their session does.
        foreach (var kernel in _kernels.Values)
            if (kernel is IDisposable disposable) disposable.Dispose();
        _kernels.Clear();
        _variables.Clear();
    }

    /// <summary>Closes the session.</summary>
    public void Dispose() => close();

    private NDArray[] Execute(IReadOnlyList<Tensor> fetches, IReadOnlyList<Operation> targets, FeedDict? feedDict,
        RunOptions? options = null, RunMetadata? runMetadata = null)
    {
        if (_closed) throw new FailedPreconditionError("Attempted to use a closed Session.");
        // A fetched IndexedSlices gives its dense value.
        if (fetches.Any(t => t is IndexedSlices))
            fetches = [.. fetches.Select(t => t is IndexedSlices s && ReferenceEquals(s.graph, graph) ? DenseOf(s) : t)];
        foreach (var t in fetches)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(fetches));
            if (!ReferenceEquals(t.graph, graph))
                throw new ValueError($"Fetch argument {t} cannot be interpreted as a Tensor. (Tensor {t} is not an element of this graph.)");
        }
        foreach (var op in targets)
            if (!ReferenceEquals(op.graph, graph))
                throw new ValueError($"Fetch argument <tf.Operation '{op.name}' type={op.type}> cannot be interpreted as a Tensor. (Operation name: \"{op.name}\" op: \"{op.type}\" is not an element of this graph.)");

        var feedTensors = new List<Tensor>();
        var feedValues = new List<NDArray>();
        if (feedDict is not null)
            // A canonical order, so the cached plan's feed slots match whatever order the dictionary was filled in.
            foreach (var (tensor, value) in feedDict.OrderBy(kv => kv.Key.op.Id).ThenBy(kv => kv.Key.value_index))
            {
                feedTensors.Add(tensor);
                feedValues.Add(CheckFeed(tensor, value));
            }

        var key = PlanKey(fetches, targets, feedTensors);
        if (!_plans.TryGetValue(key, out var cached))
        {
            cached = (Plan.Build(fetches, targets, feedTensors, KernelOf, config.graph_options?.rewrite_options ?? new RewriterConfig()), new RunMemoryCache());
            cached = _plans.GetOrAdd(key, cached);
        }
        if (options is { output_partition_graphs: true } && runMetadata is not null)
        {
            runMetadata.partition_graphs.Clear();
            runMetadata.partition_graphs.Add(PartitionGraphs.Of(cached.Plan));
            runMetadata.rewrite_log = cached.Plan.Optimized?.Log.ToList();
        }
        // A failed run's memory is dropped, not reused: its buffer counts are off.
        var memory = cached.Memory.Take(cached.Plan, _variables);
        // Tracing is asked for per run; an untraced run takes the executor's plain loop.
        var tracer = options is { trace_level: > RunOptions.TraceLevel.NO_TRACE } && runMetadata is not null ? new StepTracer() : null;
        var results = Executor.Run(cached.Plan, feedValues, memory, tracer);
        cached.Memory.Return(memory);
        if (tracer is not null) runMetadata!.step_stats = tracer.ToStepStats();
        if (_closed) throw new FailedPreconditionError("The Session was closed during the run.");
        return results;
    }

    /// <summary>
    /// The graph optimizer's record of the plan a run with these fetches, targets and feeds uses (built and cached
    /// as a run would, without running it): the optimized nodes and what each pass did; null when the optimizer is
    /// off. For tests and <c>sharpflow graph --optimized</c>.
    /// </summary>
    internal Execution.Optimizer.OptimizedGraph? OptimizedGraphOf(IReadOnlyList<Tensor> fetches, IReadOnlyList<Operation>? targets = null, IReadOnlyList<Tensor>? feeds = null)
    {
        targets ??= [];
        var feedTensors = (feeds ?? []).OrderBy(t => t.op.Id).ThenBy(t => t.value_index).ToList();
        var key = PlanKey(fetches, targets, feedTensors);
        if (!_plans.TryGetValue(key, out var cached))
            cached = _plans.GetOrAdd(key, (Plan.Build(fetches, targets, feedTensors, KernelOf, config.graph_options?.rewrite_options ?? new RewriterConfig()), new RunMemoryCache()));
        return cached.Plan.Optimized;
    }

    private static Tensor DenseOf(IndexedSlices slices)
    {
        using var scope = slices.graph.as_default();
        using var root = slices.graph.EnterContext(null);
        return slices.AsInput();
    }

    private OpKernel KernelOf(Operation op) => _kernels.TryGetValue(op, out var kernel) ? kernel : PlaceAndCreate(op);

    // The first time the session meets an op: check its device (TensorFlow's placer), create its kernel, and log
    // the placement when the config asks for it.
    private OpKernel PlaceAndCreate(Operation op)
    {
        if (!config.allow_soft_placement && !DeviceSpec.IsLocalCpu(op.device))
            throw new InvalidArgumentError(
                $"Cannot assign a device for operation {op.name}: {{{{node {op.name}}}}} was explicitly assigned to {op.device} but available devices are [ {DeviceSpec.LocalCpu} ]. Make sure the device specification refers to a valid device.",
                op.name);
        var kernel = _kernels.GetOrAdd(op, o => o.Def.CreateKernel(o));
        // close() sets the flag before it disposes the kernels it finds: a kernel added too late for it to see
        // is disposed here, so no session-lived resource outlives its session.
        if (_closed)
        {
            if (kernel is IDisposable disposable) disposable.Dispose();
            throw new FailedPreconditionError("Attempted to use a closed Session.");
        }
        if (config.log_device_placement && _placementLogged.TryAdd(op, 0))
            Console.Error.WriteLine($"{op.name}: ({op.type}): {DeviceSpec.LocalCpu}");
        return kernel;
    }

    /// <summary>
    /// The stream position of every random op this session has run, by op name: each random op (dropout,
    /// <c>tf.random_*</c>, shuffling) draws from its own Philox counter stream, and the position is the 128-bit
    /// counter it has reached (low and high 64 bits). <c>tf.train.Saver</c> writes these positions into a
    /// checkpoint and restores them, so a resumed run draws what the uninterrupted one would; a caller can also
    /// keep them to replay a step (<see cref="SetRandomPositions"/>). A SharpFlow addition: TensorFlow 1.x keeps
    /// no such state. Ops the session has not run yet are absent.
    /// </summary>
    public Dictionary<string, (ulong Low, ulong High)> RandomPositions() =>
        _kernels.Where(k => k.Value.Generator is not null).ToDictionary(k => k.Key.name, k => k.Value.Generator!.Position, StringComparer.Ordinal);

    /// <summary>
    /// Moves random ops' streams to the positions <see cref="RandomPositions"/> returned (op name → position), so
    /// their next draws repeat what they drew from there. Every name is checked first and nothing changes on an
    /// error: a name that is not an op of the graph is a NotFoundError, an op that draws no random numbers an
    /// InvalidArgumentError; both messages start with <paramref name="source"/> (where the positions came from, such
    /// as a file name) and name the op.
    /// </summary>
    public void SetRandomPositions(IReadOnlyDictionary<string, (ulong Low, ulong High)> positions, string source) =>
        PrepareRandomPositions(positions, source)();

    /// <summary>
    /// Checks that every name is a random op of the graph (else throws, changing nothing) and returns the action
    /// that sets the positions.
    /// </summary>
    internal Action PrepareRandomPositions(IReadOnlyDictionary<string, (ulong Low, ulong High)> positions, string source)
    {
        var targets = new List<(Kernels.RandomNumbers.GuardedPhilox Generator, (ulong, ulong) Position)>();
        foreach (var (name, position) in positions)
        {
            var op = graph.FindOperation(name)
                ?? throw new NotFoundError($"{source}: the random state names op '{name}', which is not in the graph");
            var generator = KernelOf(op).Generator ?? throw new InvalidArgumentError($"{source}: the random state names op '{name}' ({op.type}), which is not a random op");
            targets.Add((generator, position));
        }
        return () =>
        {
            foreach (var (generator, position) in targets) generator.Position = position;
        };
    }

    /// <summary>
    /// Checks a fed value against the tensor: same graph, a dtype it converts to without changing kind (ints to
    /// floats, float64 to float32, int32 to int64), and a compatible shape. Returns the value in the tensor's dtype.
    /// </summary>
    private NDArray CheckFeed(Tensor tensor, NDArray value)
    {
        if (!ReferenceEquals(tensor.graph, graph))
            throw new ValueError($"Cannot feed {tensor}: it is not an element of this session's graph.");
        var target = tensor.dtype;
        if (value.dtype != target)
        {
            var from = value.dtype;
            var ok = (from.is_floating && target.is_floating) || (from.is_integer && (target.is_floating || target.is_integer));
            if (!ok)
                throw new InvalidArgumentError($"Cannot feed value of dtype {from.name} for Tensor '{tensor.name}', which has dtype {target.name}", tensor.op.name);
            if (from.is_integer && target.is_integer)
            {
                // Narrowing integers (int64 labels into an int32 placeholder) is fine while every value fits.
                var (min, max) = target == DType.uint8 ? (0L, 255L) : target == DType.int32 ? (int.MinValue, (long)int.MaxValue) : (long.MinValue, long.MaxValue);
                foreach (var v in value.ToArray<long>())
                    if (v < min || v > max)
                        throw new InvalidArgumentError($"Cannot feed value {v} for Tensor '{tensor.name}', which has dtype {target.name}: it is out of range", tensor.op.name);
            }
            value = value.Cast(target);
        }
        if (!tensor.shape.IsCompatibleWith(value.shape))
            throw new InvalidArgumentError($"Cannot feed value of shape {value.shape} for Tensor '{tensor.name}', which has shape '{tensor.shape}'", tensor.op.name);
        return value;
    }

    private static string PlanKey(IReadOnlyList<Tensor> fetches, IReadOnlyList<Operation> targets, IReadOnlyList<Tensor> feeds)
    {
        var sb = new StringBuilder();
        foreach (var t in fetches) sb.Append(t.op.Id).Append(':').Append(t.value_index).Append(',');
        sb.Append('|');
        foreach (var op in targets) sb.Append(op.Id).Append(',');
        sb.Append('|');
        foreach (var t in feeds) sb.Append(t.op.Id).Append(':').Append(t.value_index).Append(',');
        return sb.ToString();
    }
}
