#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.RandomOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow's <c>tf.nn</c>: activations, softmax, cross entropies, dropout.</summary>
        public static partial class nn
        {
            /// <summary>max(x, 0); this overload lets <c>activation: tf.nn.relu</c> name the function.</summary>
            public static Tensor relu(Tensor features) => Relu.Build(features);
            /// <summary>min(max(x, 0), 6), as a function value.</summary>
            public static Tensor relu6(Tensor features) => Relu6.Build(features);
            /// <summary>1/(1 + e^-x), as a function value.</summary>
            public static Tensor sigmoid(Tensor x) => Sigmoid.Build(x);
            /// <summary>Hyperbolic tangent, as a function value.</summary>
            public static Tensor tanh(Tensor x) => Tanh.Build(x);
            /// <summary>log(1 + e^x), as a function value.</summary>
            public static Tensor softplus(Tensor features) => Softplus.Build(features);
            /// <summary>Softmax over the last axis, as a function value.</summary>
            public static Tensor softmax(Tensor logits) => Softmax.Build(logits);

            /// <summary>
            /// The mean and variance of <paramref name="x"/> over <paramref name="axes"/>; <paramref name="shift"/> is
            /// accepted and unused, as in TensorFlow 1.x.
            /// </summary>
            public static (Tensor mean, Tensor variance) moments(TensorLike x, int[] axes, TensorLike? shift = null, string? name = null, bool keep_dims = false) =>
                Moments.Build(x, axes, keep_dims, name);

            /// <summary><c>(x - mean) / sqrt(variance + variance_epsilon) · scale + offset</c>.</summary>
            public static Tensor batch_normalization(TensorLike x, TensorLike mean, TensorLike variance, Tensor? offset, Tensor? scale, double variance_epsilon, string? name = null) =>
                Moments.Normalize(x, mean, variance, offset, scale, variance_epsilon, name);

            /// <summary>max(x, 0).</summary>
            public static Tensor relu(TensorLike features, string? name = null) => Relu.Build(features, name);
            /// <summary>
            /// <c>tf.nn.embedding_lookup(params, ids, partition_strategy, name, validate_indices, max_norm)</c>: the rows
            /// of an embedding table at <paramref name="ids"/>, each clipped to L2 norm <paramref name="max_norm"/> when
            /// given. Its gradient is an <see cref="IndexedSlices"/>, so optimizers update only the looked-up rows.
            /// </summary>
            public static Tensor embedding_lookup(TensorLike @params, TensorLike ids, string partition_strategy = "mod", string? name = null,
                bool validate_indices = true, double? max_norm = null) =>
                Functions.Embedding.Lookup([@params], ids, partition_strategy, name, max_norm);

            /// <summary>
            /// <c>tf.nn.embedding_lookup</c> of a table sharded over several tensors (a list of variables): id
            /// <c>i</c> lives in shard <c>i % n</c> at row <c>i / n</c> for <c>partition_strategy="mod"</c>, or in
            /// contiguous blocks for <c>"div"</c>.
            /// </summary>
            public static Tensor embedding_lookup(IReadOnlyList<Tensor> @params, TensorLike ids, string partition_strategy = "mod", string? name = null,
                bool validate_indices = true, double? max_norm = null) =>
                Functions.Embedding.Lookup([.. (@params ?? throw new ValueError("Need at least one param")).Select(p => (TensorLike)p)], ids, partition_strategy, name, max_norm);
            /// <summary>min(max(x, 0), 6).</summary>
            public static Tensor relu6(TensorLike features, string? name = null) => Relu6.Build(features, name);
            /// <summary>log(1 + e^x).</summary>
            public static Tensor softplus(TensorLike features, string? name = null) => Softplus.Build(features, name);
            /// <summary>1/(1 + e^-x).</summary>
            public static Tensor sigmoid(TensorLike x, string? name = null) => Sigmoid.Build(x, name);
            /// <summary>Hyperbolic tangent.</summary>
            public static Tensor tanh(TensorLike x, string? name = null) => Tanh.Build(x, name);
            /// <summary>Adds a bias vector along the channel axis: the last for <paramref name="data_format"/> NHWC (the default), axis 1 for NCHW.</summary>
            public static Tensor bias_add(TensorLike value, TensorLike bias, string? name = null, string? data_format = null) => BiasAdd.Build(value, bias, name, data_format ?? "NHWC");
            /// <summary>Softmax over <paramref name="axis"/> (the last by default; <paramref name="dim"/> is TensorFlow 1.x's older name).</summary>
            public static Tensor softmax(TensorLike logits, int axis = -1, string? name = null, int? dim = null) =>
                Activations.Softmax(logits, dim ?? axis, log: false, name);
            /// <summary>Log-softmax over <paramref name="axis"/> (the last by default; <paramref name="dim"/> is TensorFlow 1.x's older name).</summary>
            public static Tensor log_softmax(TensorLike logits, int axis = -1, string? name = null, int? dim = null) =>
                Activations.Softmax(logits, dim ?? axis, log: true, name);
            /// <summary><c>sum(t²)/2</c>.</summary>
            public static Tensor l2_loss(TensorLike t, string? name = null) => L2Loss.Build(t, name);

            /// <summary>
            /// 2-D convolution of NHWC <paramref name="input"/> with an HWIO <paramref name="filter"/>;
            /// <paramref name="strides"/> and <paramref name="dilations"/> are <c>[1, h, w, 1]</c>, padding "SAME" or "VALID".
            /// </summary>
            public static Tensor conv2d(TensorLike input, TensorLike filter, int[] strides, string padding, int[]? dilations = null, string? name = null) =>
                Conv2D.Build(input, filter, strides, padding, dilations, name);

            /// <summary>
            /// The transposed convolution (the gradient of <see cref="conv2d(TensorLike, TensorLike, int[], string, int[], string)"/> with respect to its input):
            /// <paramref name="filter"/> is <c>[h, w, out_channels, in_channels]</c> and the result has <paramref name="output_shape"/>.
            /// </summary>
            public static Tensor conv2d_transpose(TensorLike value, TensorLike filter, TensorLike output_shape, int[] strides, string padding = "SAME", string? name = null) =>
                Convolutions.Conv2DTranspose(value, filter, output_shape, strides, padding, name);

            /// <summary>
            /// The gradient of <see cref="conv2d(TensorLike, TensorLike, int[], string, int[], string)"/> with respect to its input, of shape <paramref name="input_sizes"/>
            /// (<c>tf.nn.conv2d_backprop_input</c>).
            /// </summary>
            public static Tensor conv2d_backprop_input(TensorLike input_sizes, TensorLike filter, TensorLike out_backprop, int[] strides, string padding, int[]? dilations = null, string? name = null)
            {
                var sizes = input_sizes.Value as Tensor ?? Ops.ArrayOps.Const.Create(OpsGraph(filter, out_backprop), Literal.ToNDArray(input_sizes.Value, DType.int32), "input_sizes");
                return Conv2DBackpropInput.Def.Build(sizes, filter, out_backprop, WindowAttrs.ForConv(strides, padding, dilations), name);
            }

            /// <summary>
            /// The gradient of <see cref="conv2d(TensorLike, TensorLike, int[], string, int[], string)"/> with respect to its filter, of shape <paramref name="filter_sizes"/>
            /// (<c>tf.nn.conv2d_backprop_filter</c>).
            /// </summary>
            public static Tensor conv2d_backprop_filter(TensorLike input, TensorLike filter_sizes, TensorLike out_backprop, int[] strides, string padding, int[]? dilations = null, string? name = null)
            {
                var sizes = filter_sizes.Value as Tensor ?? Ops.ArrayOps.Const.Create(OpsGraph(input, out_backprop), Literal.ToNDArray(filter_sizes.Value, DType.int32), "filter_sizes");
                return Conv2DBackpropFilter.Def.Build(input, sizes, out_backprop, WindowAttrs.ForConv(strides, padding, dilations), name);
            }

            /// <summary>
            /// Depthwise 2-D convolution: <paramref name="filter"/> is <c>[h, w, in_channels, channel_multiplier]</c>;
            /// <paramref name="rate"/> (<c>[rh, rw]</c>) dilates the filter.
            /// </summary>
            public static Tensor depthwise_conv2d(TensorLike input, TensorLike filter, int[] strides, string padding, int[]? rate = null, string? name = null) =>
                Convolutions.DepthwiseConv2D(input, filter, strides, padding, rate, name);

            /// <summary>Max pooling over <paramref name="ksize"/> windows (<c>[1, h, w, 1]</c>) of NHWC images.</summary>
            public static Tensor max_pool(TensorLike value, int[] ksize, int[] strides, string padding, string? name = null) =>
                MaxPool.Build(value, ksize, strides, padding, name);

            /// <summary>Average pooling over <paramref name="ksize"/> windows; padding is not counted in the mean.</summary>
            public static Tensor avg_pool(TensorLike value, int[] ksize, int[] strides, string padding, string? name = null) =>
                AvgPool.Build(value, ksize, strides, padding, name);

            /// <summary>
            /// Keeps each element with probability <paramref name="keep_prob"/> (a number in (0, 1] or a scalar
            /// tensor), scaling kept elements by 1/keep_prob.
            /// </summary>
            public static Tensor dropout(TensorLike x, TensorLike keep_prob, Shape? noise_shape = null, int? seed = null, string? name = null) =>
                Dropout.Build(x, keep_prob, noise_shape is null ? (ShapeInput?)null : (ShapeInput)noise_shape, seed, name);

            /// <summary>Dropout with a noise shape computed at run time.</summary>
            public static Tensor dropout(TensorLike x, TensorLike keep_prob, Tensor noise_shape, int? seed = null, string? name = null) =>
                Dropout.Build(x, keep_prob, (ShapeInput)noise_shape, seed, name);

            /// <summary>
            /// TensorFlow 1.x's softmax cross entropy per example; no gradient flows into the labels (use the
            /// <c>_v2</c> function for that).
            /// </summary>
            public static Tensor softmax_cross_entropy_with_logits(TensorLike labels, TensorLike logits, int dim = -1, string? name = null, int? axis = null) =>
                CrossEntropy.Softmax(labels, logits, name, axis ?? dim);

            /// <summary>Softmax cross entropy per example, differentiable in both labels and logits.</summary>
            public static Tensor softmax_cross_entropy_with_logits_v2(TensorLike labels, TensorLike logits, int? axis = null, string? name = null, int? dim = null) =>
                CrossEntropy.SoftmaxV2(labels, logits, name, axis ?? dim ?? -1);

            /// <summary>Softmax cross entropy per example with class-index labels.</summary>
            public static Tensor sparse_softmax_cross_entropy_with_logits(TensorLike labels, TensorLike logits, string? name = null) =>
                CrossEntropy.Sparse(labels, logits, name);

            /// <summary>Element-wise logistic loss <c>max(x,0) - x*z + log(1 + e^-|x|)</c>.</summary>
            public static Tensor sigmoid_cross_entropy_with_logits(TensorLike labels, TensorLike logits, string? name = null) =>
                CrossEntropy.Sigmoid(labels, logits, name);
        }

        private static Graph OpsGraph(TensorLike a, TensorLike b) => Ops.OpBuilder.GraphOf([a, b]);
    }
}
