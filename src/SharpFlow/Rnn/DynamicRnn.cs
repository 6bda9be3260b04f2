using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.State;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.dynamic_rnn</c> as TensorFlow 1.x builds it (rnn.py's <c>_dynamic_rnn_loop</c>): the inputs, time-major,
/// go into a TensorArray; a <c>while_loop</c> over time calls the cell once per step and writes each output to a
/// TensorArray; with <c>sequence_length</c>, steps past a sequence's end copy its state through and output zeros
/// (<c>_rnn_step</c> with <c>skip_conditionals</c>).
/// </summary>
internal static class DynamicRnn
{
    public static (Tensor Outputs, object State) Build(RNNCell cell, Tensor inputs, TensorLike? sequenceLength, object? initialState,
        DType? dtype, int? parallelIterations, bool timeMajor, string? scope, bool inScope = false)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(inputs);
        var graph = inputs.graph;
        using var _ = graph.as_default();
        // inScope: the caller already entered the variable scope (bidirectional_dynamic_rnn's "bw").
        using var varScope = inScope ? null : VariableScopes.Enter(scope ?? "rnn", null, null, null, null);
        if (!inputs.shape.IsKnownRank || inputs.shape.ndims < 3)
            throw new ValueError($"dynamic_rnn needs inputs of rank 3 or more ([batch, time, depth]), got {inputs}");
        // [batch, time, ...] -> [time, batch, ...]
        var perm = new[] { 1, 0 }.Concat(Enumerable.Range(2, inputs.shape.ndims - 2)).ToArray();
        var x = timeMajor ? inputs : Transpose.Build(inputs, perm);
        Tensor? seq = null;
        if (sequenceLength is { } sl)
        {
            seq = Cast.Build(sl.Value is Tensor t ? t : Const.Create(graph, Literal.ToNDArray(sl.Value, DType.int32), "sequence_length"), DType.int32);
            if (seq.shape.IsKnownRank && seq.shape.ndims != 1)
                throw new ValueError($"sequence_length must be a vector of length batch_size, but saw shape: {seq.shape}");
            seq = Identity.Build(seq, "sequence_length");
        }
        var shape = Shape_.Build(x);
        var timeSteps = x.shape[0] >= 0 ? (TensorLike)x.shape[0] : StridedElement(shape, 0);
        TensorLike batchSize = x.shape[1] >= 0 ? x.shape[1] : StridedElement(shape, 1);
        object state;
        if (initialState is not null) state = initialState;
        else
        {
            if (dtype is null) throw new ValueError("If there is no initial_state, you must give a dtype.");
            state = cell.zero_state(batchSize, dtype.Value);
        }
        var flatState = cell.FlattenState(state);
        var stateDType = flatState[0].dtype;

        Tensor? zeroOutput = null, minLength = null, maxLength = null;
        if (seq is not null)
        {
            zeroOutput = Fill.Build(Pack.Build([batchSize, cell.output_size]), Const.Create(graph, Literal.ToNDArray(0.0, stateDType), "Const"));
            minLength = Min.Build(seq);
            maxLength = Max.Build(seq);
        }
        var time = Const.Create(graph, NDArray.Scalar(0), "time");
        // TensorFlow names the arrays after the (unique) name scope "dynamic_rnn": rnn/dynamic_rnn/output_0.
        string baseName;
        using (graph.name_scope("dynamic_rnn", out baseName)) { }
        var inputTa = new TensorArray(x.dtype, timeSteps, element_shape: new Shape(x.shape.AsSpan()[1..].ToArray()), tensor_array_name: baseName + "input_0").unstack(x);
        var outputTa = new TensorArray(stateDType, timeSteps, element_shape: new Shape(x.shape[1], cell.output_size), tensor_array_name: baseName + "output_0");
        var stepShape = new Shape(x.shape.AsSpan()[1..].ToArray());
        // At least one step, so the output TensorArray learns its shape; at most the longest sequence.
        var loopBound = seq is null ? timeSteps : Minimum.Build(timeSteps, Maximum.Build(1, maxLength!));

        var loopVars = new List<object> { time, outputTa };
        loopVars.AddRange(flatState);
        var result = Functional.WhileLoop(v => Less.Build((Tensor)v[0], loopBound), v =>
        {
            var t = (Tensor)v[0];
            var input = inputTa.read(t);
            input.SetShape(stepShape);
            var oldState = v.Skip(2).Cast<Tensor>().ToArray();
            var (output, newStateObj) = cell.__call__(input, cell.PackState(oldState));
            var newState = cell.FlattenState(newStateObj);
            if (seq is not null)
            {
                // Past a sequence's end: zero output, the state copied through.
                var copy = GreaterEqual.Build(t, seq);
                output = Select.Build(copy, zeroOutput!, output);
                for (var i = 0; i < newState.Length; i++) newState[i] = Select.Build(copy, oldState[i], newState[i]);
            }
            var written = ((TensorArray)v[1]).write(t, output);
            return [Add.Build(t, 1), written, .. newState];
        }, loopVars, parallelIterations ?? 32, true, timeSteps, "while");
        var outputs = ((TensorArray)result[1]).stack();
        outputs.SetShape(new Shape(x.shape[0], x.shape[1], cell.output_size));
        var finalState = cell.PackState([.. result.Skip(2).Cast<Tensor>()]);
        if (!timeMajor)
        {
            var back = new[] { 1, 0 }.Concat(Enumerable.Range(2, outputs.shape.ndims - 2)).ToArray();
            outputs = Transpose.Build(outputs, back);
        }
        return (outputs, finalState);
    }

    private static Tensor StridedElement(Tensor shape, int i) =>
        Reshape.Build(Slice.Build(shape, new[] { i }, new[] { 1 }), System.Array.Empty<int>());
}
