using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.rnn_cell.GRUCell(num_units)</c>: reset and update gates <c>r, u = σ(W_g·[x, h] + b_g)</c> (<c>gates/bias</c>
/// starts at 1), candidate <c>c = tanh(W_c·[x, r·h] + b_c)</c>, <c>h' = u·h + (1 − u)·c</c>.
/// </summary>
public sealed class GRUCell(int num_units, Func<Tensor, Tensor>? activation = null, Initializer? kernel_initializer = null,
    Initializer? bias_initializer = null, string? name = null) : RNNCell(name)
{
    /// <inheritdoc/>
    protected override string DefaultName => "gru_cell";
    /// <inheritdoc/>
    public override int[] FlatStateSizes => [num_units];
    /// <inheritdoc/>
    public override int output_size => num_units;

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state)
    {
        var h = state[0];
        var depth = InputDepth(inputs, "GRUCell");
        Variable gateKernel, gateBias, candidateKernel, candidateBias;
        using (VariableScopes.Enter("gates", null, null, null, null))
        {
            gateKernel = Weight("kernel", new Shape(depth + num_units, 2 * num_units), inputs.dtype, kernel_initializer);
            gateBias = Weight("bias", new Shape(2 * num_units), inputs.dtype, bias_initializer ?? new ConstantInitializer(1.0));
        }
        using (VariableScopes.Enter("candidate", null, null, null, null))
        {
            candidateKernel = Weight("kernel", new Shape(depth + num_units, num_units), inputs.dtype, kernel_initializer);
            candidateBias = Weight("bias", new Shape(num_units), inputs.dtype, bias_initializer ?? new ZerosInitializer());
        }
        var value = Sigmoid.Build(BiasAdd.Build(MatMul.Build(ConcatV2.Build([inputs, h], 1), gateKernel), gateBias));
        var ru = Split.Build(value, 2, 1);
        var (r, u) = (ru[0], ru[1]);
        var candidate = BiasAdd.Build(MatMul.Build(ConcatV2.Build([inputs, Mul.Build(r, h)], 1), candidateKernel), candidateBias);
        var c = (activation ?? (t => Tanh.Build(t)))(candidate);
        var one = Const.Create(inputs.graph, Literal.ToNDArray(1.0, inputs.dtype), "Const");
        var newH = Add.Build(Mul.Build(u, h), Mul.Build(Sub.Build(one, u), c));
        return (newH, [newH]);
    }
}
