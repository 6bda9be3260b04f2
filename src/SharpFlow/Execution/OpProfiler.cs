using System.Collections.Concurrent;
using System.Diagnostics;

namespace SharpFlow.Execution;

/// <summary>
/// Time spent and bytes allocated (on the calling thread) per op type, summed over all runs of the process, when the environment variable
/// <c>SHARPFLOW_PROFILE</c> is set to 1; the table goes to standard error when the process exits. A coarse
/// stand-in for TensorFlow's timeline, for finding which kernels a training step waits on.
/// </summary>
internal static class OpProfiler
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("SHARPFLOW_PROFILE") is "1" or "nodes";

    /// <summary>With <c>SHARPFLOW_PROFILE=nodes</c> the table has a row per node (type, name and input shapes) instead of per op type.</summary>
    public static readonly bool PerNode = Environment.GetEnvironmentVariable("SHARPFLOW_PROFILE") == "nodes";

    private static readonly ConcurrentDictionary<string, (long Ticks, long Calls, long Bytes)> Totals = new();

    static OpProfiler()
    {
        if (Enabled) AppDomain.CurrentDomain.ProcessExit += (_, _) => Report(Console.Error);
    }

    /// <summary>Forgets the times so far (a benchmark's warm-up: first runs compile kernels and pack weights).</summary>
    internal static void Reset() => Totals.Clear();

    /// <summary>While true, nothing is added (a benchmark's untimed calls).</summary>
    internal static bool Paused { get; set; }

    /// <summary>A per-node row's label: type, name and the shapes of the inputs, e.g. <c>_FusedConv2D conv/Relu [1,35,35,288] [3,3,288,384]</c>.</summary>
    internal static string NodeLabel(Operation op, SharpFlow.Framework.OpKernelContext ctx)
    {
        var label = new System.Text.StringBuilder(op.type).Append(' ').Append(op.name);
        for (var i = 0; i < ctx.InputCount; i++)
            if (ctx.InputOrNull(i) is { } input) label.Append(" [").AppendJoin(",", input.shape.Dims).Append(']');
        return label.ToString();
    }

    public static void Add(string opType, long ticks, long bytes)
    {
        if (!Paused) Totals.AddOrUpdate(opType, (ticks, 1, bytes), (_, t) => (t.Ticks + ticks, t.Calls + 1, t.Bytes + bytes));
    }

    private static void Report(TextWriter writer)
    {
        var total = Totals.Values.Sum(t => t.Ticks);
        var width = Math.Max(30, Totals.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max());
        writer.WriteLine($"{(PerNode ? "op type and node" : "op type").PadRight(width)}    calls      seconds   share   bytes/call");
        foreach (var (type, (ticks, calls, bytes)) in Totals.OrderByDescending(t => t.Value.Ticks))
            writer.WriteLine($"{type.PadRight(width)} {calls,8} {ticks / (double)Stopwatch.Frequency,12:F3} {100.0 * ticks / Math.Max(1, total),6:F1}% {bytes / System.Math.Max(1, calls),12}");
    }
}
