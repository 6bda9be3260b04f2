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
                /// <summary>A 3-D convolution (NDHWC), kernel <c>[kd, kh, kw, in, filters]</c>.</summary>
                public static KL.Conv3D Conv3D(int filters, KL.Size3D kernel_size, KL.Size3D? strides = null, string padding = "valid", KL.Size3D? dilation_rate = null,
                    ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null, InitializerSpec? bias_initializer = null,
                    KerasRegularizer? kernel_regularizer = null, KerasRegularizer? bias_regularizer = null, int[]? input_shape = null, string? name = null, bool trainable = true,
                    KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null) =>
                    new(filters, kernel_size, strides, padding, dilation_rate, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                        bias_regularizer, input_shape, name, trainable, kernel_constraint, bias_constraint);

                /// <summary>3-D max pooling (2×2×2 by default).</summary>
                public static KL.MaxPooling3D MaxPooling3D(KL.Size3D? pool_size = null, KL.Size3D? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null) =>
                    new(pool_size, strides, padding, input_shape, name);

                /// <summary>3-D average pooling (2×2×2 by default).</summary>
                public static KL.AveragePooling3D AveragePooling3D(KL.Size3D? pool_size = null, KL.Size3D? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null) =>
                    new(pool_size, strides, padding, input_shape, name);

                /// <summary>The mean over depth, height and width.</summary>
                public static KL.GlobalAveragePooling3D GlobalAveragePooling3D(int[]? input_shape = null, string? name = null) => new(input_shape, name);

                /// <summary>The max over depth, height and width.</summary>
                public static KL.GlobalMaxPooling3D GlobalMaxPooling3D(int[]? input_shape = null, string? name = null) => new(input_shape, name);
            }

            /// <summary><c>tf.keras.constraints</c>: projections of the weights applied after each update.</summary>
            public static class constraints
            {
                /// <summary>Column norms at most <paramref name="max_value"/>.</summary>
                public static MaxNorm MaxNorm(double max_value = 2, int axis = 0) => new(max_value, axis);
                /// <summary>Column norms at most <paramref name="max_value"/> (Keras's alias).</summary>
                public static MaxNorm max_norm(double max_value = 2, int axis = 0) => new(max_value, axis);
                /// <summary>Non-negative weights.</summary>
                public static NonNeg NonNeg() => new();
                /// <summary>Non-negative weights (Keras's alias).</summary>
                public static NonNeg non_neg() => new();
                /// <summary>Unit column norms.</summary>
                public static UnitNorm UnitNorm(int axis = 0) => new(axis);
                /// <summary>Unit column norms (Keras's alias).</summary>
                public static UnitNorm unit_norm(int axis = 0) => new(axis);
                /// <summary>Column norms moved into [min, max] at <paramref name="rate"/>.</summary>
                public static MinMaxNorm MinMaxNorm(double min_value = 0.0, double max_value = 1.0, double rate = 1.0, int axis = 0) => new(min_value, max_value, rate, axis);
                /// <summary>Column norms moved into [min, max] (Keras's alias).</summary>
                public static MinMaxNorm min_max_norm(double min_value = 0.0, double max_value = 1.0, double rate = 1.0, int axis = 0) => new(min_value, max_value, rate, axis);
                /// <summary>A constraint by name.</summary>
                public static KerasConstraint get(string identifier) => KerasConstraint.get(identifier);
            }
        }
    }
}
