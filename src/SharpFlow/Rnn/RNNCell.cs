using SharpFlow.Ops.Initializers;
using SharpFlow.Layers;
using SharpFlow.Ops.State;

namespace SharpFlow.Rnn;

/// <summary>
/// TensorFlow 1.x's <c>tf.nn.rnn_cell.RNNCell</c>: one step of a recurrent network, <c>(output, new_state) =
/// cell(inputs, state)</c>. A state is a tensor, an <see cref="LSTMStateTuple"/>, or (for a
/// <see cref="MultiRNNCell"/>) an <c>object[]</c> of states. The cell's variables are made on its first call, in
/// its variable scope (<c>rnn/basic_lstm_cell/kernel</c>), and reused by later calls, as TensorFlow's layers do.
/// </summary>
public abstract class RNNCell
{
    private VariableScope? _scope;

    /// <summary>A cell whose variables go in the scope <paramref name="name"/> (default: the cell's own name).</summary>
    protected RNNCell(string? name) => Name = name;

    /// <summary>The scope name given, or null for the cell's default.</summary>
    public string? Name { get; }

    /// <summary>The default scope name (<c>basic_lstm_cell</c>).</summary>
    protected abstract string DefaultName { get; }

    /// <summary>The sizes of the flat state tensors (one per tensor, each <c>[batch, size]</c>).</summary>
    public abstract int[] FlatStateSizes { get; }

    /// <summary>The size of one output.</summary>
    public abstract int output_size { get; }

    /// <summary>TensorFlow's <c>state_size</c>: an int, or the tuple of sizes of a tuple state.</summary>
    public virtual object state_size => FlatStateSizes.Length == 1 ? FlatStateSizes[0] : FlatStateSizes;

    /// <summary>Zeros shaped like the state for a batch of <paramref name="batch_size"/>.</summary>
    public virtual object zero_state(TensorLike batch_size, DType dtype)
    {
        using var _ = Graph.get_default().name_scope(GetType().Name + "ZeroState");
        var flat = FlatStateSizes.Select(size => Ops.ArrayOps.Fill.Build(Ops.ArrayOps.Pack.Build([batch_size, size]), Ops.ArrayOps.Const.Create(Graph.get_default(), Literal.ToNDArray(0.0, dtype), "Const"))).ToArray();
        return PackState(flat);
    }

    /// <summary>One step: the output and the new state.</summary>
    public virtual (Tensor output, object state) __call__(Tensor inputs, object state, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(state);
        // The first call creates the variables in a new scope; later calls reuse them.
        using var s = _scope is null
            ? VariableScopes.Enter(scope ?? Name, (scope ?? Name) is null ? DefaultName : null, null, null, null)
            : VariableScopes.Enter(_scope, Reuse.True, null, null);
        _scope ??= s.scope;
        var flat = FlattenState(state);
        if (flat.Length != FlatStateSizes.Length)
            throw new ValueError($"{GetType().Name} expects a state of {FlatStateSizes.Length} tensors, got {flat.Length}.");
        var (output, newState) = Call(inputs, flat);
        return (output, PackState(newState));
    }

    /// <summary>The step on flat states.</summary>
    protected abstract (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state);

    /// <summary>The state's tensors in order.</summary>
    public virtual Tensor[] FlattenState(object state) => state switch
    {
        Tensor t => [t],
        LSTMStateTuple l => [l.c, l.h],
        object[] list => [.. list.SelectMany(FlattenState)],
        _ => throw new TypeError($"An RNN state must be a Tensor, an LSTMStateTuple or an array of states, got {state.GetType().Name}."),
    };

    /// <summary>The state structure of this cell from its flat tensors.</summary>
    public virtual object PackState(Tensor[] flat) => flat[0];

    /// <summary>A weight of this cell (in its scope, through get_variable).</summary>
    protected static Variable Weight(string name, Shape shape, DType dtype, Initializer? initializer) =>
        LayerScope.Weight(name, shape, dtype, initializer, null, trainable: true);

    /// <summary>The static size of the inputs' last axis.</summary>
    protected static int InputDepth(Tensor inputs, string cell) => LayerScope.LastDimension(inputs, cell);
}

/// <summary>TensorFlow's <c>LSTMStateTuple(c, h)</c>: an LSTM cell's memory and output.</summary>
public sealed record LSTMStateTuple(Tensor c, Tensor h);
