using System.Security.Cryptography;
using System.Text;
using SharpFlow.Functions;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.RandomOps;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.rnn_cell.DropoutWrapper(cell, input_keep_prob, output_keep_prob, state_keep_prob,
/// variational_recurrent, input_size, dtype, seed)</c>: dropout on the cell's inputs, outputs and new state (of an
/// LSTM state only <c>h</c>, TensorFlow's default state filter); the wrapped cell keeps its own variable scope. Each
/// tensor's seed is TensorFlow's <c>_gen_seed</c>: the first 8 hex digits of MD5(<c>seed</c> + "input_0"/"state_1"/…).
/// Without <c>variational_recurrent</c> every step draws a fresh mask. With it (Gal and Ghahramani), one mask per
/// tensor is drawn when the wrapper is made — shape [1, size], the same for every step and every row of the batch, as
/// TensorFlow 1.x draws it — and applied as <c>value / keep_prob · floor(keep_prob + noise)</c>.
/// </summary>
public sealed class DropoutWrapper : RNNCell
{
    private readonly RNNCell _cell;
    private readonly TensorLike? _inputKeep, _outputKeep, _stateKeep;
    private readonly int? _seed;
    private readonly bool _variational;
    private readonly Tensor[]? _inputNoise, _stateNoise, _outputNoise;

    /// <summary>Wraps <paramref name="cell"/>; keep probabilities are numbers in (0, 1] or scalar tensors.</summary>
    public DropoutWrapper(RNNCell cell, TensorLike? input_keep_prob = null, TensorLike? output_keep_prob = null, TensorLike? state_keep_prob = null,
        bool variational_recurrent = false, int? input_size = null, DType? dtype = null, int? seed = null) : base(cell?.Name)
    {
        ArgumentNullException.ThrowIfNull(cell);
        foreach (var (p, name) in new[] { (input_keep_prob, "input_keep_prob"), (output_keep_prob, "output_keep_prob"), (state_keep_prob, "state_keep_prob") })
            if (p is { } k && Number(k) is { } v && !(v > 0 && v <= 1))
                throw new ValueError($"Parameter {name} must be between 0 and 1: {v}");
        (_cell, _inputKeep, _outputKeep, _stateKeep, _seed, _variational) = (cell, input_keep_prob, output_keep_prob, state_keep_prob, seed, variational_recurrent);
        if (!variational_recurrent) return;
        if (dtype is null) throw new ValueError("When variational_recurrent=True, dtype must be provided");
        Tensor Noise(int size, string prefix, int i) => RandomUniform.Build(new Shape(1, size), dtype: dtype, seed: GenSeed(prefix, i));
        if (ShouldDrop(input_keep_prob))
        {
            if (input_size is null)
                throw new ValueError("When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, input_size must be provided");
            _inputNoise = [Noise(input_size.Value, "input", 0)];
        }
        _stateNoise = [.. cell.FlatStateSizes.Select((s, i) => Noise(s, "state", i))];
        _outputNoise = [Noise(cell.output_size, "output", 0)];
    }

    /// <summary>The wrapped cell.</summary>
    public RNNCell wrapped_cell => _cell;
    /// <inheritdoc/>
    protected override string DefaultName => "dropout_wrapper";
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

    private static double? Number(TensorLike k) => k.Value switch { double d => d, float f => f, int i => i, _ => null };

    // TensorFlow's _should_dropout: a tensor always, a number below 1.
    private static bool ShouldDrop(TensorLike? keep) => keep is { } k && (Number(k) is not { } v || v < 1);

    /// <summary>TensorFlow's <c>DropoutWrapper._gen_seed</c>: a per-tensor seed from the wrapper's seed and a salt.</summary>
    internal int? GenSeed(string prefix, int index)
    {
        if (_seed is not { } seed) return null;
        // MD5 only reproduces TensorFlow's seeds here; nothing relies on it for security.
#pragma warning disable CA5351
        var digest = MD5.HashData(Encoding.UTF8.GetBytes($"{seed}{prefix}_{index}"));
#pragma warning restore CA5351
        var value = (uint)(digest[0] << 24 | digest[1] << 16 | digest[2] << 8 | digest[3]);
        return (int)(value & 0x7FFFFFFF);
    }

    private Tensor Drop(Tensor value, TensorLike keep, string prefix, int index, Tensor[]? noise)
    {
        if (!_variational) return Dropout.Build(value, keep, null, GenSeed(prefix, index), "dropout");
        // _variational_recurrent_dropout_value: value / keep_prob * floor(keep_prob + noise).
        var keepT = keep.Value is Tensor t ? (t.dtype == value.dtype ? t : Cast.Build(t, value.dtype)) : Ops.ArrayOps.Const.Create(value.graph, Literal.ToNDArray(keep.Value, value.dtype), "keep_prob");
        var result = Mul.Build(RealDiv.Build(value, keepT), Floor.Build(Add.Build(keepT, noise![index])));
        result.SetShape(value.shape);
        return result;
    }

    /// <inheritdoc/>
    public override (Tensor output, object state) __call__(Tensor inputs, object state, string? scope = null)
    {
        if (ShouldDrop(_inputKeep)) inputs = Drop(inputs, _inputKeep!.Value, "input", 0, _inputNoise);
        var (output, newState) = _cell.__call__(inputs, state, scope);
        if (ShouldDrop(_stateKeep))
        {
            var index = 0;
            newState = MapState(newState, ref index);
        }
        if (ShouldDrop(_outputKeep)) output = Drop(output, _outputKeep!.Value, "output", 0, _outputNoise);
        return (output, newState);
    }

    // TensorFlow's default dropout_state_filter_visitor: every tensor of the state except an LSTMStateTuple's c; the
    // enumeration (and so each tensor's seed and noise) counts the kept c's too.
    private object MapState(object state, ref int index)
    {
        switch (state)
        {
            case LSTMStateTuple l:
                index++;
                return new LSTMStateTuple(l.c, Drop(l.h, _stateKeep!.Value, "state", index++, _stateNoise));
            case Tensor t:
                return Drop(t, _stateKeep!.Value, "state", index++, _stateNoise);
            case object[] list:
                var mapped = new object[list.Length];
                for (var i = 0; i < list.Length; i++) mapped[i] = MapState(list[i], ref index);
                return mapped;
            default:
                return state;
        }
    }

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state) =>
        throw new InvalidOperationException("DropoutWrapper runs its cell through __call__.");
}
