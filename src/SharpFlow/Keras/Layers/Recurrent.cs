using SharpFlow.Keras.Engine;
using SharpFlow.Ops.Control;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras.Layers;

/// <summary>
/// The step of a Keras recurrent layer (<c>SimpleRNNCell</c>, <c>LSTMCell</c>, <c>GRUCell</c>): it holds the
/// weights <c>kernel</c> <c>[input_dim, gates·units]</c>, <c>recurrent_kernel</c> <c>[units, gates·units]</c> and
/// <c>bias</c>, created in the name scope of the layer that builds it (TensorFlow 1.x's <c>lstm/kernel:0</c>), and
/// computes one step, as Keras 2.2's <c>implementation=1</c>.
/// </summary>
public abstract class RecurrentCell : Layer
{
    /// <summary>A cell of <paramref name="units"/> units.</summary>
    protected RecurrentCell(int units, ActivationSpec? activation, bool use_bias, InitializerSpec? kernel_initializer, InitializerSpec? recurrent_initializer,
        InitializerSpec? bias_initializer, KerasRegularizer? kernel_regularizer, KerasRegularizer? recurrent_regularizer, KerasRegularizer? bias_regularizer,
        double dropout, double recurrent_dropout, string? name) : base(name)
    {
        this.units = units > 0 ? units : throw new ValueError($"units must be positive, got {units}");
        this.activation = activation ?? "tanh";
        this.use_bias = use_bias;
        this.kernel_initializer = kernel_initializer ?? "glorot_uniform";
        this.recurrent_initializer = recurrent_initializer ?? "orthogonal";
        this.bias_initializer = bias_initializer ?? "zeros";
        this.kernel_regularizer = kernel_regularizer;
        this.recurrent_regularizer = recurrent_regularizer;
        this.bias_regularizer = bias_regularizer;
        this.dropout = Math.Min(1.0, Math.Max(0.0, dropout));
        this.recurrent_dropout = Math.Min(1.0, Math.Max(0.0, recurrent_dropout));
    }

    /// <summary>The size of the output and of each state.</summary>
    public int units { get; }

    /// <summary>The output activation (tanh).</summary>
    public ActivationSpec activation { get; }

    /// <summary>Whether there is a bias.</summary>
    public bool use_bias { get; }

    /// <summary>The kernel's initializer.</summary>
    public InitializerSpec kernel_initializer { get; }

    /// <summary>The recurrent kernel's initializer.</summary>
    public InitializerSpec recurrent_initializer { get; }

    /// <summary>The bias's initializer.</summary>
    public InitializerSpec bias_initializer { get; }

    /// <summary>The kernel's regularizer.</summary>
    public KerasRegularizer? kernel_regularizer { get; }

    /// <summary>The recurrent kernel's regularizer.</summary>
    public KerasRegularizer? recurrent_regularizer { get; }

    /// <summary>The bias's regularizer.</summary>
    public KerasRegularizer? bias_regularizer { get; }

    /// <summary>The fraction of the inputs dropped while training (one mask per sequence).</summary>
    public double dropout { get; }

    /// <summary>The fraction of the recurrent state dropped while training (one mask per sequence).</summary>
    public double recurrent_dropout { get; }

    /// <summary>The number of gates (1, 4 or 3): the kernels are <c>gates·units</c> wide.</summary>
    protected abstract int Gates { get; }

    /// <summary>The number of state tensors (2 for the LSTM: h and c).</summary>
    public virtual int state_count => 1;

    /// <summary>The kernel, once built.</summary>
    public Variable? kernel { get; private set; }

    /// <summary>The recurrent kernel, once built.</summary>
    public Variable? recurrent_kernel { get; private set; }

    /// <summary>The bias, once built (null without one).</summary>
    public Variable? bias { get; private set; }

    /// <summary>The bias's shape (the GRU with <c>reset_after</c> has two rows).</summary>
    protected virtual Shape BiasShape => new(Gates * units);

    /// <summary>The bias's initializer (the LSTM's puts ones at the forget gate).</summary>
    protected virtual Initializer BiasInitializer => bias_initializer.Initializer;

    internal Tensor[]? InputMasks, RecurrentMasks;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        var inDim = input_shape.IsKnownRank ? input_shape[input_shape.ndims - 1] : -1;
        if (inDim < 0) throw new ValueError("The last dimension of the inputs to a recurrent layer should be defined. Found `None`.");
        kernel = add_weight("kernel", new Shape(inDim, Gates * units), initializer: kernel_initializer, regularizer: kernel_regularizer);
        recurrent_kernel = add_weight("recurrent_kernel", new Shape(units, Gates * units), initializer: recurrent_initializer, regularizer: recurrent_regularizer);
        if (use_bias) bias = add_weight("bias", BiasShape, initializer: BiasInitializer, regularizer: bias_regularizer);
        built = true;
    }

    /// <summary>One step: the output and the new states from the step's input <c>[batch, input_dim]</c> and the old states.</summary>
    public abstract (Tensor Output, Tensor[] States) Step(Tensor inputs, Tensor[] states);

    /// <summary>Keras's <c>_generate_dropout_mask</c>: per sequence, one mask of ones per gate dropped while training.</summary>
    internal void MakeDropoutMasks(Tensor firstInput, Tensor firstState, bool? training)
    {
        InputMasks = dropout > 0 && dropout < 1 ? Masks(firstInput, dropout, training) : null;
        RecurrentMasks = recurrent_dropout > 0 && recurrent_dropout < 1 ? Masks(firstState, recurrent_dropout, training) : null;
    }

    private Tensor[] Masks(Tensor like, double rate, bool? training)
    {
        var ones = OnesLike.Def.Apply(like, null, true, null);
        return Enumerable.Range(0, Gates).Select(_ => LearningPhase.InTrainPhase(() => SharpFlow.Functions.Dropout.Build(ones, 1 - rate, null, null, null), () => ones, training)).ToArray();
    }

    /// <summary>
    /// The pre-activations of gates <paramref name="first"/>.. for <c>x·w (+ b)</c>: one product split when there is no
    /// dropout mask, else one product per gate on the masked input (Keras's <c>inputs_i = inputs * dp_mask[0]</c>).
    /// </summary>
    protected Tensor[] GateProducts(Tensor x, Tensor w, Tensor? b, Tensor[]? masks, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        var u = units;
        if (masks is null)
        {
            var wSlice = first == 0 && count == Gates ? w : Slice.Build(w, new[] { 0, first * u }, new[] { -1, count * u });
            var y = BatchMatMulV2.MatMulOrBatch(x, wSlice, false, false, false, false, null);
            if (b is not null) y = BiasAdd.Build(y, first == 0 && count == Gates ? b : Slice.Build(b, new[] { first * u }, new[] { count * u }));
            return count == 1 ? [y] : Split.Build(y, count, 1, null, "split");
        }
        var parts = new Tensor[count];
        for (var k = 0; k < count; k++)
        {
            var g = first + k;
            var y = BatchMatMulV2.MatMulOrBatch(x * masks[g], Slice.Build(w, new[] { 0, g * u }, new[] { -1, u }), false, false, false, false, null);
            if (b is not null) y = BiasAdd.Build(y, Slice.Build(b, new[] { g * u }, new[] { u }));
            parts[k] = y;
        }
        return parts;
    }

    internal abstract RecurrentCell Clone();
}

/// <summary><c>SimpleRNNCell</c>: <c>h = activation(x·kernel + bias + h₋₁·recurrent_kernel)</c>.</summary>
public class SimpleRNNCell(int units, ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null,
    InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null,
    KerasRegularizer? recurrent_regularizer = null, KerasRegularizer? bias_regularizer = null, double dropout = 0, double recurrent_dropout = 0, string? name = null)
    : RecurrentCell(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, dropout, recurrent_dropout, name)
{
    /// <inheritdoc />
    protected override int Gates => 1;

    /// <inheritdoc />
    public override (Tensor Output, Tensor[] States) Step(Tensor inputs, Tensor[] states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var h = GateProducts(inputs, kernel!, bias, InputMasks, 0, 1)[0];
        var prev = RecurrentMasks is null ? states[0] : states[0] * RecurrentMasks[0];
        var output = activation.Apply(h + BatchMatMulV2.MatMulOrBatch(prev, recurrent_kernel!, false, false, false, false, null));
        return (output, [output]);
    }

    internal override RecurrentCell Clone() => new SimpleRNNCell(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer, dropout, recurrent_dropout);
}

/// <summary>
/// <c>LSTMCell</c> with Keras's gate order i, f, c, o: <c>i = σ(x·Wᵢ + h·Uᵢ + bᵢ)</c>, <c>f</c>, <c>o</c> alike,
/// <c>c = f·c₋₁ + i·tanh(x·W_c + h·U_c + b_c)</c>, <c>h = o·tanh(c)</c>; σ is <c>recurrent_activation</c>
/// (hard_sigmoid, TensorFlow 1.x's Keras default). States <c>[h, c]</c>. <c>unit_forget_bias</c> starts the forget
/// gate's bias at one.
/// </summary>
public class LSTMCell(int units, ActivationSpec? activation = null, ActivationSpec? recurrent_activation = null, bool use_bias = true,
    InitializerSpec? kernel_initializer = null, InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null,
    bool unit_forget_bias = true, KerasRegularizer? kernel_regularizer = null, KerasRegularizer? recurrent_regularizer = null,
    KerasRegularizer? bias_regularizer = null, double dropout = 0, double recurrent_dropout = 0, string? name = null)
    : RecurrentCell(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, dropout, recurrent_dropout, name)
{
    /// <summary>The gates' activation (hard_sigmoid).</summary>
    public ActivationSpec recurrent_activation { get; } = recurrent_activation ?? "hard_sigmoid";

    /// <summary>Whether the forget gate's bias starts at one.</summary>
    public bool unit_forget_bias { get; } = unit_forget_bias;

    /// <inheritdoc />
    protected override int Gates => 4;

    /// <inheritdoc />
    public override int state_count => 2;

    /// <inheritdoc />
    protected override Initializer BiasInitializer =>
        unit_forget_bias ? new ForgetBiasInitializer(bias_initializer.Initializer, units) : bias_initializer.Initializer;

    /// <inheritdoc />
    public override (Tensor Output, Tensor[] States) Step(Tensor inputs, Tensor[] states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var (h, c) = (states[0], states[1]);
        var x = GateProducts(inputs, kernel!, bias, InputMasks, 0, 4);
        var r = GateProducts(h, recurrent_kernel!, null, RecurrentMasks, 0, 4);
        var i = recurrent_activation.Apply(x[0] + r[0]);
        var f = recurrent_activation.Apply(x[1] + r[1]);
        var cNew = f * c + i * activation.Apply(x[2] + r[2]);
        var o = recurrent_activation.Apply(x[3] + r[3]);
        var hNew = o * activation.Apply(cNew);
        return (hNew, [hNew, cNew]);
    }

    internal override RecurrentCell Clone() => new LSTMCell(units, activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, unit_forget_bias, kernel_regularizer, recurrent_regularizer, bias_regularizer, dropout, recurrent_dropout);

    private sealed class ForgetBiasInitializer(Initializer inner, int units) : Initializer
    {
        public override Tensor Call(Shape shape, DType? dtype = null) =>
            ConcatV2.Build([inner.Call(new Shape(units), dtype), Fill.Constant(new Shape(units), dtype ?? DType.float32, true, null), inner.Call(new Shape(2 * units), dtype)], 0);
    }
}

/// <summary>
/// <c>GRUCell</c> with Keras's gate order z, r, h: <c>z = σ(x·W_z + h·U_z + b_z)</c>, <c>r</c> alike,
/// <c>ĥ = tanh(x·W_h + (r·h)·U_h + b_h)</c> (with <c>reset_after</c>: <c>x·W_h + r·(h·U_h + b'_h)</c>, a bias of
/// two rows), <c>h = z·h₋₁ + (1 − z)·ĥ</c>. TensorFlow 1.x's default is <c>reset_after=False</c>.
/// </summary>
public class GRUCell(int units, ActivationSpec? activation = null, ActivationSpec? recurrent_activation = null, bool use_bias = true,
    InitializerSpec? kernel_initializer = null, InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null,
    KerasRegularizer? kernel_regularizer = null, KerasRegularizer? recurrent_regularizer = null, KerasRegularizer? bias_regularizer = null,
    double dropout = 0, double recurrent_dropout = 0, bool reset_after = false, string? name = null)
    : RecurrentCell(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, dropout, recurrent_dropout, name)
{
    /// <summary>The gates' activation (hard_sigmoid).</summary>
    public ActivationSpec recurrent_activation { get; } = recurrent_activation ?? "hard_sigmoid";

    /// <summary>Whether the reset gate applies after the recurrent product (CuDNN's convention).</summary>
    public bool reset_after { get; } = reset_after;

    /// <inheritdoc />
    protected override int Gates => 3;

    /// <inheritdoc />
    protected override Shape BiasShape => reset_after ? new Shape(2, 3 * units) : new Shape(3 * units);

    /// <inheritdoc />
    public override (Tensor Output, Tensor[] States) Step(Tensor inputs, Tensor[] states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var h = states[0];
        Tensor? inBias = bias, recBias = null;
        if (bias is not null && reset_after)
        {
            var rows = Unpack.Build(bias, 2);
            (inBias, recBias) = (rows[0], rows[1]);
        }
        var x = GateProducts(inputs, kernel!, inBias, InputMasks, 0, 3);
        Tensor z, r, hh;
        if (reset_after)
        {
            var rec = GateProducts(h, recurrent_kernel!, recBias, RecurrentMasks, 0, 3);
            z = recurrent_activation.Apply(x[0] + rec[0]);
            r = recurrent_activation.Apply(x[1] + rec[1]);
            hh = activation.Apply(x[2] + r * rec[2]);
        }
        else
        {
            var rec = GateProducts(h, recurrent_kernel!, null, RecurrentMasks, 0, 2);
            z = recurrent_activation.Apply(x[0] + rec[0]);
            r = recurrent_activation.Apply(x[1] + rec[1]);
            var hForH = RecurrentMasks is null ? h : h * RecurrentMasks[2];
            hh = activation.Apply(x[2] + BatchMatMulV2.MatMulOrBatch(r * hForH, Slice.Build(recurrent_kernel!, new[] { 0, 2 * units }, new[] { -1, units }), false, false, false, false, null));
        }
        var hNew = z * h + (OnesLike.Def.Apply(z, null, true, null) - z) * hh;
        return (hNew, [hNew]);
    }

    internal override RecurrentCell Clone() => new GRUCell(units, activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer, dropout, recurrent_dropout, reset_after);
}

/// <summary>
/// Keras's <c>RNN</c> layer: runs its cell over the time axis of <c>[batch, time, features]</c> inputs in a
/// <c>while_loop</c> (Keras's <c>K.rnn</c>), from zero states or from the initial states passed after the inputs
/// (<c>layer.Apply([x, h0, c0])</c>). Returns the last output, or every output (<c>return_sequences</c>), followed
/// by the final states (<c>return_state</c>). <c>go_backwards</c> reads the sequence from its end (the outputs then
/// come in reversed order, as Keras's). Under a mask (from <c>Embedding(mask_zero: true)</c> or <c>Masking</c>) a
/// masked step keeps the previous output and states. The cell's weights are this layer's:
/// <c>lstm/kernel:0</c>, <c>lstm/recurrent_kernel:0</c>, <c>lstm/bias:0</c>.
/// </summary>
public class RNN : Layer
{
    private readonly RecurrentCell _cell;

    /// <summary>A recurrent layer around <paramref name="cell"/>.</summary>
    public RNN(RecurrentCell cell, bool return_sequences = false, bool return_state = false, bool go_backwards = false, bool stateful = false,
        bool unroll = false, int[]? input_shape = null, string? name = null, bool trainable = true)
        : base(name, trainable, input_shape)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (stateful)
            throw new ValueError("stateful=True is not supported by SharpFlow's tf.keras: pass the states as initial states and fetch them with return_state=True.");
        _cell = cell;
        this.return_sequences = return_sequences;
        this.return_state = return_state;
        this.go_backwards = go_backwards;
        this.unroll = unroll;
    }

    /// <summary>The cell.</summary>
    public RecurrentCell cell => _cell;

    /// <summary>Whether every step's output is returned (<c>[batch, time, units]</c>) rather than the last.</summary>
    public bool return_sequences { get; }

    /// <summary>Whether the final states follow the output.</summary>
    public bool return_state { get; }

    /// <summary>Whether the sequence is read from its end.</summary>
    public bool go_backwards { get; }

    /// <summary>Whether the loop is unrolled into one copy of the step per time step (the time axis must be known).</summary>
    public bool unroll { get; }

    /// <summary>The number of units.</summary>
    public int units => _cell.units;

    /// <inheritdoc />
    public override bool uses_learning_phase => _cell.dropout > 0 || _cell.recurrent_dropout > 0;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        RequireSequences(input_shape);
        if (!_cell.built) _cell.build(new Shape(input_shape[0], input_shape[2]));
        built = true;
    }

    /// <inheritdoc />
    public override void build(Shape[] input_shapes)
    {
        ArgumentNullException.ThrowIfNull(input_shapes);
        build(input_shapes[0]);
    }

    // Keras's InputSpec(ndim=3) check, at build and at call: [batch, time, features].
    private void RequireSequences(Shape shape)
    {
        if (!shape.IsKnownRank || shape.ndims != 3)
            throw new ValueError($"Input 0 of layer {name} is incompatible with the layer: expected ndim=3, found ndim={(shape.IsKnownRank ? shape.ndims : -1)}. Full shape received: {ShapeText(shape)}");
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs) => Single(call([inputs]));

    /// <inheritdoc />
    public override Tensor[] call(Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var x = inputs[0];
        RequireSequences(x.shape);
        var mask = KerasMasks.Get(x);
        var units = _cell.units;
        Tensor[] initial;
        if (inputs.Length > 1)
        {
            initial = inputs[1..];
            if (initial.Length != _cell.state_count)
                throw new ValueError($"An `initial_state` was passed that is not compatible with `cell.state_size`. Received `state_spec`={initial.Length} states; however `cell.state_size` is {_cell.state_count} states.");
        }
        else
        {
            var zeros = Fill.Dynamic(Pack.Build([Shape_.Build(x)[0], Const.Build(units)]), x.dtype, false, null);
            zeros.SetShape(new Shape(x.shape[0], units));
            initial = Enumerable.Repeat(zeros, _cell.state_count).ToArray();
        }
        _cell.MakeDropoutMasks(x[.., 0, ..], initial[0], Training);
        try
        {
            var (last, outputs, states) = unroll ? Unrolled(x, mask, initial) : Loop(x, mask, initial);
            var output = return_sequences ? outputs : last;
            if (return_sequences) KerasMasks.Set(output, mask);
            return return_state ? [output, .. states] : [output];
        }
        finally { _cell.InputMasks = null; _cell.RecurrentMasks = null; }
    }

    private (Tensor Output, Tensor[] States) MaskedStep(Tensor xt, Tensor? mt, Tensor[] old)
    {
        var (output, states) = _cell.Step(xt, old);
        if (mt is not null)
        {
            // Keras: a masked step keeps the previous output (states[0]) and the previous states.
            output = Select.Build(mt, output, old[0]);
            states = states.Select((s, i) => Select.Build(mt, s, old[i])).ToArray();
        }
        return (output, states);
    }

    private (Tensor Last, Tensor Outputs, Tensor[] States) Loop(Tensor x, Tensor? mask, Tensor[] initial)
    {
        var units = _cell.units;
        var timeMajor = Transpose.Build(x, new[] { 1, 0, 2 });
        var maskTm = mask is null ? null : Transpose.Build(Cast.Build(mask, DType.@bool), new[] { 1, 0 });
        if (go_backwards)
        {
            timeMajor = ReverseV2.Build(timeMajor, new[] { 0 });
            if (maskTm is not null) maskTm = ReverseV2.Build(maskTm, new[] { 0 });
        }
        TensorLike steps = x.shape[1] >= 0 ? x.shape[1] : Shape_.Build(timeMajor)[0];
        var stepShape = new Shape(x.shape[0], x.shape[2]);
        var inputTa = new TensorArray(x.dtype, steps, element_shape: stepShape, tensor_array_name: "input_ta").unstack(timeMajor);
        var maskTa = maskTm is null ? null : new TensorArray(DType.@bool, steps, element_shape: new Shape(x.shape[0]), tensor_array_name: "mask_ta").unstack(maskTm);
        var outputTa = new TensorArray(x.dtype, steps, element_shape: new Shape(x.shape[0], units), tensor_array_name: "output_ta");
        var time = Const.Build(0, null, null, "time");
        var loopVars = new List<object> { time, outputTa };
        loopVars.AddRange(initial);
        var stepsTensor = steps.Value is Tensor st ? st : Const.Build((int)steps.Value!);
        var result = Functional.WhileLoop(v => Less.Build((Tensor)v[0], stepsTensor), v =>
        {
            var t = (Tensor)v[0];
            var xt = inputTa.read(t);
            xt.SetShape(stepShape);
            Tensor? mt = null;
            if (maskTa is not null) { mt = maskTa.read(t); mt.SetShape(new Shape(x.shape[0])); }
            var old = v.Skip(2).Cast<Tensor>().ToArray();
            var (output, states) = MaskedStep(xt, mt, old);
            var written = ((TensorArray)v[1]).write(t, output);
            return [t + 1, written, .. states];
        }, loopVars, 32, true, steps, "while");
        var stacked = ((TensorArray)result[1]).stack();
        stacked.SetShape(new Shape(x.shape[1], x.shape[0], units));
        var last = stacked[-1];
        last.SetShape(new Shape(x.shape[0], units));
        var outputs = Transpose.Build(stacked, new[] { 1, 0, 2 });
        return (last, outputs, result.Skip(2).Cast<Tensor>().ToArray());
    }

    private (Tensor Last, Tensor Outputs, Tensor[] States) Unrolled(Tensor x, Tensor? mask, Tensor[] initial)
    {
        if (x.shape[1] < 0)
            throw new ValueError("Cannot unroll a RNN if the time dimension is undefined. Set a fixed number of steps (input_shape) or unroll=False.");
        var xs = Unpack.Build(x, x.shape[1], 1);
        var ms = mask is null ? null : Unpack.Build(Cast.Build(mask, DType.@bool), x.shape[1], 1);
        if (go_backwards) { Array.Reverse(xs); if (ms is not null) Array.Reverse(ms); }
        var states = initial;
        var outputs = new List<Tensor>();
        for (var t = 0; t < xs.Length; t++)
        {
            var (output, next) = MaskedStep(xs[t], ms?[t], states);
            outputs.Add(output);
            states = next;
        }
        return (outputs[^1], Pack.Build([.. outputs], 1), states);
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        return return_sequences ? new Shape(input_shape[0], input_shape[1], _cell.units) : new Shape(input_shape[0], _cell.units);
    }

    /// <summary>A copy of the layer's configuration under a new name (Bidirectional's forward and backward layers).</summary>
    internal RNN CloneAs(string newName, bool goBackwards) =>
        new(_cell.Clone(), return_sequences, return_state, goBackwards, false, unroll, null, newName, trainable) { _class = LayerClass };

    private string? _class;

    /// <summary>The Keras class this configuration is (<c>LSTM</c>, <c>GRU</c>, <c>SimpleRNN</c> or <c>RNN</c>).</summary>
    internal string LayerClass => _class ?? (GetType() == typeof(RNN) ? "RNN" : GetType().Name);
}

/// <summary><c>SimpleRNN</c>: a fully connected recurrent layer (<see cref="SimpleRNNCell"/> in an <see cref="RNN"/>).</summary>
public class SimpleRNN(int units, ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null,
    InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null,
    KerasRegularizer? recurrent_regularizer = null, KerasRegularizer? bias_regularizer = null, double dropout = 0, double recurrent_dropout = 0,
    bool return_sequences = false, bool return_state = false, bool go_backwards = false, bool stateful = false, bool unroll = false,
    int[]? input_shape = null, string? name = null, bool trainable = true)
    : RNN(new SimpleRNNCell(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer,
        recurrent_regularizer, bias_regularizer, dropout, recurrent_dropout), return_sequences, return_state, go_backwards, stateful, unroll,
        input_shape, name ?? Backend.UniqueObjectName("simple_rnn"), trainable)
{
}

/// <summary>
/// <c>LSTM</c> (Hochreiter 1997) as TensorFlow 1.x's Keras: gates i, f, c, o in that order along the kernels,
/// recurrent activation hard_sigmoid, forget bias initialized to one; states <c>[h, c]</c>.
/// </summary>
public class LSTM : RNN
{
    /// <summary>An LSTM layer of <paramref name="units"/> units.</summary>
    public LSTM(int units, ActivationSpec? activation = null, ActivationSpec? recurrent_activation = null, bool use_bias = true,
        InitializerSpec? kernel_initializer = null, InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null,
        bool unit_forget_bias = true, KerasRegularizer? kernel_regularizer = null, KerasRegularizer? recurrent_regularizer = null,
        KerasRegularizer? bias_regularizer = null, double dropout = 0, double recurrent_dropout = 0, int implementation = 1,
        bool return_sequences = false, bool return_state = false, bool go_backwards = false, bool stateful = false, bool unroll = false,
        int[]? input_shape = null, string? name = null, bool trainable = true)
        : base(new LSTMCell(units, activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            unit_forget_bias, kernel_regularizer, recurrent_regularizer, bias_regularizer, dropout, recurrent_dropout), return_sequences,
            return_state, go_backwards, stateful, unroll, input_shape, name ?? Backend.UniqueObjectName("lstm"), trainable)
    {
        if (implementation is not (1 or 2)) throw new ValueError($"implementation must be 1 or 2, got {implementation}");
    }
}

/// <summary>
/// <c>GRU</c> (Cho 2014) as TensorFlow 1.x's Keras: gates z, r, h in that order along the kernels, recurrent
/// activation hard_sigmoid, <c>reset_after=False</c>.
/// </summary>
public class GRU : RNN
{
    /// <summary>A GRU layer of <paramref name="units"/> units.</summary>
    public GRU(int units, ActivationSpec? activation = null, ActivationSpec? recurrent_activation = null, bool use_bias = true,
        InitializerSpec? kernel_initializer = null, InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null,
        KerasRegularizer? kernel_regularizer = null, KerasRegularizer? recurrent_regularizer = null, KerasRegularizer? bias_regularizer = null,
        double dropout = 0, double recurrent_dropout = 0, int implementation = 1, bool return_sequences = false, bool return_state = false,
        bool go_backwards = false, bool stateful = false, bool unroll = false, bool reset_after = false, int[]? input_shape = null, string? name = null,
        bool trainable = true)
        : base(new GRUCell(units, activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            kernel_regularizer, recurrent_regularizer, bias_regularizer, dropout, recurrent_dropout, reset_after), return_sequences, return_state,
            go_backwards, stateful, unroll, input_shape, name ?? Backend.UniqueObjectName("gru"), trainable)
    {
        if (implementation is not (1 or 2)) throw new ValueError($"implementation must be 1 or 2, got {implementation}");
    }
}
