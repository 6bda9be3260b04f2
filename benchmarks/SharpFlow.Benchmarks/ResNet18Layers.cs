using System.Diagnostics;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Benchmarks;

/// <summary>
/// ResNet18's twenty convolutions at batch 1 in the network's order, each with its own prepacked filter, so that the
/// caches hold what they hold in the network (45 MB of weights pass through them every run, more once Winograd
/// transforms them), where <see cref="WinogradChoice"/> times one layer over and over with its filter cached. Each
/// variant chooses a path per 3×3 stride-1 layer (im2col, F(4×4), F(2×2)); the variants take turns, round by round,
/// and the median time per layer and per run is printed.
/// <code>dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- resnet18-layers [rounds]</code>
/// </summary>
public static class ResNet18Layers
{
    private sealed record Layer(string Name, Window2D G, int Out)
    {
        public float[] Input = [];
        public float[] Filter = [];
        public float[] Output = [];
    }

    private static List<Layer> Build()
    {
        var layers = new List<Layer> { new("stem 7x7/2 3->64", Window2D.Create(1, 224, 224, 3, 7, 7, 2, 2, 1, 1, true), 64) };
        void Stage(int stage, int size, int c, int inC)
        {
            if (inC != c)
            {
                layers.Add(new($"l{stage} 3x3/2 {inC}->{c}", Window2D.Create(1, size * 2, size * 2, inC, 3, 3, 2, 2, 1, 1, true), c));
                layers.Add(new($"l{stage} 1x1/2 {inC}->{c}", Window2D.Create(1, size * 2, size * 2, inC, 1, 1, 2, 2, 1, 1, false), c));
            }
            for (var i = inC != c ? 1 : 0; i < 4; i++)
                layers.Add(new($"l{stage} 3x3 {size}x{size}x{c}", Window2D.Create(1, size, size, c, 3, 3, 1, 1, 1, 1, true), c));
        }
        Stage(1, 56, 64, 64);
        Stage(2, 28, 128, 64);
        Stage(3, 14, 256, 128);
        Stage(4, 7, 512, 256);
        var seed = 1;
        foreach (var l in layers)
        {
            l.Input = Data.Random((long)l.G.Batch * l.G.InImageSize, seed++);
            l.Filter = Data.Random((long)l.G.PatchSize * l.Out, seed++);
            l.Output = new float[l.G.Batch * l.G.OutPositions * l.Out];
        }
        return layers;
    }

    /// <summary>The path of a 3×3 stride-1 layer of <paramref name="size"/>: 0 im2col, 4 F(4×4), 2 F(2×2), -1 SharpFlow's choice.</summary>
    private static readonly (string Name, Func<int, int> Path)[] Variants =
    [
        ("chosen", _ => -1),
        ("im2col at 7x7", s => s == 7 ? 0 : -1),
        ("im2col at 7x7, 14x14", s => s <= 14 ? 0 : -1),
        ("F(4x4) at 14x14", s => s == 14 ? 4 : -1),
    ];

    /// <summary>Prints the table.</summary>
    public static void Run(int rounds)
    {
        var layers = Build();
        var prepacked = Variants.Select(_ => layers.Select(_ => new PrepackedFilter()).ToArray()).ToArray();
        var times = Variants.Select(_ => layers.Select(_ => new List<double>()).ToArray()).ToArray();
        var totals = Variants.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < rounds + 2; r++)
            for (var v = 0; v < Variants.Length; v++)
            {
                var total = 0.0;
                for (var i = 0; i < layers.Count; i++)
                {
                    var l = layers[i];
                    var path = Winograd.Fits(l.G) ? Variants[v].Path(l.G.OutHeight) : -1;
                    var start = Stopwatch.GetTimestamp();
                    if (path > 0) Winograd.Forward(l.Input, l.Filter, l.Output, l.G, l.Out, tileSize: path, prepacked: prepacked[v][i]);
                    else
                    {
                        var saved = Winograd.Enabled;
                        Winograd.Enabled = path != 0 && saved;
                        try
                        {
                            Conv2DKernels.Forward<float>(l.Input, l.Filter, l.Output, l.G, l.Out, prepacked: prepacked[v][i]);
                        }
                        finally
                        {
                            Winograd.Enabled = saved;
                        }
                    }
                    var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    total += ms;
                    if (r >= 2) times[v][i].Add(ms);
                }
                if (r >= 2) totals[v].Add(total);
            }
        static double Median(List<double> t) => t.Order().ElementAt(t.Count / 2);
        Console.WriteLine($"{"layer",-24}" + string.Concat(Variants.Select(v => $"{v.Name,22}")) + FormattableString.Invariant($"   (ms, median of {rounds})"));
        for (var i = 0; i < layers.Count; i++)
            Console.WriteLine($"{layers[i].Name,-24}" + string.Concat(times.Select(t => FormattableString.Invariant($"{Median(t[i]),22:F3}"))));
        Console.WriteLine($"{"all 20 (median run)",-24}" + string.Concat(totals.Select(t => FormattableString.Invariant($"{Median(t),22:F3}"))));
    }
}
