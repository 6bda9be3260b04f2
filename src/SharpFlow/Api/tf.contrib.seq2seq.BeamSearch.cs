#pragma warning disable CS8981
using SharpFlow.Layers;
using SharpFlow.Ops.Rnn;
using SharpFlow.Rnn;
using SharpFlow.Rnn.Seq2Seq;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class contrib
        {
            public static partial class seq2seq
            {
                /// <summary>
                /// <c>BeamSearchDecoder(cell, embedding, start_tokens, end_token, initial_state, beam_width, output_layer,
                /// length_penalty_weight)</c>: beam search over <paramref name="cell"/>, whose initial state holds
                /// batch·beam_width entries (<c>tile_batch</c> the encoder's state and memory).
                /// </summary>
                public static BeamSearchDecoder BeamSearchDecoder(RNNCell cell, Tensor embedding, TensorLike start_tokens, TensorLike end_token,
                    object initial_state, int beam_width, DenseLayer? output_layer = null, double length_penalty_weight = 0.0) =>
                    new(cell, embedding, start_tokens, end_token, initial_state, beam_width, output_layer, length_penalty_weight);

                /// <summary><c>BeamSearchDecoder</c> with an embedding function instead of a matrix.</summary>
                public static BeamSearchDecoder BeamSearchDecoder(RNNCell cell, Func<Tensor, Tensor> embedding, TensorLike start_tokens,
                    TensorLike end_token, object initial_state, int beam_width, DenseLayer? output_layer = null, double length_penalty_weight = 0.0) =>
                    new(cell, embedding, start_tokens, end_token, initial_state, beam_width, output_layer, length_penalty_weight);

                /// <summary>
                /// <c>dynamic_decode</c> of a <see cref="Rnn.Seq2Seq.BeamSearchDecoder"/>: a
                /// <see cref="FinalBeamSearchDecoderOutput"/> (predicted_ids [batch, time, beam_width], best beam
                /// first), the final <see cref="BeamSearchDecoderState"/> and the loop's sequence lengths
                /// [batch, beam_width].
                /// </summary>
                public static (FinalBeamSearchDecoderOutput final_outputs, BeamSearchDecoderState final_state, Tensor final_sequence_lengths) dynamic_decode(
                    BeamSearchDecoder decoder, bool output_time_major = false, bool impute_finished = false, TensorLike? maximum_iterations = null,
                    int parallel_iterations = 32, bool swap_memory = false, string? scope = null)
                {
                    var (outputs, state, lengths) = DynamicDecode.Build(decoder, output_time_major, impute_finished, maximum_iterations, parallel_iterations, scope);
                    return ((FinalBeamSearchDecoderOutput)outputs, (BeamSearchDecoderState)state, lengths);
                }

                /// <summary>
                /// <c>gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token)</c> (op GatherTree): the full
                /// beams [max_time, batch, beam] from each step's ids and parent beams.
                /// </summary>
                public static Tensor gather_tree(TensorLike step_ids, TensorLike parent_ids, TensorLike max_sequence_lengths, TensorLike end_token,
                    string? name = null) =>
                    GatherTree.Build(step_ids, parent_ids, max_sequence_lengths, end_token, name);
            }
        }
    }
}
