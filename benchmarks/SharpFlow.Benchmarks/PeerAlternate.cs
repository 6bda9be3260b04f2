using System.Diagnostics;

namespace SharpFlow.Benchmarks;

/// <summary>
/// A quicker, cruder form of <see cref="PeerInferenceBenchmarks"/> for trying changes: one case set up as the suite
/// sets it up (the outputs checked against each other), then SharpFlow and ONNX Runtime run in turns, in blocks of
/// five calls, and the median and fastest call of each are printed with their ratio. With <c>SHARPFLOW_PROFILE=1</c>
/// the per-op table of the timed rounds follows at exit (SharpFlow's calls only); with <c>SHARPFLOW_PEER_SOLO=seconds</c>
/// SharpFlow's calls then run alone for that long, for a system-wide profiler; with <c>SHARPFLOW_PEER_AB=toggle</c>
/// (the names in <see cref="Toggles"/>) SharpFlow's calls run a second time in each turn with that setting flipped, and
/// that median follows (an A/B of one build in one process: this machine's speed moves too much between runs).
/// <code>dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- peer resnet18/1 [rounds]</code>
/// </summary>
public static class PeerAlternate
{
    /// <summary>Settings <c>SHARPFLOW_PEER_AB</c> can flip (true: flipped, false: as the process started).</summary>
    internal static readonly Dictionary<string, Action<bool>> Toggles = new()
    {
        ["even-tasks"] = Flip(() => SharpFlow.Kernels.Partition.EvenTasks, v => SharpFlow.Kernels.Partition.EvenTasks = v, !SharpFlow.Kernels.Partition.EvenTasks),
        ["winograd-local"] = Flip(() => SharpFlow.Kernels.Convolution.Winograd.LocalFilterBytes, v => SharpFlow.Kernels.Convolution.Winograd.LocalFilterBytes = v, 0L),
        ["spin"] = Flip(() => SharpFlow.Kernels.WorkerPool.SpinTicks, v => SharpFlow.Kernels.WorkerPool.SpinTicks = v, 0L),
        ["one-pass"] = Flip(() => SharpFlow.Kernels.PackedSgemm.OnePassRowBlocks, v => SharpFlow.Kernels.PackedSgemm.OnePassRowBlocks = v, int.Parse(Environment.GetEnvironmentVariable("SHARPFLOW_PEER_AB_VALUE") ?? "1000")),
        ["winograd"] = Flip(() => SharpFlow.Kernels.Convolution.Winograd.Enabled, v => SharpFlow.Kernels.Convolution.Winograd.Enabled = v, !SharpFlow.Kernels.Convolution.Winograd.Enabled),
        ["owned-ranges"] = Flip(() => SharpFlow.Kernels.WorkerPool.OwnedRanges, v => SharpFlow.Kernels.WorkerPool.OwnedRanges = v, !SharpFlow.Kernels.WorkerPool.OwnedRanges),
        ["direct-pairs"] = Flip(() => SharpFlow.Kernels.Convolution.DirectConv.Pairs64, v => SharpFlow.Kernels.Convolution.DirectConv.Pairs64 = v, !SharpFlow.Kernels.Convolution.DirectConv.Pairs64),
        ["winograd-line"] = Flip(() => SharpFlow.Kernels.Convolution.WinogradLine.Enabled, v => SharpFlow.Kernels.Convolution.WinogradLine.Enabled = v, !SharpFlow.Kernels.Convolution.WinogradLine.Enabled),
        ["winograd-line-tile"] = Flip(() => SharpFlow.Kernels.Convolution.WinogradLine.TileSize, v => SharpFlow.Kernels.Convolution.WinogradLine.TileSize = v,
            6 - SharpFlow.Kernels.Convolution.WinogradLine.TileSize),
        ["next-task"] = Flip(() => SharpFlow.Kernels.PackedSgemm.PrefetchNextTask, v => SharpFlow.Kernels.PackedSgemm.PrefetchNextTask = v, !SharpFlow.Kernels.PackedSgemm.PrefetchNextTask),
        ["direct-conv"] = Flip(() => SharpFlow.Kernels.Convolution.DirectConv.Enabled, v => SharpFlow.Kernels.Convolution.DirectConv.Enabled = v, !SharpFlow.Kernels.Convolution.DirectConv.Enabled),
    };

    private static Action<bool> Flip<T>(Func<T> get, Action<T> set, T flippedValue)
    {
        var start = get();
        return flipped => set(flipped ? flippedValue : start);
    }

    /// <summary>Runs <paramref name="rounds"/> rounds of case <paramref name="peerCase"/> after 3 seconds of warm-up rounds.</summary>
    public static void Run(string peerCase, int rounds)
    {
        using var bench = new PeerInferenceBenchmarks { Case = peerCase };
        bench.Setup();
        // Warm up for 3 seconds (at least 3 rounds): tiered compilation gives the kernels their optimized code only after
        // a pause in new methods, and with 3 rounds Inception-v3 still ran partly unoptimized (48 ms against 35).
        for (var (i, warm) = (0, Stopwatch.GetTimestamp()); i < 3 || Stopwatch.GetElapsedTime(warm).TotalSeconds < 3; i++)
        {
            bench.SharpFlow();
            bench.OnnxRuntime();
        }
        SharpFlow.Execution.OpProfiler.Reset();
        // Blocks of calls, SharpFlow's then ONNX Runtime's, after a pause: ONNX Runtime's threads spin a while after a
        // run, which took the cores from a SharpFlow call made right after it. The first call of a block is not timed.
        var (ours, theirs) = (new double[rounds], new double[rounds]);
        const int block = 5;
        // SHARPFLOW_PEER_AB=toggle: SharpFlow's calls also run with the toggle's other setting, in the same turns.
        var ab = Environment.GetEnvironmentVariable("SHARPFLOW_PEER_AB") is { Length: > 0 } name ? Toggles[name] : null;
        var other = new double[rounds];
        for (var r = 0; r < rounds; r += block - 1)
        {
            Time(() => bench.SharpFlow(), ours, r);
            if (ab is not null)
            {
                ab(true);
                Time(() => bench.SharpFlow(), other, r);
                ab(false);
            }
            Time(bench.OnnxRuntime, theirs, r);
        }
        if (ab is not null)
            Console.WriteLine($"{peerCase}: with {Environment.GetEnvironmentVariable("SHARPFLOW_PEER_AB")} flipped: SharpFlow median {other.Order().ElementAt(rounds / 2):F2} ms (fastest {other.Min():F2})");
        static void Time(Action call, double[] times, int first)
        {
            Thread.Sleep(50);
            SharpFlow.Execution.OpProfiler.Paused = true;
            call();
            SharpFlow.Execution.OpProfiler.Paused = false;
            for (var i = first; i < Math.Min(times.Length, first + block - 1); i++)
            {
                var t = Stopwatch.GetTimestamp();
                call();
                times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        }
        double Median(double[] v) => v.Order().ElementAt(v.Length / 2);
        // What one SharpFlow call allocates (all threads), after the rounds: buffers the pools did not keep show here.
        var (allocated, collections) = (GC.GetTotalAllocatedBytes(true), GC.CollectionCount(0));
        bench.SharpFlow();
        Console.WriteLine($"{peerCase}: one SharpFlow call allocated {(GC.GetTotalAllocatedBytes(true) - allocated) / 1024.0:F1} KiB ({GC.CollectionCount(0) - collections} gen-0 collections)");
        Console.WriteLine($"{peerCase}: SharpFlow median {Median(ours):F2} ms (fastest {ours.Min():F2}), ONNX Runtime median {Median(theirs):F2} ms (fastest {theirs.Min():F2}); " +
            $"ratio (ONNX Runtime / SharpFlow) {Median(theirs) / Median(ours):F2} median, {theirs.Min() / ours.Min():F2} fastest; {rounds} rounds");
        // SHARPFLOW_PEER_SOLO=seconds: then SharpFlow's calls alone for that long, for a system-wide profiler
        // (`perf record -a -- sleep …` started after the line above) to see where its time and its idle time go.
        if (double.TryParse(Environment.GetEnvironmentVariable("SHARPFLOW_PEER_SOLO"), out var solo))
        {
            Console.Out.Flush();
            var calls = 0;
            for (var t = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(t).TotalSeconds < solo; calls++) bench.SharpFlow();
            Console.WriteLine($"{peerCase}: {calls} SharpFlow calls alone in {solo} s");
        }
    }
}
