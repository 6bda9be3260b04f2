using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.contrib.rnn.LSTMBlockCell(num_units, forget_bias=1.0, cell_clip=None, use_peephole=False)</c>: the LSTM
/// step as one fused op (<c>LSTMBlockCell</c>, gradient <c>LSTMBlockCellGrad</c>), an RNNCell for
/// <c>dynamic_rnn</c> and <c>MultiRNNCell</c>. Same gate layout and variables as <see cref="BasicLSTMCell"/>
/// (<c>lstm_cell/kernel</c> [input + num_units, 4·num_units], <c>lstm_cell/bias</c>), so the same weights give the
/// same outputs; with <c>use_peephole</c> also <c>w_i_diag</c>, <c>w_f_diag</c>, <c>w_o_diag</c>. The state is an
/// <see cref="LSTMStateTuple"/>; <c>cell_clip</c> (none by default) clips the cell state.
/// </summary>
public sealed class LSTMBlockCell(int num_units, double forget_bias = 1.0, double? cell_clip = null, bool use_peephole = false, string? name = null)
    : RNNCell(name)
{
    /// <inheritdoc/>
    protected override string DefaultName => "lstm_cell";
    /// <inheritdoc/>
    public override int[] FlatStateSizes => [num_units, num_units];
    /// <inheritdoc/>
    public override int output_size => num_units;
    /// <inheritdoc/>
    public override object state_size => new[] { num_units, num_units };
    /// <inheritdoc/>
    public override object PackState(Tensor[] flat) => new LSTMStateTuple(flat[0], flat[1]);

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state)
    {
        var dtype = inputs.dtype;
        var depth = InputDepth(inputs, "LSTMBlockCell");
        var kernel = Weight("kernel", new Shape(depth + num_units, 4 * num_units), dtype, null);
        var bias = Weight("bias", new Shape(4 * num_units), dtype, new ZerosInitializer());
        var (wci, wcf, wco) = Peepholes(use_peephole, num_units, dtype);
        var outs = Ops.Rnn.LSTMBlockCell.Build(inputs, state[0], state[1], kernel, wci, wcf, wco, bias, forget_bias, cell_clip ?? -1, use_peephole);
        return (outs[6], [outs[1], outs[6]]);
    }

    /// <summary>The peephole weights (variables <c>w_i_diag</c>, <c>w_f_diag</c>, <c>w_o_diag</c>), or zeros without peepholes.</summary>
    internal static (Tensor Wci, Tensor Wcf, Tensor Wco) Peepholes(bool usePeephole, int units, DType dtype)
    {
        if (usePeephole)
            return (Weight("w_i_diag", new Shape(units), dtype, null), Weight("w_f_diag", new Shape(units), dtype, null), Weight("w_o_diag", new Shape(units), dtype, null));
        var zeros = Fill.Constant(new Shape(units), dtype, false, null);
        return (zeros, zeros, zeros);
    }
}
