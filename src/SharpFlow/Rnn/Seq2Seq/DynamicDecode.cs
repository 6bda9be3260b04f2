using SharpFlow.Ops.Control;
using SharpFlow.Ops.State;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Rnn.Seq2Seq;

/// <summary>
/// <c>tf.contrib.seq2seq.dynamic_decode</c> as TensorFlow 1.15's decoder.py: a <c>while_loop</c> that runs the
/// decoder's steps until every sequence has finished (or <c>maximum_iterations</c>), writing each step's outputs to
/// dynamically sized TensorArrays; a sequence's length is the step at which it finished. With
/// <c>impute_finished</c>, finished sequences emit zeros and keep their state.
/// </summary>
internal static class DynamicDecode
{
    public static (object FinalOutputs, object FinalState, Tensor FinalSequenceLengths) Build(Decoder decoder, bool outputTimeMajor,
        bool imputeFinished, TensorLike? maximumIterations, int parallelIterations, string? scope)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        using var varScope = VariableScopes.Enter(scope, scope is null ? "decoder" : null, null, null, null);
        Tensor? maxIter = null;
        if (maximumIterations is { } mi)
        {
            maxIter = ArrayFunctions.ConvertToTensor(mi.Value, DType.int32, "maximum_iterations");
            if (maxIter.shape.ndims != 0) throw new ValueError("maximum_iterations must be a scalar");
        }
        var (initialFinished, initialInputs, initialState) = decoder.initialize();
        var batch = decoder.batch_size;
        var shapes = decoder.FlatOutputShapes;
        var dtypes = decoder.FlatOutputDTypes;
        var staticBatch = initialFinished.shape.IsKnownRank && initialFinished.shape.ndims == 1 ? initialFinished.shape[0] : -1;
        var zeroOutputs = shapes.Select((s, k) =>
            Fill.Dynamic(ConcatV2.Build([ExpandDims.Build(batch, 0), Const.Build(s.Dims)], 0), dtypes[k], false, null)).ToArray();
        if (maxIter is not null) initialFinished = LogicalOr.Build(initialFinished, GreaterEqual.Build(Const.Build(0), maxIter));
        var initialLengths = ZerosLike.Def.Apply(initialFinished, DType.int32, true, null);
        var initialTime = Const.Build(0, DType.int32);
        var outputTas = shapes.Select((s, k) => new TensorArray(dtypes[k], 0, dynamic_size: true,
            element_shape: new Shape([staticBatch, .. s.Dims]))).ToArray();

        var flatState = Nest.Flatten(initialState);
        var loopVars = new List<object> { initialTime };
        loopVars.AddRange(outputTas);
        loopVars.AddRange(flatState);
        loopVars.Add(initialInputs);
        loopVars.Add(initialFinished);
        loopVars.Add(initialLengths);
        var n = shapes.Length;
        var ns = flatState.Count;
        var inputShape = initialInputs.shape;

        var result = Functional.WhileLoop(v => LogicalNot.Build(All.Build((Tensor)v[^2])), v =>
        {
            var time = (Tensor)v[0];
            var tas = v.Skip(1).Take(n).Cast<TensorArray>().ToArray();
            var stateFlat = v.Skip(1 + n).Take(ns).ToList();
            var state = Nest.Pack(initialState, stateFlat)!;
            var inputs = (Tensor)v[1 + n + ns];
            inputs.SetShape(inputShape);
            var finished = (Tensor)v[2 + n + ns];
            var lengths = (Tensor)v[3 + n + ns];
            var (nextOutputs, decoderState, nextInputs, decoderFinished) = decoder.step(time, inputs, state);
            var nextFinished = decoder.tracks_own_finished ? decoderFinished : LogicalOr.Build(decoderFinished, finished);
            var nextLengths = Select.Build(LogicalNot.Build(finished), Fill.Build(Shape_.Build(lengths), time + 1), lengths);
            var outFlat = Nest.Flatten(nextOutputs).Cast<Tensor>().ToArray();
            if (outFlat.Length != n) throw new ValueError($"The decoder's step returned {outFlat.Length} outputs, expected {n}.");
            var emit = imputeFinished ? outFlat.Select((o, k) => Select.Build(finished, zeroOutputs[k], o)).ToArray() : outFlat;
            var newStateFlat = Nest.Flatten(decoderState);
            if (newStateFlat.Count != ns) throw new ValueError($"The decoder's step returned a state of {newStateFlat.Count} elements, expected {ns}.");
            if (imputeFinished)
                for (var k = 0; k < ns; k++)
                {
                    if (newStateFlat[k] is not Tensor nt || stateFlat[k] is not Tensor cur) continue;
                    nt.SetShape(cur.shape);
                    if (nt.shape.ndims != 0) newStateFlat[k] = Select.Build(finished, cur, nt);
                }
            var next = new List<object> { time + 1 };
            next.AddRange(tas.Select((ta, k) => (object)ta.write(time, emit[k])));
            next.AddRange(newStateFlat);
            next.Add(nextInputs);
            next.Add(nextFinished);
            next.Add(nextLengths);
            return [.. next];
        }, loopVars, parallelIterations, true, maxIter is null ? (TensorLike?)null : maxIter, "while");

        var stacked = result.Skip(1).Take(n).Cast<TensorArray>().Select(ta => ta.stack()).ToArray();
        var finalState = Nest.Pack(initialState, result.Skip(1 + n).Take(ns).ToList())!;
        var finalLengths = (Tensor)result[3 + n + ns];
        var finalOutputs = decoder.PackOutputs(stacked);
        if (decoder.finalize(finalOutputs, finalState, finalLengths) is { } finalized)
            (finalOutputs, finalState) = finalized;
        if (!outputTimeMajor)
            finalOutputs = Nest.Pack(finalOutputs, [.. Nest.Flatten(finalOutputs).Select(t => (object)Helper.TransposeBatchTime((Tensor)t))])!;
        return (finalOutputs, finalState, finalLengths);
    }
}
