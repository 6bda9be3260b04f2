using System.Runtime.CompilerServices;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops;

/// <summary>
/// The values of Const ops: each Const kernel registers the value it outputs, so a kernel can tell at run time that an
/// input is a graph constant, whatever op of the plan produced it (the optimizer rewires a user op's inputs plan by
/// plan: a folded constant in one plan may be a computed value in another, so an op's own inputs do not say). A
/// value is held weakly and marks only that array; a fed or computed value, or a variable's, is never one.
/// </summary>
internal static class ConstantValues
{
    private static readonly ConditionalWeakTable<NDArray, object> Values = new();
    private static readonly object Mark = new();

    /// <summary>Marks <paramref name="value"/> as the immutable value of a Const op.</summary>
    public static void Register(NDArray value) => Values.TryAdd(value, Mark);

    /// <summary>Whether <paramref name="value"/> is a Const op's value.</summary>
    public static bool IsConstant(NDArray value) => Values.TryGetValue(value, out _);
}

/// <summary>
/// A product's weight operand (a convolution's filter, MatMul's B) as a kernel sees it run after run: when the value
/// is a Const's (<see cref="ConstantValues"/>), as the weights of imported and frozen models are in an optimized plan
/// (constant folding and batch norm folding make Consts of them), its packed forms (<see cref="PackedMatrix"/>,
/// <see cref="PrepackedFilter"/>) are made on the first run and read by every later one, as ONNX Runtime prepacks
/// constant weights. The op's kernel keeps one, session-lived as the kernel is; it holds the forms of the last
/// constant it saw (one, unless plans differ). A variable's, a fed or a computed value takes the unpacked path.
/// <c>SHARPFLOW_PREPACK=0</c> (<see cref="PackedMatrix.Enabled"/>) turns it off.
/// </summary>
internal sealed class ConstantOperand
{
    /// <summary>One constant's forms; the filter's are made lazily by <see cref="PrepackedFilter"/>, the GEMM panels here.</summary>
    private sealed class Entry(NDArray value)
    {
        public NDArray Value { get; } = value;
        public PrepackedFilter Filter { get; } = new();
        public PackedMatrix? Panels;
    }

    private Entry? _entry;

    private Entry? EntryFor(NDArray value)
    {
        if (!PackedMatrix.Enabled || value.dtype != DType.float32 || !ConstantValues.IsConstant(value)) return null;
        var entry = Volatile.Read(ref _entry);
        if (entry is not null && ReferenceEquals(entry.Value, value)) return entry;
        // Another constant (another plan's): its forms replace the last one's; a run still using those keeps them.
        entry = new Entry(value);
        Volatile.Write(ref _entry, entry);
        return entry;
    }

    /// <summary>The convolution filter's prepacked forms, when <paramref name="filter"/> is a Const's float32 value; else null.</summary>
    public PrepackedFilter? Filter(NDArray filter) => EntryFor(filter)?.Filter;

    /// <summary>
    /// The GEMM panels of op(<paramref name="b"/>) (k×n, transposed when <paramref name="transposeB"/>) for an
    /// m×k·k×n float32 product that reads them, when <paramref name="b"/> is a Const's value; else null.
    /// </summary>
    public PackedMatrix? Panels(NDArray b, int m, int k, int n, bool transposeB)
    {
        if (!Gemm.ReadsPackedB(m, k, n)) return null;
        var entry = EntryFor(b);
        if (entry is null) return null;
        var panels = Volatile.Read(ref entry.Panels);
        if (panels is not null) return panels.Fits(k, n, transposeB) ? panels : null;
        var made = PackedMatrix.Pack(b.AsReadOnlySpan<float>(), k, n, transposeB);
        return made is null ? null : Interlocked.CompareExchange(ref entry.Panels, made, null) ?? made;
    }
}
