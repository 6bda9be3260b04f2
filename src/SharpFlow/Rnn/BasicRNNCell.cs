using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.rnn_cell.BasicRNNCell(num_units, activation=tanh)</c>: <c>output = new_state = act(W·[x, h] + b)</c>,
/// with <c>kernel</c> [input_depth + num_units, num_units] and a zero <c>bias</c>.
/// </summary>
public sealed class BasicRNNCell(int num_units, Func<Tensor, Tensor>? activation = null, Initializer? kernel_initializer = null, string? name = null)
    : RNNCell(name)
{
    /// <inheritdoc/>
    protected override string DefaultName => "basic_rnn_cell";
    /// <inheritdoc/>
    public override int[] FlatStateSizes => [num_units];
    /// <inheritdoc/>
    public override int output_size => num_units;

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state)
    {
        var depth = InputDepth(inputs, "BasicRNNCell");
        var kernel = Weight("kernel", new Shape(depth + num_units, num_units), inputs.dtype, kernel_initializer);
        var bias = Weight("bias", new Shape(num_units), inputs.dtype, new ZerosInitializer());
        var gate = BiasAdd.Build(MatMul.Build(ConcatV2.Build([inputs, state[0]], 1), kernel), bias);
        var output = (activation ?? (t => Tanh.Build(t)))(gate);
        return (output, [output]);
    }
}
