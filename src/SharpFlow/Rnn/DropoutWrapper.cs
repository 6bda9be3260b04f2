using SharpFlow.Functions;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.rnn_cell.DropoutWrapper(cell, input_keep_prob, output_keep_prob, state_keep_prob)</c>: dropout on the
/// cell's inputs, outputs and new state (of an LSTM state only <c>h</c>, as TensorFlow's default state filter), a
/// fresh mask at every step; the wrapped cell keeps its own variable scope.
/// </summary>
public sealed class DropoutWrapper(RNNCell cell, TensorLike? input_keep_prob = null, TensorLike? output_keep_prob = null,
    TensorLike? state_keep_prob = null, int? seed = null) : RNNCell(cell.Name)
{
    /// <inheritdoc/>
    protected override string DefaultName => "dropout_wrapper";
    /// <inheritdoc/>
    public override int[] FlatStateSizes => cell.FlatStateSizes;
    /// <inheritdoc/>
    public override int output_size => cell.output_size;
    /// <inheritdoc/>
    public override object state_size => cell.state_size;
    /// <inheritdoc/>
    public override object PackState(Tensor[] flat) => cell.PackState(flat);
    /// <inheritdoc/>
    public override Tensor[] FlattenState(object state) => cell.FlattenState(state);

    private static bool ShouldDrop(TensorLike? keep) => keep is { } k && !(k.Value is double d && d >= 1) && !(k.Value is float f && f >= 1) && !(k.Value is int i && i >= 1);

    /// <inheritdoc/>
    public override (Tensor output, object state) __call__(Tensor inputs, object state, string? scope = null)
    {
        if (ShouldDrop(input_keep_prob)) inputs = Dropout.Build(inputs, input_keep_prob!.Value, null, seed, "dropout_input");
        var (output, newState) = cell.__call__(inputs, state, scope);
        if (ShouldDrop(state_keep_prob))
            newState = newState switch
            {
                LSTMStateTuple l => new LSTMStateTuple(l.c, Dropout.Build(l.h, state_keep_prob!.Value, null, seed, "dropout_state")),
                Tensor t => Dropout.Build(t, state_keep_prob!.Value, null, seed, "dropout_state"),
                _ => newState,
            };
        if (ShouldDrop(output_keep_prob)) output = Dropout.Build(output, output_keep_prob!.Value, null, seed, "dropout_output");
        return (output, newState);
    }

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state) =>
        throw new InvalidOperationException("DropoutWrapper runs its cell through __call__.");
}
