using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.rnn_cell.LSTMCell</c>: BasicLSTMCell plus peephole connections (<c>w_f_diag</c>, <c>w_i_diag</c>,
/// <c>w_o_diag</c>), a clipped cell state (<c>cell_clip</c>), and an output projection to <c>num_proj</c> units
/// (<c>projection/kernel</c>, optionally clipped by <c>proj_clip</c>), as rnn_cell_impl.py computes them.
/// </summary>
public sealed class LSTMCell(int num_units, bool use_peepholes = false, double? cell_clip = null, Initializer? initializer = null,
    int? num_proj = null, double? proj_clip = null, double forget_bias = 1.0, bool state_is_tuple = true, Func<Tensor, Tensor>? activation = null,
    string? name = null) : RNNCell(name)
{
    private int HDepth => num_proj ?? num_units;

    /// <inheritdoc/>
    protected override string DefaultName => "lstm_cell";
    /// <inheritdoc/>
    public override int[] FlatStateSizes => state_is_tuple ? [num_units, HDepth] : [num_units + HDepth];
    /// <inheritdoc/>
    public override int output_size => HDepth;
    /// <inheritdoc/>
    public override object state_size => state_is_tuple ? new[] { num_units, HDepth } : num_units + HDepth;

    /// <inheritdoc/>
    public override object PackState(Tensor[] flat) => state_is_tuple ? new LSTMStateTuple(flat[0], flat[1]) : flat[0];

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state)
    {
        var act = activation ?? (t => Tanh.Build(t));
        Tensor cPrev, mPrev;
        if (state_is_tuple) (cPrev, mPrev) = (state[0], state[1]);
        else
        {
            var parts = SplitV.Build(state[0], new[] { num_units, HDepth }, 1);
            (cPrev, mPrev) = (parts[0], parts[1]);
        }
        var dtype = inputs.dtype;
        var depth = InputDepth(inputs, "LSTMCell");
        var kernel = Weight("kernel", new Shape(depth + HDepth, 4 * num_units), dtype, initializer);
        var bias = Weight("bias", new Shape(4 * num_units), dtype, new ZerosInitializer());
        var ijfo = Split.Build(BiasAdd.Build(MatMul.Build(ConcatV2.Build([inputs, mPrev], 1), kernel), bias), 4, 1);
        var (i, j, f, o) = (ijfo[0], ijfo[1], ijfo[2], ijfo[3]);
        var forget = Const.Create(inputs.graph, Literal.ToNDArray(forget_bias, dtype), "Const");
        Tensor c;
        Tensor? wO = null;
        if (use_peepholes)
        {
            var wF = Weight("w_f_diag", new Shape(num_units), dtype, initializer);
            var wI = Weight("w_i_diag", new Shape(num_units), dtype, initializer);
            wO = Weight("w_o_diag", new Shape(num_units), dtype, initializer);
            c = Add.Build(Mul.Build(Sigmoid.Build(Add.Build(Add.Build(f, forget), Mul.Build(wF, cPrev))), cPrev),
                Mul.Build(Sigmoid.Build(Add.Build(i, Mul.Build(wI, cPrev))), act(j)));
        }
        else c = Add.Build(Mul.Build(Sigmoid.Build(Add.Build(f, forget)), cPrev), Mul.Build(Sigmoid.Build(i), act(j)));
        if (cell_clip is { } cc) c = Functions.Clipping.ByValue(c, -cc, cc, null);
        var m = Mul.Build(Sigmoid.Build(wO is null ? o : Add.Build(o, Mul.Build(wO, c))), act(c));
        if (num_proj is { } p)
        {
            Variable projection;
            using (Ops.State.VariableScopes.Enter("projection", null, null, null, null))
                projection = Weight("kernel", new Shape(num_units, p), dtype, initializer);
            m = MatMul.Build(m, projection);
            if (proj_clip is { } pc) m = Functions.Clipping.ByValue(m, -pc, pc, null);
        }
        return (m, state_is_tuple ? [c, m] : [ConcatV2.Build([c, m], 1)]);
    }
}
