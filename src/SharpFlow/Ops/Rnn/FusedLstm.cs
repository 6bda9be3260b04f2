using SharpFlow.Framework;

namespace SharpFlow.Ops.Rnn;

/// <summary>
/// What the four fused LSTM ops (LSTMBlockCell, LSTMBlockCellGrad, BlockLSTM, BlockLSTMGrad) share: their dtype rule
/// (every float input of one type, float32 or float64) and TensorFlow's run-time shape checks of the weights.
/// </summary>
internal static class FusedLstm
{
    /// <summary>The common dtype of inputs <paramref name="first"/>.. (TensorFlow's <c>T</c>); float32 or float64.</summary>
    public static DType CheckTypes(InferenceContext ctx, int first)
    {
        var dtype = ctx.InputDType(first);
        for (var k = first + 1; k < ctx.Inputs.Count; k++)
            if (ctx.InputDType(k) != dtype)
                throw ctx.TypeError($"input {k} has dtype {ctx.InputDType(k).name}, expected {dtype.name} like the other inputs");
        if (dtype != DType.float32 && dtype != DType.float64) throw ctx.TypeError($"dtype {dtype.name} is not supported (float32 or float64)");
        return dtype;
    }

    /// <summary>TensorFlow's <c>WithRank</c>: the static shape of input <paramref name="index"/>, which must have rank <paramref name="rank"/> when known.</summary>
    public static Shape WithRank(InferenceContext ctx, int index, int rank, string name)
    {
        var s = ctx.InputShape(index);
        if (s.IsKnownRank && s.ndims != rank) throw ctx.Error($"Shape must be rank {rank} but is rank {s.ndims} for input '{name}' (shape {s.ToListString()})");
        return s;
    }

    /// <summary>The size of axis <paramref name="axis"/> of a shape, or -1 when unknown.</summary>
    public static int Dim(Shape s, int axis) => s.IsKnownRank ? s[axis] : -1;

    /// <summary>
    /// TensorFlow's checks of <c>h_prev</c>, <c>w</c>, the peepholes and <c>b</c> against the batch, input and cell
    /// sizes (the messages of lstm_ops.cc).
    /// </summary>
    public static void CheckWeights(OpKernelContext ctx, NDArray hPrev, NDArray w, NDArray wci, NDArray wcf, NDArray wco, NDArray b,
        int batch, int input, int cell)
    {
        if (hPrev.ndim != 2) throw ctx.InvalidArgument("h_prev must be 2D");
        if (hPrev.shape[0] != batch) throw ctx.InvalidArgument($"h_prev.dims(0) != batch_size: {hPrev.shape[0]} vs. {batch}");
        if (hPrev.shape[1] != cell) throw ctx.InvalidArgument($"h_prev.dims(1) != cell_size: {hPrev.shape[1]} vs. {cell}");
        if (w.ndim != 2) throw ctx.InvalidArgument("w must be 2D");
        if (w.shape[0] != input + cell) throw ctx.InvalidArgument($"w.dim_size(0) != input_size + cell_size: {w.shape[0]} vs. {input + cell}");
        if (w.shape[1] != cell * 4) throw ctx.InvalidArgument($"w.dim_size(1) != cell_size * 4: {w.shape[1]} vs. {cell * 4}");
        foreach (var (p, name) in new[] { (wci, "wci"), (wcf, "wcf"), (wco, "wco") })
        {
            if (p.ndim != 1) throw ctx.InvalidArgument($"{name} must be 1D");
            if (p.shape[0] != cell) throw ctx.InvalidArgument($"{name}.dim_size(0) != cell_size: {p.shape[0]} vs. {cell}");
        }
        if (b.ndim != 1) throw ctx.InvalidArgument("b must be 1D");
        if (b.shape[0] != cell * 4) throw ctx.InvalidArgument($"b.dim_size(0) != cell_size * 4: {b.shape[0]} vs. {cell * 4}");
    }

    /// <summary>The cs_prev checks shared by both forward ops; returns the cell size.</summary>
    public static int CheckCsPrev(OpKernelContext ctx, NDArray csPrev, int batch)
    {
        if (csPrev.ndim != 2) throw ctx.InvalidArgument("cs_prev must be 2D");
        if (csPrev.shape[0] != batch) throw ctx.InvalidArgument($"cs_prev.dims(0) != batch_size: {csPrev.shape[0]} vs. {batch}");
        return csPrev.shape[1];
    }

    /// <summary>A float attribute as T.</summary>
    public static T Value<T>(float v) where T : System.Numerics.IFloatingPointIeee754<T> => T.CreateChecked(v);
}
