namespace SharpFlow;

#pragma warning disable CA1034, CA1720, CS8981 // the facade mirrors TensorFlow's module layout and names

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>16-bit unsigned integer (<c>tf.uint16</c>): what <c>decode_png(dtype=tf.uint16)</c> gives and <c>encode_png</c> takes.</summary>
        public static readonly DType uint16 = DType.uint16;
    }
}
