namespace SharpFlow;

#pragma warning disable CA1034, CA1720, CS8981 // the facade mirrors TensorFlow's module layout and names

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>8-bit signed integer (<c>tf.int8</c>).</summary>
        public static readonly DType int8 = DType.int8;

        /// <summary>16-bit signed integer (<c>tf.int16</c>).</summary>
        public static readonly DType int16 = DType.int16;

        /// <summary>32-bit unsigned integer (<c>tf.uint32</c>).</summary>
        public static readonly DType uint32 = DType.uint32;

        /// <summary>64-bit unsigned integer (<c>tf.uint64</c>).</summary>
        public static readonly DType uint64 = DType.uint64;

        /// <summary>16-bit float (<c>tf.float16</c>): half-precision storage, kernels compute in float32 and round back.</summary>
        public static readonly DType float16 = DType.float16;

        /// <summary>TensorFlow's alias of <see cref="float16"/> (<c>tf.half</c>).</summary>
        public static readonly DType half = DType.float16;
    }
}
