namespace SharpFlow.Ops.NN;

/// <summary>
/// Conv2D: the 2-D convolution of NHWC images with an HWIO filter (<c>tf.nn.conv2d</c>), with strides, SAME or
/// VALID padding and dilations. The output is <c>[N, outH, outW, out_channels]</c> with the sizes of the seed's §35 (TensorFlow's GetWindowedOutputSize);
/// im2col and one matrix product compute it (<see cref="Kernels.Convolution.Conv2DKernels"/>).
/// </summary>
internal sealed class Conv2D : ConvolutionOp
{
    public static readonly Conv2D Def = new();

    public override string Type => "Conv2D";

    protected override ConvolutionFamily Family => ConvolutionFamily.Standard;

    /// <summary><c>tf.nn.conv2d(input, filter, strides, padding, dilations)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike filter, int[] strides, string padding, int[]? dilations = null, string? name = null) =>
        Def.Build(input, filter, WindowAttrs.ForConv(strides, padding, dilations), name);
}
