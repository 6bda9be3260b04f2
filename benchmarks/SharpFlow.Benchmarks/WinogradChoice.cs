using System.Diagnostics;
using System.Globalization;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Benchmarks;

/// <summary>
/// A quick table for choosing between im2col and Winograd with prepacked constant filters: ResNet18's 3×3 stride-1
/// layers (and two of Inception's and VGG's sizes) at batch 1 and 8, the median of repeated calls of im2col, F(4×4)
/// and F(2×2), each with its filter prepacked once, beside the 4×4 and 2×2 tile counts the choice is made on.
/// <code>dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- winograd-choice [repeats]</code>
/// </summary>
public static class WinogradChoice
{
    /// <summary>Prints the table.</summary>
    public static void Run(int repeats)
    {
        Console.WriteLine("layer        batch  tiles4 tiles2   im2col ms      F4 ms      F2 ms   (each prepacked; median of " + repeats + ")");
        foreach (var (size, c) in new[] { (56, 64), (28, 128), (14, 256), (7, 512), (17, 192), (35, 64) })
            foreach (var batch in new[] { 1, 8 })
            {
                var g = Window2D.Create(batch, size, size, c, 3, 3, 1, 1, 1, 1, true);
                var input = Data.Random((long)batch * size * size * c, 1);
                var filter = Data.Random(9L * c * c, 2);
                var output = new float[batch * g.OutPositions * c];
                var (p0, p4, p2) = (new PrepackedFilter(), new PrepackedFilter(), new PrepackedFilter());
                var saved = Winograd.Enabled;
                double im2col;
                try
                {
                    Winograd.Enabled = false;
                    im2col = Median(repeats, () => Conv2DKernels.Forward<float>(input, filter, output, g, c, prepacked: p0));
                }
                finally
                {
                    Winograd.Enabled = saved;
                }
                var f4 = Median(repeats, () => Winograd.Forward(input, filter, output, g, c, tileSize: 4, prepacked: p4));
                var f2 = Median(repeats, () => Winograd.Forward(input, filter, output, g, c, tileSize: 2, prepacked: p2));
                var tiles4 = batch * ((size + 3) / 4) * ((size + 3) / 4);
                var tiles2 = batch * ((size + 1) / 2) * ((size + 1) / 2);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{size}x{size}x{c,-6} {batch,5} {tiles4,7} {tiles2,6} {im2col,11:F3} {f4,10:F3} {f2,10:F3}   chosen now: {Winograd.ChooseTileSize(g, prepacked: true)}"));
            }
    }

    /// <summary>
    /// ResNet18's first convolution (224×224×3, 7×7 stride 2, 64 filters, batch 1) by im2col with its filter prepacked,
    /// with the patch matrix cut into bands of at most <paramref name="limits"/> elements (the first: one band).
    /// </summary>
    public static void Stem(int repeats, long[] limits)
    {
        var g = Window2D.Create(1, 224, 224, 3, 7, 7, 2, 2, 1, 1, true);
        var input = Data.Random(224L * 224 * 3, 3);
        var filter = Data.Random(7L * 7 * 3 * 64, 4);
        var output = new float[g.OutPositions * 64];
        var saved = Conv2DKernels.MaxPatchElements;
        try
        {
            foreach (var limit in limits)
            {
                Conv2DKernels.MaxPatchElements = limit;
                var prepacked = new PrepackedFilter();
                var ms = Median(repeats, () => Conv2DKernels.Forward<float>(input, filter, output, g, 64, prepacked: prepacked));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stem 7x7/2 3->64 at batch 1, patch limit {limit,9}: {ms:F3} ms"));
            }
        }
        finally
        {
            Conv2DKernels.MaxPatchElements = saved;
        }
        // As the imported ResNet18 runs it: ONNX's symmetric pads of 3 (explicit), the bias and Relu fused.
        var gx = Window2D.CreateExplicit(1, 224, 224, 3, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3);
        var bias = Data.Random(64, 5);
        foreach (var (name, geometry, withBias, relu) in new[] { ("SAME", g, false, false), ("explicit 3/3", gx, false, false), ("explicit 3/3, bias", gx, true, false),
            ("explicit 3/3, Relu", gx, false, true), ("explicit 3/3, bias + Relu", gx, true, true) })
        {
            var prepacked = new PrepackedFilter();
            var ms = Median(repeats, () => Conv2DKernels.Forward<float>(input, filter, output, geometry, 64,
                new SharpFlow.Kernels.GemmEpilogue<float>(withBias ? bias : default, default, relu ? SharpFlow.Kernels.FusedActivation.Relu : SharpFlow.Kernels.FusedActivation.None), prepacked));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stem 7x7/2 3->64 at batch 1, {name}: {ms:F3} ms"));
        }
    }

    private static double Median(int repeats, Action body)
    {
        for (var i = 0; i < 3; i++) body();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            body();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
