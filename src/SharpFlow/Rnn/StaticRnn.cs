using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.State;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.nn.static_rnn</c> (the cell unrolled once per input, sharing its variables) and
/// <c>tf.nn.bidirectional_dynamic_rnn</c> (a forward and a backward <c>dynamic_rnn</c>, the backward one on the
/// sequences reversed within their lengths), as TensorFlow 1.x's rnn.py builds them.
/// </summary>
internal static class StaticRnn
{
    public static (Tensor[] Outputs, object State) Build(RNNCell cell, IReadOnlyList<Tensor> inputs, object? initialState, DType? dtype,
        TensorLike? sequenceLength, string? scope)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (inputs is null || inputs.Count == 0) throw new ValueError("inputs must not be empty");
        var graph = inputs[0].graph;
        using var _ = graph.as_default();
        using var varScope = VariableScopes.Enter(scope ?? "rnn", null, null, null, null);
        var first = inputs[0];
        if (!first.shape.IsKnownRank || first.shape.ndims < 2) throw new ValueError($"static_rnn needs inputs of rank 2 or more, got {first}");
        TensorLike batchSize = first.shape[0] >= 0 ? first.shape[0] : Reshape.Build(Slice.Build(Shape_.Build(first), new[] { 0 }, new[] { 1 }), System.Array.Empty<int>());
        object state = initialState ?? (dtype is { } d ? cell.zero_state(batchSize, d) : throw new ValueError("If no initial_state is provided, dtype must be specified"));
        Tensor? seq = null, zero = null;
        if (sequenceLength is { } sl)
        {
            seq = Cast.Build(sl.Value is Tensor t ? t : Const.Create(graph, Literal.ToNDArray(sl.Value, DType.int32), "sequence_length"), DType.int32);
            zero = Fill.Build(Pack.Build([batchSize, cell.output_size]), Const.Create(graph, Literal.ToNDArray(0.0, first.dtype), "Const"));
        }
        var outputs = new Tensor[inputs.Count];
        for (var time = 0; time < inputs.Count; time++)
        {
            var (output, newState) = cell.__call__(inputs[time], state);
            if (seq is not null)
            {
                var copy = GreaterEqual.Build(Const.Create(graph, NDArray.Scalar(time), "time"), seq);
                output = Select.Build(copy, zero!, output);
                var oldFlat = cell.FlattenState(state);
                var newFlat = cell.FlattenState(newState);
                newState = cell.PackState([.. newFlat.Select((n, i) => Select.Build(copy, oldFlat[i], n))]);
            }
            outputs[time] = output;
            state = newState;
        }
        return (outputs, state);
    }

    public static ((Tensor Fw, Tensor Bw) Outputs, (object Fw, object Bw) States) Bidirectional(RNNCell cellFw, RNNCell cellBw, Tensor inputs,
        TensorLike? sequenceLength, object? initialStateFw, object? initialStateBw, DType? dtype, int? parallelIterations, bool timeMajor, string? scope)
    {
        using var _ = inputs.graph.as_default();
        using var outer = VariableScopes.Enter(scope ?? "bidirectional_rnn", null, null, null, null);
        var (outputFw, stateFw) = DynamicRnn.Build(cellFw, inputs, sequenceLength, initialStateFw, dtype, parallelIterations, timeMajor, "fw");
        var (timeAxis, batchAxis) = timeMajor ? (0, 1) : (1, 0);
        Tensor Reverse(Tensor t) => sequenceLength is { } sl
            ? ReverseSequence.Build(t, sl.Value is Tensor s ? Cast.Build(s, DType.int64) : Literal.ToNDArray(sl.Value, DType.int64), timeAxis, batchAxis)
            : ReverseV2.Build(t, new[] { timeAxis });
        Tensor outputBw;
        object stateBw;
        using (VariableScopes.Enter("bw", null, null, null, null))
        {
            var (reversedOut, s) = DynamicRnn.Build(cellBw, Reverse(inputs), sequenceLength, initialStateBw, dtype, parallelIterations, timeMajor, null, inScope: true);
            (outputBw, stateBw) = (Reverse(reversedOut), s);
        }
        return ((outputFw, outputBw), (stateFw, stateBw));
    }
}
