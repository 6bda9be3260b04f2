#pragma warning disable CS8981
using SharpFlow.Rnn;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class nn
        {
            /// <summary>
            /// <c>tf.nn.dynamic_rnn(cell, inputs, sequence_length, initial_state, dtype)</c>: the cell run over the
            /// time axis of <paramref name="inputs"/> ([batch, time, depth], or [time, batch, depth] when
            /// <paramref name="time_major"/>) in a while loop; returns the outputs (same layout) and the final state.
            /// With <paramref name="sequence_length"/>, each sequence stops at its length: zero outputs after it, and
            /// its final state is the one at its last step.
            /// </summary>
            public static (Tensor outputs, object state) dynamic_rnn(RNNCell cell, Tensor inputs, TensorLike? sequence_length = null,
                object? initial_state = null, DType? dtype = null, int? parallel_iterations = null, bool swap_memory = false,
                bool time_major = false, string? scope = null) =>
                DynamicRnn.Build(cell, inputs, sequence_length, initial_state, dtype, parallel_iterations, time_major, scope);

            /// <summary>
            /// <c>tf.nn.static_rnn(cell, inputs)</c>: the cell unrolled over the list <paramref name="inputs"/> (one
            /// [batch, depth] tensor per step), sharing its variables; the outputs per step and the final state.
            /// </summary>
            public static (Tensor[] outputs, object state) static_rnn(RNNCell cell, IReadOnlyList<Tensor> inputs, object? initial_state = null,
                DType? dtype = null, TensorLike? sequence_length = null, string? scope = null) =>
                StaticRnn.Build(cell, inputs, initial_state, dtype, sequence_length, scope);

            /// <summary>
            /// <c>tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs)</c>: a forward and a backward
            /// <c>dynamic_rnn</c> (the backward one on each sequence reversed within its length); both outputs and
            /// both final states.
            /// </summary>
            public static ((Tensor fw, Tensor bw) outputs, (object fw, object bw) output_states) bidirectional_dynamic_rnn(RNNCell cell_fw,
                RNNCell cell_bw, Tensor inputs, TensorLike? sequence_length = null, object? initial_state_fw = null, object? initial_state_bw = null,
                DType? dtype = null, int? parallel_iterations = null, bool swap_memory = false, bool time_major = false, string? scope = null) =>
                StaticRnn.Bidirectional(cell_fw, cell_bw, inputs, sequence_length, initial_state_fw, initial_state_bw, dtype, parallel_iterations, time_major, scope);

            /// <summary>TensorFlow 1.x's <c>tf.nn.rnn_cell</c>: the recurrent cells.</summary>
            public static class rnn_cell
            {
                /// <summary><c>tf.nn.rnn_cell.BasicRNNCell(num_units)</c>.</summary>
                public static BasicRNNCell BasicRNNCell(int num_units, Func<Tensor, Tensor>? activation = null, string? name = null) =>
                    new(num_units, activation, null, name);

                /// <summary><c>tf.nn.rnn_cell.BasicLSTMCell(num_units, forget_bias)</c>.</summary>
                public static BasicLSTMCell BasicLSTMCell(int num_units, double forget_bias = 1.0, bool state_is_tuple = true,
                    Func<Tensor, Tensor>? activation = null, string? name = null) =>
                    new(num_units, forget_bias, state_is_tuple, activation, null, name);

                /// <summary><c>tf.nn.rnn_cell.GRUCell(num_units)</c>.</summary>
                public static GRUCell GRUCell(int num_units, Func<Tensor, Tensor>? activation = null, string? name = null) =>
                    new(num_units, activation, null, null, name);

                /// <summary><c>tf.nn.rnn_cell.MultiRNNCell(cells)</c>.</summary>
                public static MultiRNNCell MultiRNNCell(IEnumerable<RNNCell> cells, bool state_is_tuple = true) => new(cells, state_is_tuple);

                /// <summary><c>tf.nn.rnn_cell.LSTMCell(num_units, use_peepholes, cell_clip, initializer, num_proj, proj_clip, forget_bias)</c>.</summary>
                public static LSTMCell LSTMCell(int num_units, bool use_peepholes = false, double? cell_clip = null, Initializer? initializer = null,
                    int? num_proj = null, double? proj_clip = null, double forget_bias = 1.0, bool state_is_tuple = true,
                    Func<Tensor, Tensor>? activation = null, string? name = null) =>
                    new(num_units, use_peepholes, cell_clip, initializer, num_proj, proj_clip, forget_bias, state_is_tuple, activation, name);

                /// <summary>
                /// <c>tf.nn.rnn_cell.DropoutWrapper(cell, input_keep_prob, output_keep_prob, state_keep_prob,
                /// variational_recurrent, input_size, dtype, seed)</c>: with <paramref name="variational_recurrent"/>, the
                /// same mask at every step (then <paramref name="dtype"/>, and <paramref name="input_size"/> when the
                /// inputs are dropped, are required).
                /// </summary>
                public static DropoutWrapper DropoutWrapper(RNNCell cell, TensorLike? input_keep_prob = null, TensorLike? output_keep_prob = null,
                    TensorLike? state_keep_prob = null, bool variational_recurrent = false, int? input_size = null, DType? dtype = null, int? seed = null) =>
                    new(cell, input_keep_prob, output_keep_prob, state_keep_prob, variational_recurrent, input_size, dtype, seed);

                /// <summary><c>tf.nn.rnn_cell.ResidualWrapper(cell, residual_fn)</c>: the cell's output plus its input.</summary>
                public static ResidualWrapper ResidualWrapper(RNNCell cell, Func<Tensor, Tensor, Tensor>? residual_fn = null) => new(cell, residual_fn);

                /// <summary><c>tf.nn.rnn_cell.LSTMStateTuple(c, h)</c>.</summary>
                public static LSTMStateTuple LSTMStateTuple(Tensor c, Tensor h) => new(c, h);
            }
        }
    }
}
