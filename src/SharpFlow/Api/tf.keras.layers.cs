#pragma warning disable CS8981
using SharpFlow.Keras;
using SharpFlow.Layers;
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
                /// <summary>A 2-D convolution (NHWC).</summary>
                public static KL.Conv2D Conv2D(int filters, Size2D kernel_size, Size2D? strides = null, string padding = "valid", Size2D? dilation_rate = null,
                    ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null, InitializerSpec? bias_initializer = null,
                    KerasRegularizer? kernel_regularizer = null, KerasRegularizer? bias_regularizer = null, int[]? input_shape = null, string? name = null, bool trainable = true,
                    KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null) =>
                    new(filters, kernel_size, strides, padding, dilation_rate, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                        bias_regularizer, input_shape, name, trainable, kernel_constraint, bias_constraint);

                /// <summary>A 1-D convolution over steps.</summary>
                public static KL.Conv1D Conv1D(int filters, int kernel_size, int strides = 1, string padding = "valid", int dilation_rate = 1, ActivationSpec? activation = null,
                    bool use_bias = true, InitializerSpec? kernel_initializer = null, InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null,
                    int[]? input_shape = null, string? name = null, bool trainable = true, KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null) =>
                    new(filters, kernel_size, strides, padding, dilation_rate, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer, input_shape, name, trainable,
                        kernel_constraint, bias_constraint);

                /// <summary>A transposed 2-D convolution.</summary>
                public static KL.Conv2DTranspose Conv2DTranspose(int filters, Size2D kernel_size, Size2D? strides = null, string padding = "valid", ActivationSpec? activation = null,
                    bool use_bias = true, InitializerSpec? kernel_initializer = null, InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null,
                    int[]? input_shape = null, string? name = null, bool trainable = true, KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null) =>
                    new(filters, kernel_size, strides, padding, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer, input_shape, name, trainable,
                        kernel_constraint, bias_constraint);

                /// <summary>A depthwise 2-D convolution.</summary>
                public static KL.DepthwiseConv2D DepthwiseConv2D(Size2D kernel_size, Size2D? strides = null, string padding = "valid", int depth_multiplier = 1,
                    ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? depthwise_initializer = null, InitializerSpec? bias_initializer = null,
                    int[]? input_shape = null, string? name = null) =>
                    new(kernel_size, strides, padding, depth_multiplier, activation, use_bias, depthwise_initializer, bias_initializer, input_shape, name);

                /// <summary>A depthwise-separable 2-D convolution.</summary>
                public static KL.SeparableConv2D SeparableConv2D(int filters, Size2D kernel_size, Size2D? strides = null, string padding = "valid", int depth_multiplier = 1,
                    ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? depthwise_initializer = null, InitializerSpec? pointwise_initializer = null,
                    InitializerSpec? bias_initializer = null, int[]? input_shape = null, string? name = null) =>
                    new(filters, kernel_size, strides, padding, depth_multiplier, activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer, input_shape, name);

                /// <summary>2-D max pooling (2×2 by default).</summary>
                public static KL.MaxPooling2D MaxPooling2D(Size2D? pool_size = null, Size2D? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null) =>
                    new(pool_size, strides, padding, input_shape, name);

                /// <summary>2-D average pooling.</summary>
                public static KL.AveragePooling2D AveragePooling2D(Size2D? pool_size = null, Size2D? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null) =>
                    new(pool_size, strides, padding, input_shape, name);

                /// <summary>1-D max pooling.</summary>
                public static KL.MaxPooling1D MaxPooling1D(int pool_size = 2, int? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null) =>
                    new(pool_size, strides, padding, input_shape, name);

                /// <summary>1-D average pooling.</summary>
                public static KL.AveragePooling1D AveragePooling1D(int pool_size = 2, int? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null) =>
                    new(pool_size, strides, padding, input_shape, name);

                /// <summary>The mean over height and width.</summary>
                public static KL.GlobalAveragePooling2D GlobalAveragePooling2D(int[]? input_shape = null, string? name = null) => new(input_shape, name);

                /// <summary>The max over height and width.</summary>
                public static KL.GlobalMaxPooling2D GlobalMaxPooling2D(int[]? input_shape = null, string? name = null) => new(input_shape, name);

                /// <summary>The mean over steps.</summary>
                public static KL.GlobalAveragePooling1D GlobalAveragePooling1D(int[]? input_shape = null, string? name = null) => new(input_shape, name);

                /// <summary>The max over steps.</summary>
                public static KL.GlobalMaxPooling1D GlobalMaxPooling1D(int[]? input_shape = null, string? name = null) => new(input_shape, name);

                /// <summary>Batch normalization over the last axis (fused, TensorFlow 1.x's default, for 4-D float32 inputs).</summary>
                public static KL.BatchNormalization BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
                    InitializerSpec? beta_initializer = null, InitializerSpec? gamma_initializer = null, InitializerSpec? moving_mean_initializer = null,
                    InitializerSpec? moving_variance_initializer = null, int[]? input_shape = null, string? name = null, bool trainable = true, bool? fused = null) =>
                    new(axis, momentum, epsilon, center, scale, beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer, input_shape, name, trainable,
                        fused);

                /// <summary>Layer normalization over the last axis.</summary>
                public static KL.LayerNormalization LayerNormalization(double epsilon = 1e-3, bool center = true, bool scale = true, int[]? input_shape = null,
                    string? name = null, bool trainable = true) => new(epsilon, center, scale, input_shape, name, trainable);

                /// <summary>An embedding table.</summary>
                public static KL.Embedding Embedding(int input_dim, int output_dim, InitializerSpec? embeddings_initializer = null, KerasRegularizer? embeddings_regularizer = null,
                    int? input_length = null, string? name = null, bool trainable = true) =>
                    new(input_dim, output_dim, embeddings_initializer, embeddings_regularizer, input_length, name, trainable);

                /// <summary>Gaussian noise while training.</summary>
                public static KL.GaussianNoise GaussianNoise(double stddev, int[]? input_shape = null, string? name = null) => new(stddev, input_shape, name);

                /// <summary>Zeros around rows and columns.</summary>
                public static KL.ZeroPadding2D ZeroPadding2D(Size2D? padding = null, int[]? input_shape = null, string? name = null) => new(padding, null, input_shape, name);

                /// <summary>Crops rows and columns.</summary>
                public static KL.Cropping2D Cropping2D((int Top, int Bottom, int Left, int Right) cropping, int[]? input_shape = null, string? name = null) => new(cropping, input_shape, name);

                /// <summary>Nearest-neighbour upsampling.</summary>
                public static KL.UpSampling2D UpSampling2D(Size2D? size = null, int[]? input_shape = null, string? name = null) => new(size, input_shape, name);

                /// <summary>Sum of the inputs.</summary>
                public static KL.Add Add(string? name = null) => new(name);
                /// <summary>Difference of two inputs.</summary>
                public static KL.Subtract Subtract(string? name = null) => new(name);
                /// <summary>Product of the inputs.</summary>
                public static KL.Multiply Multiply(string? name = null) => new(name);
                /// <summary>Mean of the inputs.</summary>
                public static KL.Average Average(string? name = null) => new(name);
                /// <summary>Element-wise maximum.</summary>
                public static KL.Maximum Maximum(string? name = null) => new(name);
                /// <summary>Element-wise minimum.</summary>
                public static KL.Minimum Minimum(string? name = null) => new(name);
                /// <summary>Concatenation along an axis.</summary>
                public static KL.Concatenate Concatenate(int axis = -1, string? name = null) => new(axis, name);
                /// <summary>Dot product along an axis.</summary>
                public static KL.Dot Dot(int axes, bool normalize = false, string? name = null) => new(axes, normalize, name);

                /// <summary>Functional form: <c>concatenate([a, b])</c>.</summary>
                public static Tensor concatenate(Tensor[] inputs, int axis = -1, string? name = null) => new KL.Concatenate(axis, name).Apply(inputs)[0];
                /// <summary>Functional form: <c>add([a, b])</c>.</summary>
                public static Tensor add(Tensor[] inputs, string? name = null) => new KL.Add(name).Apply(inputs)[0];
                /// <summary>Functional form: <c>multiply([a, b])</c>.</summary>
                public static Tensor multiply(Tensor[] inputs, string? name = null) => new KL.Multiply(name).Apply(inputs)[0];
            }
        }
    }
}
