#pragma warning disable CS8981
using SharpFlow.Keras;
using KL = SharpFlow.Keras.Layers;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class keras
        {
            public static partial class layers
            {
                /// <summary>A fully connected recurrent layer.</summary>
                public static KL.SimpleRNN SimpleRNN(int units, ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null,
                    InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null,
                    KerasRegularizer? recurrent_regularizer = null, KerasRegularizer? bias_regularizer = null, double dropout = 0, double recurrent_dropout = 0,
                    bool return_sequences = false, bool return_state = false, bool go_backwards = false, bool stateful = false, bool unroll = false,
                    int[]? input_shape = null, string? name = null, bool trainable = true) =>
                    new(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
                        bias_regularizer, dropout, recurrent_dropout, return_sequences, return_state, go_backwards, stateful, unroll, input_shape, name, trainable);

                /// <summary>An LSTM layer (gates i, f, c, o; recurrent activation hard_sigmoid as TensorFlow 1.x's Keras).</summary>
                public static KL.LSTM LSTM(int units, ActivationSpec? activation = null, ActivationSpec? recurrent_activation = null, bool use_bias = true,
                    InitializerSpec? kernel_initializer = null, InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null,
                    bool unit_forget_bias = true, KerasRegularizer? kernel_regularizer = null, KerasRegularizer? recurrent_regularizer = null,
                    KerasRegularizer? bias_regularizer = null, double dropout = 0, double recurrent_dropout = 0, int implementation = 1,
                    bool return_sequences = false, bool return_state = false, bool go_backwards = false, bool stateful = false, bool unroll = false,
                    int[]? input_shape = null, string? name = null, bool trainable = true) =>
                    new(units, activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, unit_forget_bias,
                        kernel_regularizer, recurrent_regularizer, bias_regularizer, dropout, recurrent_dropout, implementation, return_sequences, return_state,
                        go_backwards, stateful, unroll, input_shape, name, trainable);

                /// <summary>A GRU layer (gates z, r, h; <c>reset_after=False</c> as TensorFlow 1.x's Keras).</summary>
                public static KL.GRU GRU(int units, ActivationSpec? activation = null, ActivationSpec? recurrent_activation = null, bool use_bias = true,
                    InitializerSpec? kernel_initializer = null, InitializerSpec? recurrent_initializer = null, InitializerSpec? bias_initializer = null,
                    KerasRegularizer? kernel_regularizer = null, KerasRegularizer? recurrent_regularizer = null, KerasRegularizer? bias_regularizer = null,
                    double dropout = 0, double recurrent_dropout = 0, int implementation = 1, bool return_sequences = false, bool return_state = false,
                    bool go_backwards = false, bool stateful = false, bool unroll = false, bool reset_after = false, int[]? input_shape = null, string? name = null,
                    bool trainable = true) =>
                    new(units, activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer,
                        recurrent_regularizer, bias_regularizer, dropout, recurrent_dropout, implementation, return_sequences, return_state, go_backwards, stateful,
                        unroll, reset_after, input_shape, name, trainable);

                /// <summary>A recurrent layer around a cell.</summary>
                public static KL.RNN RNN(KL.RecurrentCell cell, bool return_sequences = false, bool return_state = false, bool go_backwards = false,
                    bool stateful = false, bool unroll = false, int[]? input_shape = null, string? name = null) =>
                    new(cell, return_sequences, return_state, go_backwards, stateful, unroll, input_shape, name ?? Keras.Backend.UniqueObjectName("rnn"));

                /// <summary>The step of a SimpleRNN.</summary>
                public static KL.SimpleRNNCell SimpleRNNCell(int units, ActivationSpec? activation = null, bool use_bias = true, double dropout = 0,
                    double recurrent_dropout = 0, string? name = null) =>
                    new(units, activation, use_bias, dropout: dropout, recurrent_dropout: recurrent_dropout, name: name);

                /// <summary>The step of an LSTM.</summary>
                public static KL.LSTMCell LSTMCell(int units, ActivationSpec? activation = null, ActivationSpec? recurrent_activation = null, bool use_bias = true,
                    bool unit_forget_bias = true, double dropout = 0, double recurrent_dropout = 0, string? name = null) =>
                    new(units, activation, recurrent_activation, use_bias, unit_forget_bias: unit_forget_bias, dropout: dropout, recurrent_dropout: recurrent_dropout, name: name);

                /// <summary>The step of a GRU.</summary>
                public static KL.GRUCell GRUCell(int units, ActivationSpec? activation = null, ActivationSpec? recurrent_activation = null, bool use_bias = true,
                    double dropout = 0, double recurrent_dropout = 0, bool reset_after = false, string? name = null) =>
                    new(units, activation, recurrent_activation, use_bias, dropout: dropout, recurrent_dropout: recurrent_dropout, reset_after: reset_after, name: name);

                /// <summary>A recurrent layer run forward and backward, the outputs merged.</summary>
                public static KL.Bidirectional Bidirectional(KL.RNN layer, string? merge_mode = "concat", KL.RNN? backward_layer = null, int[]? input_shape = null,
                    string? name = null) => new(layer, merge_mode, backward_layer, input_shape, name);

                /// <summary>A layer applied to every time step.</summary>
                public static KL.TimeDistributed TimeDistributed(Keras.Engine.Layer layer, int[]? input_shape = null, string? name = null) => new(layer, input_shape, name);

                /// <summary>Masks the time steps whose features all equal <paramref name="mask_value"/>.</summary>
                public static KL.Masking Masking(double mask_value = 0.0, int[]? input_shape = null, string? name = null) => new(mask_value, input_shape, name);

                /// <summary>An embedding whose id 0 masks its step when <paramref name="mask_zero"/> (for the recurrent layers after it).</summary>
                public static KL.Embedding Embedding(int input_dim, int output_dim, bool mask_zero, InitializerSpec? embeddings_initializer = null,
                    KerasRegularizer? embeddings_regularizer = null, int? input_length = null, string? name = null, bool trainable = true) =>
                    new(input_dim, output_dim, embeddings_initializer, embeddings_regularizer, input_length, name, trainable, mask_zero);
            }
        }
    }
}
