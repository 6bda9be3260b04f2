using System.Diagnostics;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Benchmarks;

/// <summary>
/// GFLOP/s of the packed GEMM on a square product and on the shapes Inception-v3's and ResNet18's convolutions give
/// it at batch 1 (rows = output positions, k = patch length, columns = output channels), B prepacked as a session
/// prepacks constant filters. The median of repeated calls per shape; <c>DOTNET_PROCESSOR_COUNT=1</c> gives one core.
/// <code>dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- gemm-probe [repeats]</code>
/// </summary>
public static class GemmProbe
{
    private static readonly (string Name, int M, int K, int N)[] Shapes =
    [
        ("square 1024", 1024, 1024, 1024),
        ("incep 35x35 1x1 288->64", 1225, 288, 64),
        ("incep 35x35 3x3 64->96", 1225, 576, 96),
        ("incep 17x17 1x1 768->192", 289, 768, 192),
        ("incep 17x17 1x7 160->160", 289, 1120, 160),
        ("incep 8x8 1x1 2048->320", 64, 2048, 320),
        ("incep 71x71 3x3 80->192", 5041, 720, 192),
        ("resnet 28x28 3x3 128->128", 784, 1152, 128),
        ("resnet 7x7 3x3 512->512", 49, 4608, 512),
        ("resnet 28x28 3x3/2 64->128", 784, 576, 128),
        ("resnet 14x14 3x3/2 128->256", 196, 1152, 256),
        ("incep 17x17 7x1 192->192", 289, 1344, 192),
    ];

    /// <summary>Prints each shape's median time and GFLOP/s.</summary>
    public static void Run(int repeats)
    {
        var random = new Random(1);
        // SHARPFLOW_PROBE_SHAPES="m,k,n;m,k,n" probes those shapes instead.
        var shapes = Environment.GetEnvironmentVariable("SHARPFLOW_PROBE_SHAPES") is { Length: > 0 } given
            ? given.Split(';').Select(t => t.Split(',').Select(int.Parse).ToArray()).Select(v => ($"{v[0]}x{v[1]}x{v[2]}", v[0], v[1], v[2])).ToArray()
            : Shapes;
        foreach (var (name, m, k, n) in shapes)
        {
            var a = new float[m * k];
            var b = new float[k * n];
            var c = new float[m * n];
            for (var i = 0; i < a.Length; i++) a[i] = (float)random.NextDouble() - 0.5f;
            for (var i = 0; i < b.Length; i++) b[i] = (float)random.NextDouble() - 0.5f;
            var packed = PackedMatrix.Pack(b, k, n, false);
            var ms = Median(repeats, () => PackedSgemm.Multiply(a, b, c, m, k, n, false, false, default, packed));
            // SHARPFLOW_PEER_AB=toggle: calls alternate between the setting as started and flipped (medians of each).
            if (Environment.GetEnvironmentVariable("SHARPFLOW_PEER_AB") is { Length: > 0 } toggle)
            {
                var (asIs, flipped) = Alternate(repeats, PeerAlternate.Toggles[toggle], () => PackedSgemm.Multiply(a, b, c, m, k, n, false, false, default, packed));
                var ring = Enumerable.Range(0, Ring(b.Length, 256L << 20)).Select(_ => PackedMatrix.Pack(b, k, n, false)).ToArray();
                var turn = 0;
                var (coldAsIs, coldFlipped) = Alternate(repeats, PeerAlternate.Toggles[toggle], () => PackedSgemm.Multiply(a, b, c, m, k, n, false, false, default, ring[turn++ % ring.Length]));
                Console.WriteLine($"{name,-28} {m,5}x{k,5}x{n,5}  {asIs,7:F3} ms, {toggle} flipped {flipped,7:F3}; B from memory {coldAsIs,7:F3}, flipped {coldFlipped,7:F3}");
                continue;
            }
            // Cold: the filter (and then the input too) read from memory as in a network, where every layer's data pushed
            // out the previous ones: rings of copies, 256 MiB of each operand, used one after another.
            var cold = Enumerable.Range(0, Ring(b.Length, 256L << 20)).Select(_ => PackedMatrix.Pack(b, k, n, false)).ToArray();
            var coldA = Enumerable.Range(0, Ring(a.Length, 256L << 20)).Select(_ => (float[])a.Clone()).ToArray();
            var (nextA, nextB) = (0, 0);
            var coldMs = Median(repeats, () => PackedSgemm.Multiply(a, b, c, m, k, n, false, false, default, cold[nextB++ % cold.Length]));
            var bothMs = Median(repeats, () => PackedSgemm.Multiply(coldA[nextA++ % coldA.Length], b, c, m, k, n, false, false, default, cold[nextB++ % cold.Length]));
            Console.WriteLine($"{name,-28} {m,5}x{k,5}x{n,5}  {ms,7:F3} ms {2.0 * m * k * n / ms / 1e6,6:F1} GFLOP/s; B from memory {coldMs,7:F3} ms {2.0 * m * k * n / coldMs / 1e6,6:F1}; A and B {bothMs,7:F3} ms {2.0 * m * k * n / bothMs / 1e6,6:F1}");

        }
    }

    /// <summary>The stem convolutions at batch 1 (few input channels, large images), each with its filter prepacked.</summary>
    public static void Stems(int repeats)
    {
        foreach (var (name, g, outChannels) in new[]
        {
            ("inception 299x299x3 3x3/2 ->32", Window2D.Create(1, 299, 299, 3, 3, 3, 2, 2, 1, 1, false), 32),
            ("resnet 224x224x3 7x7/2 ->64", Window2D.CreateExplicit(1, 224, 224, 3, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3), 64),
            ("inception 149x149x32 3x3 ->32", Window2D.Create(1, 149, 149, 32, 3, 3, 1, 1, 1, 1, false), 32),
            ("inception 147x147x32 3x3 ->64", Window2D.Create(1, 147, 147, 32, 3, 3, 1, 1, 1, 1, true), 64),
            ("inception 35x35x48 5x5 ->64", Window2D.Create(1, 35, 35, 48, 5, 5, 1, 1, 1, 1, true), 64),
            ("inception 17x17x192 7x1 ->192", Window2D.Create(1, 17, 17, 192, 7, 1, 1, 1, 1, 1, true), 192),
            ("inception 17x17x192 1x7 ->192", Window2D.Create(1, 17, 17, 192, 1, 7, 1, 1, 1, 1, true), 192),
            ("inception 8x8x384 1x3 ->384", Window2D.Create(1, 8, 8, 384, 1, 3, 1, 1, 1, 1, true), 384),
            ("inception 35x35x288 3x3/2 ->384", Window2D.Create(1, 35, 35, 288, 3, 3, 2, 2, 1, 1, false), 384),
            ("resnet 56x56x64 3x3/2 ->128", Window2D.CreateExplicit(1, 56, 56, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 128),
            ("resnet 28x28x128 3x3/2 ->256", Window2D.CreateExplicit(1, 28, 28, 128, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 256),
        })
        {
            var input = Data.Random((long)g.InHeight * g.InWidth * g.Channels, 3);
            var filter = Data.Random((long)g.PatchSize * outChannels, 4);
            var output = new float[g.OutPositions * outChannels];
            var prepacked = new PrepackedFilter();
            var bias = Data.Random(outChannels, 5);
            var ms = Median(repeats, () => Conv2DKernels.Forward<float>(input, filter, output, g, outChannels, prepacked: prepacked));
            var fusedMs = Median(repeats, () => Conv2DKernels.Forward<float>(input, filter, output, g, outChannels,
                new GemmEpilogue<float>(bias, default, FusedActivation.Relu), prepacked));
            var flush = new float[64 << 20];
            var coldMs = Median(repeats, () => Conv2DKernels.Forward<float>(input, filter, output, g, outChannels,
                new GemmEpilogue<float>(bias, default, FusedActivation.Relu), prepacked), () => Array.Fill(flush, 1f));
            // The product alone on the patch matrix im2col makes (what the convolution costs beyond it).
            var patches = new float[(long)g.OutPositions * g.PatchSize];
            Im2Col.Expand<float>(input, g, 0, 1, patches);
            var panels = PackedMatrix.Pack(filter, g.PatchSize, outChannels, false);
            var productMs = Median(repeats, () => PackedSgemm.Multiply(patches, filter, output, g.OutPositions, g.PatchSize, outChannels, false, false, default, panels));
            var im2colMs = Median(repeats, () => Im2Col.Expand<float>(input, g, 0, 1, patches));
            Console.WriteLine($"{name,-32} {ms,8:F3} ms  {2.0 * g.OutPositions * g.PatchSize * outChannels / ms / 1e6,7:F1} GFLOP/s; with bias and ReLU {fusedMs,8:F3} ms, after 256 MiB written {coldMs,8:F3} ms; product alone {productMs,8:F3} ms, im2col alone {im2colMs,8:F3} ms");
        }
    }

    /// <summary>
    /// Inception-v3's 17×17 1×7 and 7×1 convolutions (and a few others) with calls alternating between a setting as
    /// it started and flipped (<c>SHARPFLOW_PEER_AB</c>, e.g. <c>winograd-line</c>): medians with everything warm, and
    /// with each call's filter (prepacked) and output taken from rings larger than the last-level cache, as in a network.
    /// </summary>
    public static void ConvAlternate(int repeats)
    {
        var toggle = Environment.GetEnvironmentVariable("SHARPFLOW_PEER_AB") ?? "winograd-line";
        foreach (var (name, g, outChannels) in new[]
        {
            ("inception 17x17x128 1x7 ->128", Window2D.Create(1, 17, 17, 128, 1, 7, 1, 1, 1, 1, true), 128),
            ("inception 17x17x128 7x1 ->192", Window2D.Create(1, 17, 17, 128, 7, 1, 1, 1, 1, 1, true), 192),
            ("inception 17x17x160 1x7 ->160", Window2D.Create(1, 17, 17, 160, 1, 7, 1, 1, 1, 1, true), 160),
            ("inception 17x17x160 7x1 ->192", Window2D.Create(1, 17, 17, 160, 7, 1, 1, 1, 1, 1, true), 192),
            ("inception 17x17x192 1x7 ->192", Window2D.Create(1, 17, 17, 192, 1, 7, 1, 1, 1, 1, true), 192),
            ("inception 17x17x192 7x1 ->192", Window2D.Create(1, 17, 17, 192, 7, 1, 1, 1, 1, 1, true), 192),
            ("inception 35x35x288 3x3/2 ->384", Window2D.Create(1, 35, 35, 288, 3, 3, 2, 2, 1, 1, false), 384),
            ("inception 17x17x768 1x1 ->192", Window2D.Create(1, 17, 17, 768, 1, 1, 1, 1, 1, 1, true), 192),
            ("inception 17x17x768 1x1 ->160", Window2D.Create(1, 17, 17, 768, 1, 1, 1, 1, 1, 1, true), 160),
            ("inception 8x8x1280 1x1 ->448", Window2D.Create(1, 8, 8, 1280, 1, 1, 1, 1, 1, 1, true), 448),
        }.Where(s => Environment.GetEnvironmentVariable("SHARPFLOW_PROBE_FILTER") is not { Length: > 0 } only || s.Item1.Contains(only, StringComparison.Ordinal)))
        {
            var input = Data.Random((long)g.InHeight * g.InWidth * g.Channels, 3);
            var filter = Data.Random((long)g.PatchSize * outChannels, 4);
            var bias = Data.Random(outChannels, 5);
            var outLength = g.OutPositions * outChannels;
            var filters = Enumerable.Range(0, Ring(filter.Length * 2L)).Select(_ => new PrepackedFilter()).ToArray();
            var outputs = Enumerable.Range(0, Ring(outLength)).Select(_ => new float[outLength]).ToArray();
            var flip = PeerAlternate.Toggles[toggle];
            foreach (var side in new[] { false, true })
            {
                flip(side);
                foreach (var f in filters) Conv2DKernels.Forward<float>(input, filter, outputs[0], g, outChannels, default, f);
            }
            flip(false);
            void Convolve(float[] output, PrepackedFilter prepacked) =>
                Conv2DKernels.Forward<float>(input, filter, output, g, outChannels, new GemmEpilogue<float>(bias, default, FusedActivation.Relu), prepacked);
            var (nf, no) = (0, 0);
            var (warm, warmFlipped) = Alternate(repeats, flip, () => Convolve(outputs[0], filters[0]));
            var (cold, coldFlipped) = Alternate(repeats, flip, () => Convolve(outputs[no++ % outputs.Length], filters[nf++ % filters.Length]));
            var flops = 2.0 * g.OutPositions * g.PatchSize * outChannels / 1e6;
            Console.WriteLine($"{name,-32} warm {warm,7:F3} ms ({flops / warm,5:F0} GFLOP/s), {toggle} flipped {warmFlipped,7:F3} ({flops / warmFlipped,5:F0}); " +
                $"filter and output from memory {cold,7:F3} ({flops / cold,5:F0}), flipped {coldFlipped,7:F3} ({flops / coldFlipped,5:F0})");
        }
    }

    /// <summary>
    /// Which operand's place in the cache costs a convolution its time in a network: each shape with everything warm,
    /// then with only its output, only its input, only its (prepacked) filter, or all three taken in turn from rings of
    /// copies larger than the last-level cache (so each call finds that operand in memory).
    /// </summary>
    public static void ColdOperands(int repeats)
    {
        foreach (var (name, g, outChannels) in new[]
        {
            ("inception 35x35x48 5x5 ->64", Window2D.Create(1, 35, 35, 48, 5, 5, 1, 1, 1, 1, true), 64),
            ("inception 17x17x192 7x1 ->192", Window2D.Create(1, 17, 17, 192, 7, 1, 1, 1, 1, 1, true), 192),
            ("inception 17x17x768 1x1 ->192", Window2D.Create(1, 17, 17, 768, 1, 1, 1, 1, 1, 1, true), 192),
            ("inception 149x149x32 3x3 ->32", Window2D.Create(1, 149, 149, 32, 3, 3, 1, 1, 1, 1, false), 32),
            ("inception 8x8x2048 1x1 ->448", Window2D.Create(1, 8, 8, 2048, 1, 1, 1, 1, 1, 1, true), 448),
            ("resnet 7x7x512 3x3 ->512", Window2D.Create(1, 7, 7, 512, 3, 3, 1, 1, 1, 1, true), 512),
            ("resnet 224x224x3 7x7/2 ->64", Window2D.CreateExplicit(1, 224, 224, 3, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3), 64),
        })
        {
            var inLength = (long)g.InHeight * g.InWidth * g.Channels;
            var outLength = (long)g.OutPositions * outChannels;
            var filter = Data.Random((long)g.PatchSize * outChannels, 4);
            var bias = Data.Random(outChannels, 5);
            var inputs = Enumerable.Range(0, Ring(inLength)).Select(i => Data.Random(inLength, 3 + i)).ToArray();
            var outputs = Enumerable.Range(0, Ring(outLength)).Select(_ => new float[outLength]).ToArray();
            foreach (var o in outputs) Array.Fill(o, 1f);
            var filters = Enumerable.Range(0, Ring(filter.Length)).Select(_ => new PrepackedFilter()).ToArray();
            foreach (var f in filters) Conv2DKernels.Forward<float>(inputs[0], filter, outputs[0], g, outChannels, default, f);
            var (ni, no, nf) = (0, 0, 0);
            double Time(bool coldIn, bool coldOut, bool coldFilter) => Median(repeats, () => Conv2DKernels.Forward<float>(
                inputs[coldIn ? ni++ % inputs.Length : 0], filter, outputs[coldOut ? no++ % outputs.Length : 0], g, outChannels,
                new GemmEpilogue<float>(bias, default, FusedActivation.Relu), filters[coldFilter ? nf++ % filters.Length : 0]));
            var warm = Time(false, false, false);
            var output = Time(false, true, false);
            var input = Time(true, false, false);
            var filterOnly = Time(false, false, true);
            var all = Time(true, true, true);
            Console.WriteLine($"{name,-32} warm {warm,7:F3} ms; cold output {output,7:F3}, input {input,7:F3}, filter {filterOnly,7:F3}, all {all,7:F3}");
        }
    }

    /// <summary>
    /// Winograd's 3×3 layers with each thread taking its own tile blocks through all steps
    /// (<see cref="Winograd.LocalFilterBytes"/>) against the three parallel steps per block: calls alternate between the
    /// two, outputs from a ring larger than the last-level cache (as in a network), and the medians are printed.
    /// </summary>
    public static void WinogradLocal(int repeats)
    {
        foreach (var (name, g, outChannels) in new[]
        {
            ("inception 149x149x32 3x3 ->32", Window2D.Create(1, 149, 149, 32, 3, 3, 1, 1, 1, 1, false), 32),
            ("inception 147x147x32 3x3 ->64", Window2D.Create(1, 147, 147, 32, 3, 3, 1, 1, 1, 1, true), 64),
            ("inception 35x35x64 3x3 ->96", Window2D.Create(1, 35, 35, 64, 3, 3, 1, 1, 1, 1, true), 96),
            ("resnet 56x56x64 3x3 ->64", Window2D.Create(1, 56, 56, 64, 3, 3, 1, 1, 1, 1, true), 64),
            ("resnet 56x56x64 3x3 ->64 b8", Window2D.Create(8, 56, 56, 64, 3, 3, 1, 1, 1, 1, true), 64),
        })
        {
            var input = Data.Random((long)g.Batch * g.InHeight * g.InWidth * g.Channels, 3);
            var filter = Data.Random((long)g.PatchSize * outChannels, 4);
            var bias = Data.Random(outChannels, 5);
            var outLength = (long)g.Batch * g.OutPositions * outChannels;
            var outputs = Enumerable.Range(0, Ring(outLength)).Select(_ => new float[outLength]).ToArray();
            var prepacked = new PrepackedFilter();
            var next = 0;
            var saved = Winograd.LocalFilterBytes;
            double Call(long local)
            {
                Winograd.LocalFilterBytes = local;
                var t = Stopwatch.GetTimestamp();
                Conv2DKernels.Forward<float>(input, filter, outputs[next++ % outputs.Length], g, outChannels,
                    new GemmEpilogue<float>(bias, default, FusedActivation.Relu), prepacked);
                return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
            for (var warm = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warm).TotalSeconds < 1;) { Call(0); Call(saved); }
            var (off, on) = (new double[repeats], new double[repeats]);
            for (var r = 0; r < repeats; r++) (off[r], on[r]) = (Call(0), Call(saved));
            Winograd.LocalFilterBytes = saved;
            Array.Sort(off);
            Array.Sort(on);
            Console.WriteLine($"{name,-32} three steps per block {off[repeats / 2],7:F3} ms, tile-local {on[repeats / 2],7:F3} ms (fastest {off[0],7:F3} / {on[0],7:F3})");
        }
    }

    /// <summary>
    /// Copies in a ring of operands of <paramref name="floats"/> values each that together pass <paramref name="bytes"/>
    /// (more than the last-level cache), at least two: taken in turn, each call finds its operand in memory.
    /// </summary>
    private static int Ring(long floats, long bytes = 320L << 20) => (int)Math.Max(2, bytes / (4 * floats));

    /// <summary>Medians of calls alternating between a setting as it started and flipped (warm-up first, both ways).</summary>
    internal static (double AsIs, double Flipped) Alternate(int repeats, Action<bool> flip, Action body)
    {
        var times = new[] { new double[repeats], new double[repeats] };
        for (var warm = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warm).TotalSeconds < 1;)
        {
            flip(true);
            body();
            flip(false);
            body();
        }
        for (var r = 0; r < repeats; r++)
        {
            for (var side = 0; side < 2; side++)
            {
                flip(side == 1);
                var t = Stopwatch.GetTimestamp();
                body();
                times[side][r] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        }
        flip(false);
        return (times[0].Order().ElementAt(repeats / 2), times[1].Order().ElementAt(repeats / 2));
    }

    /// <summary>
    /// The median time of <paramref name="repeats"/> calls after a second of warm-up calls: tiered compilation
    /// promotes the kernels only after a pause in newly compiled methods.
    /// </summary>
    internal static double Median(int repeats, Action body, Action? before = null)
    {
        for (var warm = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warm).TotalSeconds < 1;) body();
        var times = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            before?.Invoke();
            var t = Stopwatch.GetTimestamp();
            body();
            times[r] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
