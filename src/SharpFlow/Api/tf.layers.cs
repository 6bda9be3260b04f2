#pragma warning disable CS8981
using SharpFlow.Ops.Initializers;
using SharpFlow.Layers;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// TensorFlow 1.x's <c>tf.layers</c>: functions that create their variables through <c>get_variable</c> in
        /// a scope named after the layer (<c>dense/kernel</c>, <c>conv2d_1/bias</c>), so scopes and reuse work.
        /// </summary>
        public static partial class layers
        {
            /// <summary>A fully connected layer: <c>activation(inputs · kernel + bias)</c>.</summary>
            public static Tensor dense(Tensor inputs, int units, Func<Tensor, Tensor>? activation = null, bool use_bias = true,
                Initializer? kernel_initializer = null, Initializer? bias_initializer = null,
                Functions.Regularizer? kernel_regularizer = null, Functions.Regularizer? bias_regularizer = null,
                bool trainable = true, string? name = null, Reuse? reuse = null) =>
                SharpFlow.Layers.Dense.Apply(inputs, units, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, trainable, name, reuse);

            /// <summary>A 2-D convolution layer over NHWC inputs with <paramref name="filters"/> output channels.</summary>
            public static Tensor conv2d(Tensor inputs, int filters, Size2D kernel_size, Size2D? strides = null, string padding = "valid",
                Size2D? dilation_rate = null, Func<Tensor, Tensor>? activation = null, bool use_bias = true,
                Initializer? kernel_initializer = null, Initializer? bias_initializer = null,
                Functions.Regularizer? kernel_regularizer = null, Functions.Regularizer? bias_regularizer = null,
                bool trainable = true, string? name = null, Reuse? reuse = null) =>
                Conv2DLayer.Apply(inputs, filters, kernel_size, strides ?? 1, padding, dilation_rate ?? 1, activation, use_bias,
                    kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, trainable, name, reuse);

            /// <summary>Max pooling over <paramref name="pool_size"/> windows.</summary>
            public static Tensor max_pooling2d(Tensor inputs, Size2D pool_size, Size2D strides, string padding = "valid", string? name = null) =>
                Pooling2D.Apply(inputs, pool_size, strides, padding, max: true, name);

            /// <summary>Average pooling over <paramref name="pool_size"/> windows.</summary>
            public static Tensor average_pooling2d(Tensor inputs, Size2D pool_size, Size2D strides, string padding = "valid", string? name = null) =>
                Pooling2D.Apply(inputs, pool_size, strides, padding, max: false, name);

            /// <summary><c>[batch, ...]</c> to <c>[batch, n]</c>.</summary>
            public static Tensor flatten(Tensor inputs, string? name = null) => Flatten.Apply(inputs, name);

            /// <summary>
            /// Drops a fraction <paramref name="rate"/> of the inputs when <paramref name="training"/> is true (a bool or
            /// a bool tensor); passes them through otherwise.
            /// </summary>
            public static Tensor dropout(Tensor inputs, double rate = 0.5, Shape? noise_shape = null, int? seed = null,
                TensorLike training = default, string? name = null) =>
                DropoutLayer.Apply(inputs, rate, training, noise_shape, seed, name);

            /// <summary>
            /// Batch normalization over the last axis (or axis 1 of a fused NCHW input); while <paramref name="training"/>,
            /// the moving-statistics updates go into <c>UPDATE_OPS</c>. <paramref name="fused"/> (TensorFlow's default
            /// null: when possible) uses one FusedBatchNormV3 op for 4-D inputs.
            /// </summary>
            public static Tensor batch_normalization(Tensor inputs, int axis = -1, double momentum = 0.99, double epsilon = 1e-3,
                bool center = true, bool scale = true, TensorLike training = default, bool trainable = true, string? name = null, Reuse? reuse = null,
                bool? fused = null) =>
                BatchNormalization.Apply(inputs, axis, momentum, epsilon, center, scale, training, trainable, name, reuse, fused);
        }
    }
}
