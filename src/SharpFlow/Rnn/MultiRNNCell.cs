using SharpFlow.Ops.State;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.rnn_cell.MultiRNNCell(cells)</c>: the cells stacked, each one's output the next one's input, each in
/// the scope <c>cell_i</c>; the state is an <c>object[]</c> of the cells' states.
/// </summary>
public sealed class MultiRNNCell : RNNCell
{
    private readonly RNNCell[] _cells;

    /// <summary>Stacks <paramref name="cells"/> (TensorFlow keeps the state a tuple; only that is supported).</summary>
    public MultiRNNCell(IEnumerable<RNNCell> cells, bool state_is_tuple = true, string? name = null) : base(name)
    {
        _cells = [.. cells];
        if (_cells.Length == 0) throw new ValueError("Must specify at least one cell for MultiRNNCell.");
        if (!state_is_tuple) throw new ValueError("MultiRNNCell supports state_is_tuple=True only (the default).");
    }

    /// <inheritdoc/>
    protected override string DefaultName => "multi_rnn_cell";
    /// <inheritdoc/>
    public override int[] FlatStateSizes => [.. _cells.SelectMany(c => c.FlatStateSizes)];
    /// <inheritdoc/>
    public override int output_size => _cells[^1].output_size;
    /// <inheritdoc/>
    public override object state_size => _cells.Select(c => c.state_size).ToArray();

    /// <inheritdoc/>
    public override object PackState(Tensor[] flat)
    {
        var states = new object[_cells.Length];
        var k = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            var n = _cells[i].FlatStateSizes.Length;
            states[i] = _cells[i].PackState(flat[k..(k + n)]);
            k += n;
        }
        return states;
    }

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state)
    {
        var output = inputs;
        var newState = new List<Tensor>();
        var k = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            var n = _cells[i].FlatStateSizes.Length;
            using (VariableScopes.Enter($"cell_{i}", null, null, null, null))
            {
                var (o, s) = _cells[i].__call__(output, _cells[i].PackState(state[k..(k + n)]));
                output = o;
                newState.AddRange(_cells[i].FlattenState(s));
            }
            k += n;
        }
        return (output, [.. newState]);
    }
}
