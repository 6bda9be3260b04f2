using SharpFlow.Framework;
using System.Diagnostics;
using SharpFlow.Summaries;

namespace SharpFlow.Execution;

/// <summary>
/// Records, for a run with <c>RunOptions.FULL_TRACE</c>, when each op started and ended and the bytes of its
/// outputs, as TensorFlow's <see cref="NodeExecStats"/>. The executors only call it when a run asked for tracing.
/// </summary>
internal sealed class StepTracer
{
    private readonly long _baseMicros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    private readonly long _baseTicks = Stopwatch.GetTimestamp();
    private readonly DeviceStepStats _device = new() { device = DeviceSpec.LocalCpu };

    private long Micros(long ticks) => _baseMicros + (ticks - _baseTicks) * 1_000_000 / Stopwatch.Frequency;

    /// <summary>The time an op starts.</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>Records an op that started at <paramref name="start"/> and just produced <paramref name="outputs"/>.</summary>
    public void End(Operation op, long start, NDArray?[] outputs)
    {
        var end = Stopwatch.GetTimestamp();
        var startMicros = Micros(start);
        var duration = Math.Max(0, Micros(end) - startMicros);
        var stats = new NodeExecStats
        {
            node_name = op.name,
            all_start_micros = startMicros,
            op_start_rel_micros = 0,
            op_end_rel_micros = duration,
            all_end_rel_micros = duration,
            timeline_label = Label(op),
            thread_id = Environment.CurrentManagedThreadId,
        };
        for (var j = 0; j < outputs.Length; j++)
            if (outputs[j] is { } value)
            {
                var bytes = (long)value.size * value.dtype.size;
                stats.output.Add(new NodeOutput
                {
                    slot = j,
                    dtype = (int)value.dtype.Id, // SharpFlow.DataType holds TensorFlow's enum values
                    shape = value.shape.IsKnownRank ? Array.ConvertAll(value.shape.Dims, d => (long)d) : [],
                    requested_bytes = bytes,
                    allocated_bytes = bytes,
                });
            }
        _device.node_stats.Add(stats);
    }

    /// <summary>TensorFlow's timeline label: <c>name = Type(input, input:1, ^control)</c>.</summary>
    private static string Label(Operation op)
    {
        var inputs = op.inputs.Select(t => t.value_index == 0 ? t.op.name : $"{t.op.name}:{t.value_index}")
            .Concat(op.control_inputs.Select(c => "^" + c.name));
        return $"{op.name} = {op.type}({string.Join(", ", inputs)})";
    }

    /// <summary>The recorded step, one device.</summary>
    public StepStats ToStepStats()
    {
        var s = new StepStats();
        s.dev_stats.Add(_device);
        return s;
    }
}
