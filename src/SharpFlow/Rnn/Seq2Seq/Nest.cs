namespace SharpFlow.Rnn.Seq2Seq;

/// <summary>
/// TensorFlow's <c>nest</c> for the structures seq2seq carries through its loops: tensors, TensorArrays,
/// <see cref="LSTMStateTuple"/>, arrays of states (<see cref="MultiRNNCell"/>), <see cref="AttentionWrapperState"/>
/// and <see cref="BasicDecoderOutput"/>; null is the empty structure (TensorFlow's <c>()</c>).
/// </summary>
internal static class Nest
{
    /// <summary>The leaves (Tensors and TensorArrays) in order.</summary>
    public static List<object> Flatten(object? structure)
    {
        var list = new List<object>();
        Add(structure, list);
        return list;
    }

    private static void Add(object? s, List<object> list)
    {
        switch (s)
        {
            case null: break;
            case Tensor or TensorArray: list.Add(s); break;
            case LSTMStateTuple l: list.Add(l.c); list.Add(l.h); break;
            case object[] items: foreach (var i in items) Add(i, list); break;
            case AttentionWrapperState a:
                Add(a.cell_state, list); list.Add(a.attention); list.Add(a.time); list.Add(a.alignments);
                Add(a.alignment_history, list); Add(a.attention_state, list);
                break;
            case BasicDecoderOutput o: list.Add(o.rnn_output); list.Add(o.sample_id); break;
            case BeamSearchDecoderState b: Add(b.cell_state, list); list.Add(b.log_probs); list.Add(b.finished); list.Add(b.lengths); break;
            case BeamSearchDecoderOutput o: list.Add(o.scores); list.Add(o.predicted_ids); list.Add(o.parent_ids); break;
            case FinalBeamSearchDecoderOutput f: list.Add(f.predicted_ids); Add(f.beam_search_decoder_output, list); break;
            default: throw new TypeError($"Cannot flatten a {s.GetType().Name} in a seq2seq structure.");
        }
    }

    /// <summary>The structure of <paramref name="template"/> with the leaves <paramref name="flat"/>.</summary>
    public static object? Pack(object? template, IReadOnlyList<object> flat)
    {
        var i = 0;
        var result = Pack(template, flat, ref i);
        if (i != flat.Count) throw new ValueError($"The structure has {i} elements, got {flat.Count}.");
        return result;
    }

    private static object? Pack(object? t, IReadOnlyList<object> flat, ref int i)
    {
        switch (t)
        {
            case null: return null;
            case Tensor or TensorArray: return flat[i++];
            case LSTMStateTuple: { var c = (Tensor)flat[i++]; var h = (Tensor)flat[i++]; return new LSTMStateTuple(c, h); }
            case object[] items:
                {
                    var r = new object[items.Length];
                    for (var k = 0; k < items.Length; k++) r[k] = Pack(items[k], flat, ref i)!;
                    return r;
                }
            case AttentionWrapperState a:
                {
                    var cell = Pack(a.cell_state, flat, ref i)!;
                    var attention = (Tensor)flat[i++];
                    var time = (Tensor)flat[i++];
                    var alignments = (Tensor)flat[i++];
                    var history = Pack(a.alignment_history, flat, ref i);
                    var attentionState = Pack(a.attention_state, flat, ref i)!;
                    return new AttentionWrapperState(cell, attention, time, alignments, (TensorArray?)history, attentionState);
                }
            case BasicDecoderOutput: { var o = (Tensor)flat[i++]; var s = (Tensor)flat[i++]; return new BasicDecoderOutput(o, s); }
            case BeamSearchDecoderState b:
                {
                    var cell = Pack(b.cell_state, flat, ref i)!;
                    var logProbs = (Tensor)flat[i++];
                    var finished = (Tensor)flat[i++];
                    var lengths = (Tensor)flat[i++];
                    return new BeamSearchDecoderState(cell, logProbs, finished, lengths);
                }
            case BeamSearchDecoderOutput:
                {
                    var scores = (Tensor)flat[i++];
                    var ids = (Tensor)flat[i++];
                    var parents = (Tensor)flat[i++];
                    return new BeamSearchDecoderOutput(scores, ids, parents);
                }
            case FinalBeamSearchDecoderOutput f:
                {
                    var ids = (Tensor)flat[i++];
                    var inner = (BeamSearchDecoderOutput)Pack(f.beam_search_decoder_output, flat, ref i)!;
                    return new FinalBeamSearchDecoderOutput(ids, inner);
                }
            default: throw new TypeError($"Cannot pack a {t.GetType().Name} in a seq2seq structure.");
        }
    }

    /// <summary>Applies <paramref name="f"/> to each pair of corresponding leaves.</summary>
    public static object? Map2(Func<object, object, object> f, object? a, object? b)
    {
        var fa = Flatten(a);
        var fb = Flatten(b);
        if (fa.Count != fb.Count) throw new ValueError($"The two structures don't have the same number of elements: {fa.Count} and {fb.Count}.");
        return Pack(a, [.. fa.Select((x, k) => f(x, fb[k]))]);
    }
}
