using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.rnn_cell.BasicLSTMCell(num_units, forget_bias=1.0)</c>: gates <c>i, j, f, o</c> from one matmul of
/// <c>[x, h]</c> (<c>kernel</c> [input_depth + num_units, 4·num_units]); <c>c' = c·σ(f + forget_bias) + σ(i)·tanh(j)</c>,
/// <c>h' = tanh(c')·σ(o)</c>. The state is an <see cref="LSTMStateTuple"/>.
/// </summary>
public sealed class BasicLSTMCell(int num_units, double forget_bias = 1.0, bool state_is_tuple = true, Func<Tensor, Tensor>? activation = null,
    Initializer? kernel_initializer = null, string? name = null) : RNNCell(name)
{
    /// <inheritdoc/>
    protected override string DefaultName => "basic_lstm_cell";
    /// <inheritdoc/>
    public override int[] FlatStateSizes => state_is_tuple ? [num_units, num_units] : [2 * num_units];
    /// <inheritdoc/>
    public override int output_size => num_units;
    /// <inheritdoc/>
    public override object state_size => state_is_tuple ? new[] { num_units, num_units } : 2 * num_units;

    /// <inheritdoc/>
    public override object PackState(Tensor[] flat) => state_is_tuple ? new LSTMStateTuple(flat[0], flat[1]) : flat[0];

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state)
    {
        var act = activation ?? (t => Tanh.Build(t));
        Tensor c, h;
        if (state_is_tuple) (c, h) = (state[0], state[1]);
        else
        {
            var parts = Split.Build(state[0], 2, 1);
            (c, h) = (parts[0], parts[1]);
        }
        var depth = InputDepth(inputs, "BasicLSTMCell");
        var kernel = Weight("kernel", new Shape(depth + num_units, 4 * num_units), inputs.dtype, kernel_initializer);
        var bias = Weight("bias", new Shape(4 * num_units), inputs.dtype, new ZerosInitializer());
        var gates = BiasAdd.Build(MatMul.Build(ConcatV2.Build([inputs, h], 1), kernel), bias);
        var ijfo = Split.Build(gates, 4, 1);
        var forget = Const.Create(inputs.graph, Literal.ToNDArray(forget_bias, inputs.dtype), "Const");
        var newC = Add.Build(Mul.Build(c, Sigmoid.Build(Add.Build(ijfo[2], forget))), Mul.Build(Sigmoid.Build(ijfo[0]), act(ijfo[1])));
        var newH = Mul.Build(act(newC), Sigmoid.Build(ijfo[3]));
        return (newH, state_is_tuple ? [newC, newH] : [ConcatV2.Build([newC, newH], 1)]);
    }
}
