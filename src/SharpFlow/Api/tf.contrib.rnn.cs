#pragma warning disable CS8981
using SharpFlow.Rnn;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class contrib
        {
            /// <summary>
            /// TensorFlow 1.x's <c>tf.contrib.rnn</c>: the fused LSTM cells (<c>LSTMBlockCell</c>,
            /// <c>LSTMBlockFusedCell</c>), <c>ResidualWrapper</c>, and the cells of <c>tf.nn.rnn_cell</c> under their
            /// contrib names.
            /// </summary>
            public static class rnn
            {
                /// <summary>
                /// <c>tf.contrib.rnn.LSTMBlockCell(num_units, forget_bias=1.0, cell_clip=None, use_peephole=False)</c>:
                /// an RNNCell whose step is one fused op (LSTMBlockCell); variables <c>lstm_cell/kernel</c>, <c>lstm_cell/bias</c>.
                /// </summary>
                public static LSTMBlockCell LSTMBlockCell(int num_units, double forget_bias = 1.0, double? cell_clip = null, bool use_peephole = false,
                    string? name = null) => new(num_units, forget_bias, cell_clip, use_peephole, name);

                /// <summary>
                /// <c>tf.contrib.rnn.LSTMBlockFusedCell(num_units, forget_bias=1.0, cell_clip=None, use_peephole=False)</c>:
                /// the whole time-major sequence in one op (BlockLSTM); variables <c>lstm_fused_cell/kernel</c>, <c>lstm_fused_cell/bias</c>.
                /// </summary>
                public static LSTMBlockFusedCell LSTMBlockFusedCell(int num_units, double forget_bias = 1.0, double? cell_clip = null,
                    bool use_peephole = false, string? name = null) => new(num_units, forget_bias, cell_clip, use_peephole, name);

                /// <summary><c>tf.contrib.rnn.BasicLSTMCell</c> (= <c>tf.nn.rnn_cell.BasicLSTMCell</c>).</summary>
                public static BasicLSTMCell BasicLSTMCell(int num_units, double forget_bias = 1.0, bool state_is_tuple = true,
                    Func<Tensor, Tensor>? activation = null, string? name = null) =>
                    nn.rnn_cell.BasicLSTMCell(num_units, forget_bias, state_is_tuple, activation, name);

                /// <summary><c>tf.contrib.rnn.MultiRNNCell</c> (= <c>tf.nn.rnn_cell.MultiRNNCell</c>).</summary>
                public static MultiRNNCell MultiRNNCell(IEnumerable<RNNCell> cells, bool state_is_tuple = true) => new(cells, state_is_tuple);

                /// <summary><c>tf.contrib.rnn.ResidualWrapper</c> (= <c>tf.nn.rnn_cell.ResidualWrapper</c>).</summary>
                public static ResidualWrapper ResidualWrapper(RNNCell cell, Func<Tensor, Tensor, Tensor>? residual_fn = null) => new(cell, residual_fn);

                /// <summary><c>tf.contrib.rnn.DropoutWrapper</c> (= <c>tf.nn.rnn_cell.DropoutWrapper</c>).</summary>
                public static DropoutWrapper DropoutWrapper(RNNCell cell, TensorLike? input_keep_prob = null, TensorLike? output_keep_prob = null,
                    TensorLike? state_keep_prob = null, bool variational_recurrent = false, int? input_size = null, DType? dtype = null, int? seed = null) =>
                    nn.rnn_cell.DropoutWrapper(cell, input_keep_prob, output_keep_prob, state_keep_prob, variational_recurrent, input_size, dtype, seed);

                /// <summary><c>tf.contrib.rnn.LSTMStateTuple(c, h)</c>.</summary>
                public static LSTMStateTuple LSTMStateTuple(Tensor c, Tensor h) => new(c, h);
            }
        }
    }
}
