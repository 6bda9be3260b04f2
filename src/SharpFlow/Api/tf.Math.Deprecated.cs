#pragma warning disable CS8981
using SharpFlow.Ops.MathOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// TensorFlow 1.x's deprecated <c>tf.arg_max(input, dimension, output_type=tf.int64)</c>: the <c>ArgMax</c> op
        /// with a required dimension (the book's chapter 8 calls it). Use <see cref="argmax"/>.
        /// </summary>
        public static Tensor arg_max(TensorLike input, TensorLike dimension, DType? output_type = null, string? name = null) =>
            ArgMax.Def.Apply(input, dimension, output_type, name);

        /// <summary>TensorFlow 1.x's deprecated <c>tf.arg_min</c>: the <c>ArgMin</c> op with a required dimension. Use <see cref="argmin"/>.</summary>
        public static Tensor arg_min(TensorLike input, TensorLike dimension, DType? output_type = null, string? name = null) =>
            ArgMin.Def.Apply(input, dimension, output_type, name);
    }
}
