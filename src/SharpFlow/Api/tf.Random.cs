#pragma warning disable CS8981
using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.RandomOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>Samples of N(mean, stddev²); seeded ops give TensorFlow's numbers.</summary>
        public static Tensor random_normal(Shape shape, double mean = 0.0, double stddev = 1.0, DType? dtype = null, int? seed = null, string? name = null) =>
            RandomStandardNormal.Build(shape, mean, stddev, dtype, seed, name);

        /// <summary>With a shape computed at run time (<c>tf.shape(x)</c>): Samples of N(mean, stddev²); seeded ops give TensorFlow's numbers.</summary>
        public static Tensor random_normal(Tensor shape, double mean = 0.0, double stddev = 1.0, DType? dtype = null, int? seed = null, string? name = null) =>
            RandomStandardNormal.Build(shape, mean, stddev, dtype, seed, name);

        /// <summary>Normal samples redrawn beyond two standard deviations.</summary>
        public static Tensor truncated_normal(Shape shape, double mean = 0.0, double stddev = 1.0, DType? dtype = null, int? seed = null, string? name = null) =>
            TruncatedNormal.Build(shape, mean, stddev, dtype, seed, name);

        /// <summary>With a shape computed at run time (<c>tf.shape(x)</c>): Normal samples redrawn beyond two standard deviations.</summary>
        public static Tensor truncated_normal(Tensor shape, double mean = 0.0, double stddev = 1.0, DType? dtype = null, int? seed = null, string? name = null) =>
            TruncatedNormal.Build(shape, mean, stddev, dtype, seed, name);

        /// <summary>Uniform samples in [minval, maxval) (maxval is 1 for floats by default; integers need it).</summary>
        public static Tensor random_uniform(Shape shape, TensorLike? minval = null, TensorLike? maxval = null, DType? dtype = null, int? seed = null, string? name = null) =>
            RandomUniform.Build(shape, minval, maxval, dtype, seed, name);

        /// <summary>With a shape computed at run time (<c>tf.shape(x)</c>): Uniform samples in [minval, maxval) (maxval is 1 for floats by default; integers need it).</summary>
        public static Tensor random_uniform(Tensor shape, TensorLike? minval = null, TensorLike? maxval = null, DType? dtype = null, int? seed = null, string? name = null) =>
            RandomUniform.Build(shape, minval, maxval, dtype, seed, name);

        /// <summary>Gamma(alpha, beta) samples (beta is a rate); output shape is <c>shape + broadcast(alpha, beta)</c>.</summary>
        public static Tensor random_gamma(Shape shape, TensorLike alpha, TensorLike? beta = null, DType? dtype = null, int? seed = null, string? name = null) =>
            RandomGamma.Build(shape, alpha, beta, dtype, seed, name);

        /// <summary>With a shape computed at run time (<c>tf.shape(x)</c>): Gamma(alpha, beta) samples (beta is a rate); output shape is <c>shape + broadcast(alpha, beta)</c>.</summary>
        public static Tensor random_gamma(Tensor shape, TensorLike alpha, TensorLike? beta = null, DType? dtype = null, int? seed = null, string? name = null) =>
            RandomGamma.Build(shape, alpha, beta, dtype, seed, name);

        /// <summary>A random permutation along the first dimension.</summary>
        public static Tensor random_shuffle(TensorLike value, int? seed = null, string? name = null) => RandomShuffle.Build(value, seed, name);

        /// <summary>The <c>tf.random</c> module's names.</summary>
        public static class random
        {
            /// <summary>Same as <c>tf.random_normal</c>.</summary>
            public static Tensor normal(Shape shape, double mean = 0.0, double stddev = 1.0, DType? dtype = null, int? seed = null, string? name = null) =>
                RandomStandardNormal.Build(shape, mean, stddev, dtype, seed, name);
            /// <summary>With a run-time shape: Same as <c>tf.random_normal</c>.</summary>
            public static Tensor normal(Tensor shape, double mean = 0.0, double stddev = 1.0, DType? dtype = null, int? seed = null, string? name = null) =>
                RandomStandardNormal.Build(shape, mean, stddev, dtype, seed, name);
            /// <summary>Same as <c>tf.truncated_normal</c>.</summary>
            public static Tensor truncated_normal(Shape shape, double mean = 0.0, double stddev = 1.0, DType? dtype = null, int? seed = null, string? name = null) =>
                TruncatedNormal.Build(shape, mean, stddev, dtype, seed, name);
            /// <summary>With a run-time shape: Same as <c>tf.truncated_normal</c>.</summary>
            public static Tensor truncated_normal(Tensor shape, double mean = 0.0, double stddev = 1.0, DType? dtype = null, int? seed = null, string? name = null) =>
                TruncatedNormal.Build(shape, mean, stddev, dtype, seed, name);
            /// <summary>Same as <c>tf.random_uniform</c>.</summary>
            public static Tensor uniform(Shape shape, TensorLike? minval = null, TensorLike? maxval = null, DType? dtype = null, int? seed = null, string? name = null) =>
                RandomUniform.Build(shape, minval, maxval, dtype, seed, name);
            /// <summary>With a run-time shape: Same as <c>tf.random_uniform</c>.</summary>
            public static Tensor uniform(Tensor shape, TensorLike? minval = null, TensorLike? maxval = null, DType? dtype = null, int? seed = null, string? name = null) =>
                RandomUniform.Build(shape, minval, maxval, dtype, seed, name);
            /// <summary>Same as <c>tf.random_gamma</c>.</summary>
            public static Tensor gamma(Shape shape, TensorLike alpha, TensorLike? beta = null, DType? dtype = null, int? seed = null, string? name = null) =>
                RandomGamma.Build(shape, alpha, beta, dtype, seed, name);
            /// <summary>With a run-time shape: Same as <c>tf.random_gamma</c>.</summary>
            public static Tensor gamma(Tensor shape, TensorLike alpha, TensorLike? beta = null, DType? dtype = null, int? seed = null, string? name = null) =>
                RandomGamma.Build(shape, alpha, beta, dtype, seed, name);
            /// <summary>Same as <c>tf.random_shuffle</c>.</summary>
            public static Tensor shuffle(TensorLike value, int? seed = null, string? name = null) => RandomShuffle.Build(value, seed, name);
            /// <summary>Same as <c>tf.set_random_seed</c>.</summary>
            public static void set_random_seed(int seed) => tf.set_random_seed(seed);
        }

        // ----- initializers (§31) -----

        /// <summary>A constant (a scalar fills the shape).</summary>
        public static Initializer constant_initializer(object? value = null, DType? dtype = null, bool verify_shape = false) => new ConstantInitializer(value, dtype, verify_shape);
        /// <summary>Zeros.</summary>
        public static Initializer zeros_initializer(DType? dtype = null) => new ZerosInitializer(dtype);
        /// <summary>Ones.</summary>
        public static Initializer ones_initializer(DType? dtype = null) => new OnesInitializer(dtype);
        /// <summary>N(mean, stddev²).</summary>
        public static Initializer random_normal_initializer(double mean = 0.0, double stddev = 1.0, int? seed = null, DType? dtype = null) =>
            new RandomNormalInitializer(mean, stddev, seed, dtype);
        /// <summary>Truncated N(mean, stddev²).</summary>
        public static Initializer truncated_normal_initializer(double mean = 0.0, double stddev = 1.0, int? seed = null, DType? dtype = null) =>
            new TruncatedNormalInitializer(mean, stddev, seed, dtype);
        /// <summary>Uniform in [minval, maxval).</summary>
        public static Initializer random_uniform_initializer(double minval = 0.0, double? maxval = null, int? seed = null, DType? dtype = null) =>
            new RandomUniformInitializer(minval, maxval, seed, dtype);
        /// <summary>Uniform scaled to keep activations' variance.</summary>
        public static Initializer uniform_unit_scaling_initializer(double factor = 1.0, int? seed = null, DType? dtype = null) =>
            new UniformUnitScalingInitializer(factor, seed, dtype);
        /// <summary>Variance scaling.</summary>
        public static Initializer variance_scaling_initializer(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal", int? seed = null, DType? dtype = null) =>
            new VarianceScalingInitializer(scale, mode, distribution, seed, dtype);
        /// <summary>Glorot (Xavier) uniform: the default of <c>get_variable</c>.</summary>
        public static Initializer glorot_uniform_initializer(int? seed = null, DType? dtype = null) => new GlorotUniformInitializer(seed, dtype);
        /// <summary>Glorot (Xavier) normal.</summary>
        public static Initializer glorot_normal_initializer(int? seed = null, DType? dtype = null) => new GlorotNormalInitializer(seed, dtype);
    }
}
