using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops;

/// <summary>
/// A product's weight operand (a convolution's filter, MatMul's B) that comes straight from a Const op, as the weights
/// of imported and frozen models do in an optimized plan (constant folding and batch norm folding make Consts of
/// them); a variable never counts. The op's kernel keeps one, session-lived as the kernel is, and with it the
/// weights' packed forms (<see cref="PackedMatrix"/>, <see cref="PrepackedFilter"/>), made on the first run and
/// read by every later one, as ONNX Runtime prepacks constant weights. At run time the forms are used only for the
/// Const's own value: a fed value (any tensor may be fed) is a different array and takes the unpacked path.
/// <c>SHARPFLOW_PREPACK=0</c> (<see cref="PackedMatrix.Enabled"/>) turns it off.
/// </summary>
internal sealed class ConstantOperand
{
    private readonly NDArray _value;
    private PackedMatrix? _panels;
    private readonly PrepackedFilter _filter = new();

    private ConstantOperand(NDArray value) => _value = value;

    /// <summary>The constant feeding input <paramref name="index"/> of <paramref name="op"/>; null when a non-Const op produces it or it is not float32.</summary>
    public static ConstantOperand? Of(Operation op, int index)
    {
        if (index >= op.inputs.Count) return null;
        var source = op.inputs[index].op;
        if (source.type != "Const" || source.outputs.Count != 1) return null;
        return source.attrs.TryGetValue("value", out var v) && v is NDArray value && value.dtype == DType.float32 ? new ConstantOperand(value) : null;
    }

    /// <summary>Whether <paramref name="value"/> is the Const's value (not a fed one) and prepacking is on.</summary>
    private bool Holds(NDArray value) => PackedMatrix.Enabled && ReferenceEquals(value, _value);

    /// <summary>The convolution filter's prepacked forms, when <paramref name="filter"/> is the Const's value.</summary>
    public PrepackedFilter? Filter(NDArray filter) => Holds(filter) ? _filter : null;

    /// <summary>
    /// The GEMM panels of op(<paramref name="b"/>) (k×n, transposed when <paramref name="transposeB"/>) for an
    /// m×k·k×n float32 product that reads them, when <paramref name="b"/> is the Const's value; else null.
    /// </summary>
    public PackedMatrix? Panels(NDArray b, int m, int k, int n, bool transposeB)
    {
        if (!Holds(b) || !Gemm.ReadsPackedB(m, k, n)) return null;
        var panels = Volatile.Read(ref _panels);
        if (panels is not null) return panels.Fits(k, n, transposeB) ? panels : null;
        var made = PackedMatrix.Pack(b.AsReadOnlySpan<float>(), k, n, transposeB);
        return made is null ? null : Interlocked.CompareExchange(ref _panels, made, null) ?? made;
    }
}
