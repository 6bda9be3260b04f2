#pragma warning disable CS8981
using SharpFlow.Ops.Initializers;
using SharpFlow.Layers;
using SharpFlow.Rnn;
using SharpFlow.Rnn.Seq2Seq;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class layers
        {
            /// <summary>
            /// <c>tf.layers.Dense(units, activation, use_bias, kernel_initializer, bias_initializer, name)</c>: a
            /// dense layer object whose variables are made on its first call and reused by later calls (what
            /// seq2seq's <c>output_layer</c> and attention layers are).
            /// </summary>
            public static DenseLayer Dense(int units, Func<Tensor, Tensor>? activation = null, bool use_bias = true,
                Initializer? kernel_initializer = null, Initializer? bias_initializer = null, bool trainable = true, string? name = null) =>
                new(units, activation, use_bias, kernel_initializer, bias_initializer, trainable, name);
        }

        public static partial class contrib
        {
            /// <summary>TensorFlow 1.x's <c>tf.contrib.seq2seq</c>: decoders, helpers, attention and the sequence loss.</summary>
            public static partial class seq2seq
            {
                /// <summary>
                /// <c>sequence_loss(logits, targets, weights)</c>: the weighted cross entropy of logits
                /// [batch, time, classes] against targets [batch, time], averaged over the weights across time and
                /// batch (a scalar), one of them ([time] or [batch]), or neither ([batch, time]).
                /// </summary>
                public static Tensor sequence_loss(Tensor logits, Tensor targets, Tensor weights, bool average_across_timesteps = true,
                    bool average_across_batch = true, bool sum_over_timesteps = false, bool sum_over_batch = false,
                    Func<Tensor, Tensor, Tensor>? softmax_loss_function = null, string? name = null) =>
                    SequenceLoss.Build(logits, targets, weights, average_across_timesteps, average_across_batch, sum_over_timesteps,
                        sum_over_batch, softmax_loss_function, name);

                /// <summary><c>TrainingHelper(inputs, sequence_length, time_major)</c>: teacher forcing.</summary>
                public static TrainingHelper TrainingHelper(TensorLike inputs, TensorLike sequence_length, bool time_major = false, string? name = null) =>
                    new(inputs, sequence_length, time_major, name);

                /// <summary><c>GreedyEmbeddingHelper(embedding, start_tokens, end_token)</c>: greedy decoding.</summary>
                public static GreedyEmbeddingHelper GreedyEmbeddingHelper(Tensor embedding, TensorLike start_tokens, TensorLike end_token) =>
                    new(embedding, start_tokens, end_token);

                /// <summary><c>GreedyEmbeddingHelper(embedding_fn, start_tokens, end_token)</c> with an embedding function.</summary>
                public static GreedyEmbeddingHelper GreedyEmbeddingHelper(Func<Tensor, Tensor> embedding, TensorLike start_tokens, TensorLike end_token) =>
                    new(embedding, start_tokens, end_token);

                /// <summary><c>BasicDecoder(cell, helper, initial_state, output_layer)</c>.</summary>
                public static BasicDecoder BasicDecoder(RNNCell cell, Helper helper, object initial_state, DenseLayer? output_layer = null) =>
                    new(cell, helper, initial_state, output_layer);

                /// <summary>
                /// <c>dynamic_decode(decoder, output_time_major, impute_finished, maximum_iterations)</c>: runs the
                /// decoder in a while loop until every sequence has finished; returns the outputs (a
                /// <see cref="BasicDecoderOutput"/> for a BasicDecoder, batch-major unless output_time_major), the
                /// final state and each sequence's length.
                /// </summary>
                public static (BasicDecoderOutput final_outputs, object final_state, Tensor final_sequence_lengths) dynamic_decode(Decoder decoder,
                    bool output_time_major = false, bool impute_finished = false, TensorLike? maximum_iterations = null,
                    int parallel_iterations = 32, bool swap_memory = false, string? scope = null)
                {
                    var (outputs, state, lengths) = DynamicDecode.Build(decoder, output_time_major, impute_finished, maximum_iterations, parallel_iterations, scope);
                    return ((BasicDecoderOutput)outputs, state, lengths);
                }

                /// <summary><c>BahdanauAttention(num_units, memory, memory_sequence_length, normalize)</c>.</summary>
                public static BahdanauAttention BahdanauAttention(int num_units, Tensor memory, TensorLike? memory_sequence_length = null,
                    bool normalize = false, Func<Tensor, Tensor>? probability_fn = null, double? score_mask_value = null, DType? dtype = null,
                    string name = "BahdanauAttention") =>
                    new(num_units, memory, memory_sequence_length, normalize, probability_fn, score_mask_value, dtype, name);

                /// <summary><c>LuongAttention(num_units, memory, memory_sequence_length, scale)</c>.</summary>
                public static LuongAttention LuongAttention(int num_units, Tensor memory, TensorLike? memory_sequence_length = null,
                    bool scale = false, Func<Tensor, Tensor>? probability_fn = null, double? score_mask_value = null, DType? dtype = null,
                    string name = "LuongAttention") =>
                    new(num_units, memory, memory_sequence_length, scale, probability_fn, score_mask_value, dtype, name);

                /// <summary><c>AttentionWrapper(cell, attention_mechanism, attention_layer_size, alignment_history, cell_input_fn, output_attention, initial_cell_state, name)</c>.</summary>
                public static AttentionWrapper AttentionWrapper(RNNCell cell, AttentionMechanism attention_mechanism, int? attention_layer_size = null,
                    bool alignment_history = false, Func<Tensor, Tensor, Tensor>? cell_input_fn = null, bool output_attention = true,
                    object? initial_cell_state = null, string? name = null) =>
                    new(cell, attention_mechanism, attention_layer_size, alignment_history, cell_input_fn, output_attention, initial_cell_state, name);

                /// <summary><c>tile_batch(t, multiplier)</c>: each batch entry repeated <paramref name="multiplier"/> times.</summary>
                public static Tensor tile_batch(Tensor t, int multiplier, string? name = null) => TileBatch.Build(t, multiplier);

                /// <summary><c>tile_batch</c> of a structure (an LSTMStateTuple, an array of states).</summary>
                public static object tile_batch(object t, int multiplier, string? name = null) => TileBatch.Map(t, multiplier)!;
            }
        }
    }
}
