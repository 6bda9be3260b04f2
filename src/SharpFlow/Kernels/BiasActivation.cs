using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace SharpFlow.Kernels;

/// <summary>The activation a fused op (<c>_FusedMatMul</c>, <c>_FusedConv2D</c>) applies after its bias.</summary>
public enum FusedActivation
{
    /// <summary>Bias only.</summary>
    None,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,

    /// <summary>x where x &gt; 0, e^x - 1 elsewhere.</summary>
    Elu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
}

/// <summary>
/// What a matrix product applies to each element of its result <c>C</c> (m×n) once the sum is complete, in the
/// order of the unfused ops: <c>act((C[i, j] + Bias[j]) + Residual[i, j])</c>. An empty <see cref="Bias"/> or
/// <see cref="Residual"/> is skipped. Only the activations <see cref="BiasActivation.AppliesInBlocks"/> takes are
/// applied; for Tanh and Sigmoid the product applies the sums and leaves the activation to the caller (its own
/// kernel over the whole tensor, whose vectorised form rounds its last elements differently).
/// </summary>
public readonly ref struct GemmEpilogue<T> where T : unmanaged
{
    /// <summary>The epilogue <c>act((C + bias) + residual)</c>.</summary>
    public GemmEpilogue(ReadOnlySpan<T> bias, ReadOnlySpan<T> residual, FusedActivation activation)
    {
        Bias = bias;
        Residual = residual;
        Activation = activation;
    }

    /// <summary>Added to each row of C (one value per column); empty: none.</summary>
    public ReadOnlySpan<T> Bias { get; }

    /// <summary>Added element by element after the bias, laid out as C (m×n, row-major); empty: none.</summary>
    public ReadOnlySpan<T> Residual { get; }

    /// <summary>The activation; Tanh and Sigmoid are the caller's (see the type's summary).</summary>
    public FusedActivation Activation { get; }

    /// <summary>The activation applied with the sums: None for Tanh and Sigmoid.</summary>
    public FusedActivation InBlockActivation => BiasActivation.AppliesInBlocks(Activation) ? Activation : FusedActivation.None;

    /// <summary>True when there is nothing to apply with the sums.</summary>
    public bool IsEmpty => Bias.IsEmpty && Residual.IsEmpty && InBlockActivation == FusedActivation.None;

    /// <summary>
    /// Throws unless the bias holds <paramref name="n"/> values and the residual at least <paramref name="elements"/>:
    /// what a kernel that applies the epilogue to <paramref name="elements"/> values in rows of <paramref name="n"/>
    /// checks before it writes anything.
    /// </summary>
    internal void Check(long elements, int n)
    {
        if (!Bias.IsEmpty && Bias.Length != n) throw new ArgumentException($"epilogue: {Bias.Length} biases for rows of {n}");
        if (!Residual.IsEmpty && Residual.Length < elements) throw new ArgumentException($"epilogue: a residual of {Residual.Length} elements for {elements}");
    }

    /// <summary>The same epilogue with its spans read as <typeparamref name="TTo"/> (a kernel's T known to be that type).</summary>
    internal GemmEpilogue<TTo> As<TTo>() where TTo : unmanaged =>
        new(System.Runtime.InteropServices.MemoryMarshal.Cast<T, TTo>(Bias), System.Runtime.InteropServices.MemoryMarshal.Cast<T, TTo>(Residual), Activation);

    /// <summary>The epilogue of rows [<paramref name="row"/>, +<paramref name="rows"/>) of a product <paramref name="n"/> columns wide.</summary>
    public GemmEpilogue<T> Rows(int row, int rows, int n) =>
        new(Bias, Residual.IsEmpty ? default : Residual.Slice(row * n, rows * n), Activation);
}

/// <summary>
/// The epilogue of the fused ops: the bias added along the last axis, a residual added, and the activation applied,
/// in place on the product a GEMM or convolution just wrote, block by block while each block is in cache (the
/// packed float32 GEMM applies it per register tile instead, <c>Tile</c>). It performs the same float
/// operations per element as BiasAdd's kernel, Add's and the activation's, in that order, so fused and separate
/// results are bitwise the same. Tanh and Sigmoid, whose vectorised forms round their last elements differently,
/// are left to the caller (the activation's own kernel over the whole tensor).
/// </summary>
public static class BiasActivation
{
    /// <summary>True for the activations <see cref="Apply{T}(Span{T}, ReadOnlySpan{T}, FusedActivation)"/> applies itself.</summary>
    public static bool AppliesInBlocks(FusedActivation activation) => activation is FusedActivation.None or FusedActivation.Relu or FusedActivation.Relu6 or FusedActivation.Elu;

    /// <summary>
    /// <c>y[r, c] = act(y[r, c] + bias[c])</c> in place, for an activation <see cref="AppliesInBlocks"/> takes (for
    /// Tanh and Sigmoid: the bias only).
    /// </summary>
    public static void Apply<T>(Span<T> y, ReadOnlySpan<T> bias, FusedActivation activation) where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply(y, bias.Length, new GemmEpilogue<T>(bias, default, activation));

    /// <summary>
    /// <c>y[r, c] = act((y[r, c] + bias[c]) + residual[r, c])</c> in place over rows of <paramref name="n"/>
    /// columns (the activation as <see cref="GemmEpilogue{T}.InBlockActivation"/>).
    /// </summary>
    public static unsafe void Apply<T>(Span<T> y, int n, GemmEpilogue<T> epilogue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (epilogue.IsEmpty || n == 0 || y.Length == 0) return;
        if (y.Length % n != 0) throw new ArgumentException($"epilogue: {y.Length} elements are not rows of {n}");
        epilogue.Check(y.Length, n);
        var rowsPerBlock = Math.Max(1, 2048 / n);
        var block = rowsPerBlock * n;
        var pattern = epilogue.Bias.IsEmpty ? null : System.Buffers.ArrayPool<T>.Shared.Rent(block);
        if (pattern is not null)
            for (var r = 0; r < rowsPerBlock; r++) epilogue.Bias.CopyTo(pattern.AsSpan(r * n));
        var blocks = (y.Length + block - 1) / block;
        fixed (T* py = y)
        fixed (T* pr = epilogue.Residual)
        {
            Partition.For(blocks, block, (Y: (nint)py, R: (nint)pr, N: y.Length, Pattern: pattern, Block: block, Activation: epilogue.InBlockActivation),
                static (in (nint Y, nint R, int N, T[]? Pattern, int Block, FusedActivation Activation) p, int s, int e) =>
                {
                    for (var i = s; i < e; i++)
                    {
                        var start = i * p.Block;
                        var length = Math.Min(p.Block, p.N - start);
                        var span = new Span<T>((T*)p.Y + start, length);
                        if (p.Pattern is not null) TensorPrimitives.Add(span, p.Pattern.AsSpan(0, length), span);
                        if (p.R != 0) TensorPrimitives.Add(span, new ReadOnlySpan<T>((T*)p.R + start, length), span);
                        Activate(span, p.Activation);
                    }
                });
        }
        if (pattern is not null) System.Buffers.ArrayPool<T>.Shared.Return(pattern);
    }

    private static void Activate<T>(Span<T> span, FusedActivation activation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case FusedActivation.Relu: ReluOperator.Invoke<T>(span, span); break;
            case FusedActivation.Relu6: Relu6Operator.Invoke<T>(span, span); break;
            case FusedActivation.Elu: EluOperator.Invoke<T>(span, span); break;
        }
    }

    /// <summary>
    /// The epilogue on one finished tile of a float32 product, while it is in L1: rows × cols elements at
    /// <paramref name="c"/> (row stride <paramref name="ldc"/>), their biases at <paramref name="bias"/> (null: none),
    /// their residuals at <paramref name="residual"/> (null: none, row stride <paramref name="ldc"/>). Vector lanes
    /// and the scalar tail compute the same IEEE operations as the separate kernels (max and min propagate NaN and
    /// order -0 below +0, as <see cref="ReluOperator"/> and <see cref="Relu6Operator"/> do).
    /// </summary>
    internal static unsafe void Tile(Span<float> c, int ldc, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, int rows, int cols, FusedActivation activation)
    {
        if (c.Length < (long)(rows - 1) * ldc + cols || (!residual.IsEmpty && residual.Length < (long)(rows - 1) * ldc + cols) || (!bias.IsEmpty && bias.Length < cols))
            throw new ArgumentException("epilogue tile: a buffer is smaller than the tile");
        fixed (float* pc = c)
        fixed (float* pb = bias)
        fixed (float* pr = residual)
            Tile(pc, ldc, pb, pr, rows, cols, activation);
    }

    /// <inheritdoc cref="Tile(Span{float}, int, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, FusedActivation)"/>
    internal static unsafe void Tile(float* c, int ldc, float* bias, float* residual, int rows, int cols, FusedActivation activation)
    {
        var zero = Vector256<float>.Zero;
        var six = Vector256.Create(6f);
        // The AVX-512 micro-kernel has just stored the tile in 512-bit pieces: they are read back at that width, not as
        // 256-bit halves of a wider store (which store-to-load forwarding may not serve). The same operations per
        // element, so the same results. (No gain could be measured on the shared machine: its noise was larger.)
        var wide = PackedSgemm.Wide && Vector512.IsHardwareAccelerated;
        var zero512 = Vector512<float>.Zero;
        var six512 = Vector512.Create(6f);
        for (var r = 0; r < rows; r++)
        {
            var row = c + (long)r * ldc;
            var res = residual is null ? null : residual + (long)r * ldc;
            var j = 0;
            if (wide)
                for (; j <= cols - 16; j += 16)
                {
                    var v = Vector512.Load(row + j);
                    if (bias is not null) v += Vector512.Load(bias + j);
                    if (res is not null) v += Vector512.Load(res + j);
                    if (activation == FusedActivation.Relu) v = Vector512.Max(v, zero512);
                    else if (activation == FusedActivation.Relu6) v = Vector512.Min(Vector512.Max(v, zero512), six512);
                    v.Store(row + j);
                }
            for (; j <= cols - 8; j += 8)
            {
                var v = Vector256.Load(row + j);
                if (bias is not null) v += Vector256.Load(bias + j);
                if (res is not null) v += Vector256.Load(res + j);
                if (activation == FusedActivation.Relu) v = Vector256.Max(v, zero);
                else if (activation == FusedActivation.Relu6) v = Vector256.Min(Vector256.Max(v, zero), six);
                v.Store(row + j);
            }
            for (; j < cols; j++)
            {
                var v = row[j];
                if (bias is not null) v += bias[j];
                if (res is not null) v += res[j];
                if (activation == FusedActivation.Relu) v = float.Max(v, 0f);
                else if (activation == FusedActivation.Relu6) v = float.Min(float.Max(v, 0f), 6f);
                row[j] = v;
            }
            if (activation == FusedActivation.Elu) EluOperator.Invoke<float>(new Span<float>(row, cols), new Span<float>(row, cols));
        }
    }
}

/// <summary>
/// A fused op's epilogue applied by a direct convolution to each output row (<see cref="Length"/> values: width ×
/// channels) as soon as it has written it, while the row is in cache: <see cref="BiasActivation.Tile(float*, int, float*, float*, int, int, FusedActivation)"/> over the row
/// with the bias repeated for every pixel (<see cref="Pattern"/>), the operations of the separate pass, so the same
/// results. Built by <see cref="Create"/> from pinned memory; <see cref="Applies"/> is false when there is nothing to apply.
/// </summary>
internal readonly unsafe record struct RowEpilogue(nint Pattern, nint Residual, FusedActivation Activation, int Length, bool Applies)
{
    /// <summary>
    /// Checks <paramref name="epilogue"/> against an output of <paramref name="rows"/> rows of <paramref name="width"/>
    /// pixels × <paramref name="channels"/> and rents the bias pattern of one row (null without a bias; give it back
    /// with <see cref="ReturnPattern"/>).
    /// </summary>
    public static float[]? RentPattern(in GemmEpilogue<float> epilogue, long rows, int width, int channels)
    {
        var length = width * channels;
        epilogue.Check(rows * length, channels);
        if (epilogue.Bias.IsEmpty) return null;
        var pattern = System.Buffers.ArrayPool<float>.Shared.Rent(length);
        for (var w = 0; w < width; w++) epilogue.Bias.CopyTo(pattern.AsSpan(w * channels));
        return pattern;
    }

    /// <summary>Gives back a pattern from <see cref="RentPattern"/>.</summary>
    public static void ReturnPattern(float[]? pattern)
    {
        if (pattern is not null) System.Buffers.ArrayPool<float>.Shared.Return(pattern);
    }

    /// <summary>The row epilogue over the pinned <paramref name="pattern"/> (or null) and the epilogue's pinned <paramref name="residual"/> (or null).</summary>
    public static RowEpilogue Create(in GemmEpilogue<float> epilogue, float* pattern, float* residual, int width, int channels) =>
        new((nint)pattern, (nint)residual, epilogue.InBlockActivation, width * channels, !epilogue.IsEmpty);

    /// <summary>
    /// Applies the epilogue to <paramref name="pixels"/> pixels (of <paramref name="channels"/> values) of output row
    /// <paramref name="row"/> from pixel <paramref name="first"/>.
    /// </summary>
    public void ApplyPixels(float* output, long row, int first, int pixels, int channels)
    {
        if (!Applies) return;
        var (offset, count) = (row * Length + (long)first * channels, pixels * channels);
        BiasActivation.Tile(output + offset, count, Pattern == 0 ? null : (float*)Pattern + first * channels,
            Residual == 0 ? null : (float*)Residual + offset, 1, count, Activation);
    }

    /// <summary>Applies the epilogue to output row <paramref name="row"/> of <paramref name="output"/> (rows of <see cref="Length"/> values).</summary>
    public void Apply(float* output, long row)
    {
        if (!Applies) return;
        BiasActivation.Tile(output + row * Length, Length, (float*)Pattern, Residual == 0 ? null : (float*)Residual + row * Length, 1, Length, Activation);
    }
}
