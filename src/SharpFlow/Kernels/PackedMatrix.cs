namespace SharpFlow.Kernels;

/// <summary>
/// The right-hand operand <c>op(B)</c> of a float32 product, packed once into the micro-panels
/// <see cref="PackedSgemm"/> reads (for every block of <c>KC</c> rows, <c>NR</c>-column panels, zero-padded), so a
/// product with a constant B (a frozen model's filter or weight matrix) skips packing it on every call, as ONNX
/// Runtime's MLAS prepacks constant weights. The panels hold exactly the values the per-call packing writes, and the
/// micro-kernel reads them in the same order, so results are bitwise those of the unpacked product. Immutable once
/// made: any number of threads may multiply with it at once.
/// </summary>
public sealed class PackedMatrix
{
    /// <summary>Whether kernels prepack constant operands; <c>SHARPFLOW_PREPACK=0</c> turns it off. Tests flip it.</summary>
    internal static bool Enabled = Environment.GetEnvironmentVariable("SHARPFLOW_PREPACK") != "0";

    private static long _packed;

    /// <summary>How many matrices this process has packed (tests count them to see a cache made once and then read).</summary>
    internal static long Packed => Interlocked.Read(ref _packed);

    /// <summary>The panels, pinned (the micro-kernels read them through pointers); block p0 starts at <c>p0·Panels·Nr</c>.</summary>
    internal float[] Data { get; }

    /// <summary>Rows of op(B): the inner dimension of the product.</summary>
    public int K { get; }

    /// <summary>Columns of op(B).</summary>
    public int N { get; }

    /// <summary>Whether B was stored n×k (the product's <c>transposeB</c>).</summary>
    public bool TransposeB { get; }

    /// <summary>The panel width the panels were packed for (32 for the AVX-512 kernel, 16 for AVX).</summary>
    internal int Nr { get; }

    private PackedMatrix(float[] data, int k, int n, bool transposeB, int nr) => (Data, K, N, TransposeB, Nr) = (data, k, n, transposeB, nr);

    /// <summary>The number of column panels.</summary>
    internal int Panels => (N + Nr - 1) / Nr;

    /// <summary>
    /// Packs <paramref name="b"/> (k×n row-major, n×k when <paramref name="transposeB"/>) for the packed kernel of
    /// this machine; null where that kernel does not run (no AVX/FMA) or the operand is empty.
    /// </summary>
    public static PackedMatrix? Pack(ReadOnlySpan<float> b, int k, int n, bool transposeB)
    {
        if (!PackedSgemm.IsSupported || k <= 0 || n <= 0) return null;
        if (b.Length < (long)k * n) throw new ArgumentException("PackedMatrix: the operand is smaller than its dimensions say.");
        var nr = PackedSgemm.Wide ? 32 : 16;
        var panels = (n + nr - 1) / nr;
        var data = GC.AllocateUninitializedArray<float>(checked(k * panels * nr), pinned: true);
        PackedSgemm.PackAllB(b, k, n, transposeB, nr, data);
        Interlocked.Increment(ref _packed);
        return new PackedMatrix(data, k, n, transposeB, nr);
    }

    /// <summary>Whether these panels are op(B) of a k×n product with this transpose flag.</summary>
    internal bool Fits(int k, int n, bool transposeB) => K == k && N == n && TransposeB == transposeB;

    /// <summary>The bytes the panels take.</summary>
    public long Bytes => (long)Data.Length * sizeof(float);
}
