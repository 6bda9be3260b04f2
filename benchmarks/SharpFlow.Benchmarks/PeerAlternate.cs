using System.Diagnostics;

namespace SharpFlow.Benchmarks;

/// <summary>
/// A quicker, cruder form of <see cref="PeerInferenceBenchmarks"/> for trying changes: one case set up as the suite
/// sets it up (the outputs checked against each other), then SharpFlow and ONNX Runtime run in turns, one call each
/// per round, and the median and fastest call of each are printed with their ratio. With <c>SHARPFLOW_PROFILE=1</c>
/// the per-op table follows at exit (SharpFlow's calls only).
/// <code>dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- peer resnet18/1 [rounds]</code>
/// </summary>
public static class PeerAlternate
{
    /// <summary>Runs <paramref name="rounds"/> rounds of case <paramref name="peerCase"/> after 3 warm-up rounds.</summary>
    public static void Run(string peerCase, int rounds)
    {
        using var bench = new PeerInferenceBenchmarks { Case = peerCase };
        bench.Setup();
        for (var i = 0; i < 3; i++)
        {
            bench.SharpFlow();
            bench.OnnxRuntime();
        }
        var (ours, theirs) = (new double[rounds], new double[rounds]);
        for (var i = 0; i < rounds; i++)
        {
            var t = Stopwatch.GetTimestamp();
            bench.SharpFlow();
            ours[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            bench.OnnxRuntime();
            theirs[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        double Median(double[] v) => v.Order().ElementAt(v.Length / 2);
        Console.WriteLine($"{peerCase}: SharpFlow median {Median(ours):F2} ms (fastest {ours.Min():F2}), ONNX Runtime median {Median(theirs):F2} ms (fastest {theirs.Min():F2}); " +
            $"ratio (ONNX Runtime / SharpFlow) {Median(theirs) / Median(ours):F2} median, {theirs.Min() / ours.Min():F2} fastest; {rounds} rounds");
    }
}
