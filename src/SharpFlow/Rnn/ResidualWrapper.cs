namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.rnn_cell.ResidualWrapper(cell, residual_fn=None)</c>: the cell's output plus its input
/// (<c>residual_fn(inputs, outputs)</c> when given), the state unchanged; the wrapped cell keeps its own variable
/// scope. The input and output shapes must be compatible, as TensorFlow asserts.
/// </summary>
public sealed class ResidualWrapper(RNNCell cell, Func<Tensor, Tensor, Tensor>? residual_fn = null) : RNNCell(cell?.Name)
{
    private readonly RNNCell _cell = cell ?? throw new ArgumentNullException(nameof(cell));

    /// <summary>The wrapped cell.</summary>
    public RNNCell wrapped_cell => _cell;
    /// <inheritdoc/>
    protected override string DefaultName => "residual_wrapper";
    /// <inheritdoc/>
    public override int[] FlatStateSizes => _cell.FlatStateSizes;
    /// <inheritdoc/>
    public override int output_size => _cell.output_size;
    /// <inheritdoc/>
    public override object state_size => _cell.state_size;
    /// <inheritdoc/>
    public override object PackState(Tensor[] flat) => _cell.PackState(flat);
    /// <inheritdoc/>
    public override Tensor[] FlattenState(object state) => _cell.FlattenState(state);
    /// <inheritdoc/>
    public override object zero_state(TensorLike batch_size, DType dtype) => _cell.zero_state(batch_size, dtype);

    /// <inheritdoc/>
    public override (Tensor output, object state) __call__(Tensor inputs, object state, string? scope = null)
    {
        var (outputs, newState) = _cell.__call__(inputs, state, scope);
        if (residual_fn is { } fn) return (fn(inputs, outputs), newState);
        if (!inputs.shape.IsCompatibleWith(outputs.shape))
            throw new ValueError($"Shapes {inputs.shape} and {outputs.shape} are incompatible");
        return (Ops.MathOps.Add.Build(inputs, outputs), newState);
    }

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state) =>
        throw new InvalidOperationException("ResidualWrapper runs its cell through __call__.");
}
