using SharpFlow.FileIO;
using SharpFlow.Summaries;

namespace SharpFlow.Execution;

/// <summary>
/// TensorFlow's <c>ConfigProto</c> (config.proto): the session options a TensorFlow 1.x program passes to
/// <c>tf.Session(config=...)</c>. This runtime has one device, the CPU, and one thread pool (.NET's), so the thread
/// counts are kept but do not change how kernels run.
/// </summary>
public class ConfigProto
{
    /// <summary>Threads one op may use (0: the system picks). Accepted; kernels use .NET's shared pool.</summary>
    public int intra_op_parallelism_threads { get; set; }

    /// <summary>Ops run at once (0: the system picks). Accepted; the executors run ops one at a time.</summary>
    public int inter_op_parallelism_threads { get; set; }

    /// <summary>Run an op assigned to a device that does not exist (a GPU) on the CPU instead of failing.</summary>
    public bool allow_soft_placement { get; set; }

    /// <summary>Print each op's device to standard error the first time the session runs it.</summary>
    public bool log_device_placement { get; set; }

    /// <summary>GPU options: accepted and ignored, as there is no GPU.</summary>
    public GPUOptions gpu_options { get; set; } = new();

    /// <summary>
    /// Graph options: <c>graph_options.rewrite_options</c> switches the rewrites of the graph optimizer (see
    /// <see cref="RewriterConfig"/>).
    /// </summary>
    public GraphOptions graph_options { get; set; } = new();
}

/// <summary>TensorFlow's <c>GraphOptions</c>: here only its <c>rewrite_options</c> (Grappler's switches).</summary>
public class GraphOptions
{
    /// <summary>Which graph rewrites run before a plan is built.</summary>
    public RewriterConfig rewrite_options { get; set; } = new();
}

/// <summary>
/// TensorFlow's <c>RewriterConfig</c> (rewriter_config.proto): the switches of the graph optimizer that runs on a
/// copy of each run's pruned graph (never on the user's graph). Each rewrite is on unless its toggle is
/// <see cref="Toggle.OFF"/>; <see cref="disable_meta_optimizer"/> or the environment variable
/// <c>SHARPFLOW_GRAPH_OPTIMIZER=0</c> turns all of them off.
/// </summary>
public class RewriterConfig
{
    /// <summary>TensorFlow's <c>RewriterConfig.Toggle</c>.</summary>
    public enum Toggle
    {
        /// <summary>The rewrite's default (on).</summary>
        DEFAULT = 0,

        /// <summary>On.</summary>
        ON = 1,

        /// <summary>Off.</summary>
        OFF = 2,

        /// <summary>On (no more aggressive variant here).</summary>
        AGGRESSIVE = 3,
    }

    /// <summary>Folds subgraphs whose inputs are all constants into constants (outputs up to 10 MiB).</summary>
    public Toggle constant_folding { get; set; }

    /// <summary>Removes Identity, StopGradient and NoOp nodes that nothing needs at run time (TensorFlow's dependency optimizer).</summary>
    public Toggle dependency_optimization { get; set; }

    /// <summary>Simplifies x*1, x+0, x-0, a double transpose and a reshape of a reshape.</summary>
    public Toggle arithmetic_optimization { get; set; }

    /// <summary>Common subexpression elimination: one node for deterministic nodes of the same type, inputs and attributes.</summary>
    public Toggle common_subgraph_elimination { get; set; }

    /// <summary>Fuses MatMul/Conv2D + BiasAdd (+ Relu, Relu6, Elu, Tanh, Sigmoid) into <c>_FusedMatMul</c>/<c>_FusedConv2D</c> (TensorFlow's remapper).</summary>
    public Toggle remapping { get; set; }

    /// <summary>
    /// Folds an inference-mode batch norm (a per-channel Mul, then Add or Sub) into the preceding Conv2D,
    /// DepthwiseConv2dNative or MatMul: the filter is scaled and a BiasAdd adds the offset. Not bitwise (the
    /// multiplication moves into the filter). SharpFlow's name: TensorFlow folds batch norms in its remapper.
    /// </summary>
    public Toggle batchnorm_folding { get; set; }

    /// <summary>
    /// Folds a Pad with constant paddings (zeros; for MaxPool minus infinity) into the following VALID or EXPLICIT
    /// Conv2D, DepthwiseConv2dNative or MaxPool as explicit padding. Bitwise. SharpFlow's name.
    /// </summary>
    public Toggle pad_folding { get; set; }

    /// <summary>Turns every rewrite off.</summary>
    public bool disable_meta_optimizer { get; set; }
}

/// <summary>
/// TensorFlow's <c>GPUOptions</c>. Accepted so programs written for a GPU run unchanged, and ignored: this runtime
/// has no GPU memory to grow or limit.
/// </summary>
public class GPUOptions
{
    /// <summary>Allocate GPU memory as needed (ignored: no GPU).</summary>
    public bool allow_growth { get; set; }

    /// <summary>Share of GPU memory to take (ignored: no GPU).</summary>
    public double per_process_gpu_memory_fraction { get; set; }
}

/// <summary>TensorFlow's <c>RunOptions</c>: per-run options of <c>sess.run(..., options=...)</c>.</summary>
public class RunOptions
{
    /// <summary>TensorFlow's <c>RunOptions.TraceLevel</c>.</summary>
    public enum TraceLevel
    {
        /// <summary>No tracing.</summary>
        NO_TRACE = 0,

        /// <summary>Step stats of every op (as FULL_TRACE here).</summary>
        SOFTWARE_TRACE = 1,

        /// <summary>Step stats of every op (as FULL_TRACE here: no hardware counters on a CPU).</summary>
        HARDWARE_TRACE = 2,

        /// <summary>Step stats of every op: times and output sizes.</summary>
        FULL_TRACE = 3,
    }

    /// <summary>No tracing.</summary>
    public const TraceLevel NO_TRACE = TraceLevel.NO_TRACE;

    /// <summary>Software tracing.</summary>
    public const TraceLevel SOFTWARE_TRACE = TraceLevel.SOFTWARE_TRACE;

    /// <summary>Hardware tracing.</summary>
    public const TraceLevel HARDWARE_TRACE = TraceLevel.HARDWARE_TRACE;

    /// <summary>Full tracing.</summary>
    public const TraceLevel FULL_TRACE = TraceLevel.FULL_TRACE;

    /// <summary>How much of the run to record into the <see cref="RunMetadata"/>.</summary>
    public TraceLevel trace_level { get; set; }

    /// <summary>Timeout of the run in milliseconds (accepted; runs are not cut short).</summary>
    public long timeout_in_ms { get; set; }

    /// <summary>
    /// TensorFlow's <c>output_partition_graphs</c>: when true, the run writes the graph it executes (pruned to the
    /// fetches, targets and feeds, and rewritten by the graph optimizer) into
    /// <see cref="RunMetadata.partition_graphs"/>, and the optimizer's rewrites into
    /// <see cref="RunMetadata.rewrite_log"/>.
    /// </summary>
    public bool output_partition_graphs { get; set; }
}

/// <summary>
/// TensorFlow's <c>RunMetadata</c>: what a traced run recorded (<c>sess.run(..., run_metadata=...)</c>), for
/// <c>FileWriter.add_run_metadata</c>.
/// </summary>
public class RunMetadata
{
    /// <summary>The per-op step statistics of the last traced run.</summary>
    public StepStats step_stats { get; set; } = new();

    /// <summary>
    /// TensorFlow's <c>partition_graphs</c>, filled by a run with <see cref="RunOptions.output_partition_graphs"/>:
    /// the graphs the run executed, one per device (here one, the CPU's). Each is the user's graph pruned to the
    /// ops the run needs and rewritten by the graph optimizer (grappler's passes: constant folding, arithmetic
    /// simplification, fused ops such as <c>_FusedConv2D</c>, ...), nodes in the order they run, every node on
    /// <c>/job:localhost/replica:0/task:0/device:CPU:0</c>. A node the optimizer made lists the nodes it replaces
    /// in <c>experimental_debug_info.original_node_names</c>. Fed tensors keep their names as inputs while the
    /// ops that would compute them are left out (TensorFlow puts <c>_Recv</c> nodes there).
    /// </summary>
    public List<Tensorflow.GraphDef> partition_graphs { get; } = [];

    /// <summary>
    /// A SharpFlow addition, filled with <see cref="partition_graphs"/>: every rewrite the graph optimizer made to
    /// the run's graph, one line each, prefixed by its pass (<c>"remapping: _FusedConv2D 'conv1/Relu' = ..."</c>);
    /// null when the optimizer did not run (<c>SHARPFLOW_GRAPH_OPTIMIZER=0</c> or <c>disable_meta_optimizer</c>).
    /// Not part of <see cref="SerializeToString"/>: TensorFlow's RunMetadata has no such field.
    /// </summary>
    public IReadOnlyList<string>? rewrite_log { get; set; }

    /// <summary>The protocol-buffer bytes (RunMetadata{step_stats = 1, partition_graphs = 3}).</summary>
    public byte[] SerializeToString()
    {
        var w = new ProtoWriter();
        if (step_stats.dev_stats.Count > 0) w.Message(1, step_stats.Encode());
        foreach (var graph in partition_graphs) w.Bytes(3, Google.Protobuf.MessageExtensions.ToByteArray(graph));
        return w.ToArray();
    }
}

/// <summary>TensorFlow's <c>StepStats</c>: the ops one run executed, per device.</summary>
public sealed class StepStats
{
    /// <summary>One entry per device.</summary>
    public List<DeviceStepStats> dev_stats { get; } = [];

    internal ProtoWriter Encode()
    {
        var w = new ProtoWriter();
        foreach (var d in dev_stats)
        {
            var dw = new ProtoWriter().String(1, d.device);
            foreach (var n in d.node_stats) dw.Message(2, n.Encode());
            w.Message(1, dw);
        }
        return w;
    }
}

/// <summary>TensorFlow's <c>DeviceStepStats</c>: the ops of one device.</summary>
public sealed class DeviceStepStats
{
    /// <summary>The device's full name.</summary>
    public string device { get; init; } = "";

    /// <summary>The ops in the order they ran.</summary>
    public List<NodeExecStats> node_stats { get; } = [];
}

/// <summary>TensorFlow's <c>NodeExecStats</c>: when one op ran and what it produced.</summary>
public sealed class NodeExecStats
{
    /// <summary>The op's name.</summary>
    public string node_name { get; init; } = "";

    /// <summary>When the op started, in microseconds since the Unix epoch.</summary>
    public long all_start_micros { get; init; }

    /// <summary>Start of the kernel, relative to <see cref="all_start_micros"/>.</summary>
    public long op_start_rel_micros { get; init; }

    /// <summary>End of the kernel, relative to <see cref="all_start_micros"/>.</summary>
    public long op_end_rel_micros { get; init; }

    /// <summary>End of the op, relative to <see cref="all_start_micros"/>.</summary>
    public long all_end_rel_micros { get; init; }

    /// <summary>TensorFlow's label: <c>name = Type(input, input)</c>.</summary>
    public string timeline_label { get; init; } = "";

    /// <summary>The thread that ran the op.</summary>
    public int thread_id { get; init; }

    /// <summary>One entry per output the op produced.</summary>
    public List<NodeOutput> output { get; } = [];

    internal ProtoWriter Encode()
    {
        var w = new ProtoWriter().String(1, node_name).Int(2, all_start_micros);
        if (op_start_rel_micros != 0) w.Int(3, op_start_rel_micros);
        if (op_end_rel_micros != 0) w.Int(4, op_end_rel_micros);
        if (all_end_rel_micros != 0) w.Int(5, all_end_rel_micros);
        foreach (var o in output)
        {
            // NodeOutput{slot = 1, tensor_description = 3}; TensorDescription{dtype = 1, shape = 2,
            // allocation_description = 4}; AllocationDescription{requested_bytes = 1, allocated_bytes = 2, allocator_name = 3}.
            var shape = new ProtoWriter();
            foreach (var d in o.shape) shape.Message(2, new ProtoWriter().Int(1, d));
            var allocation = new ProtoWriter().Int(1, o.requested_bytes).Int(2, o.allocated_bytes).String(3, "cpu");
            var description = new ProtoWriter().Int(1, o.dtype).Message(2, shape).Message(4, allocation);
            var ow = new ProtoWriter();
            if (o.slot != 0) ow.Int(1, o.slot);
            w.Message(7, ow.Message(3, description));
        }
        if (timeline_label.Length > 0) w.String(8, timeline_label);
        if (thread_id != 0) w.Int(10, thread_id);
        return w;
    }
}

/// <summary>TensorFlow's <c>NodeOutput</c>: one output of a traced op and the bytes it took.</summary>
public sealed class NodeOutput
{
    /// <summary>The output's index.</summary>
    public int slot { get; init; }

    /// <summary>TensorFlow's DataType number of the output.</summary>
    public int dtype { get; init; }

    /// <summary>The output's dimensions.</summary>
    public long[] shape { get; init; } = [];

    /// <summary>Bytes the output needs.</summary>
    public long requested_bytes { get; init; }

    /// <summary>Bytes allocated for the output.</summary>
    public long allocated_bytes { get; init; }
}
