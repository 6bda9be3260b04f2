namespace SharpFlow.Ops.NN;

/// <summary>
/// DepthwiseConv2dNative: each input channel convolved with its own filters (<c>tf.nn.depthwise_conv2d</c>); the
/// filter is <c>[kh, kw, in_channels, channel_multiplier]</c> and the output has <c>in_channels·multiplier</c>
/// channels (<see cref="Kernels.Convolution.DepthwiseConv2DKernels"/>).
/// </summary>
internal sealed class DepthwiseConv2dNative : ConvolutionOp
{
    public static readonly DepthwiseConv2dNative Def = new();

    public override string Type => "DepthwiseConv2dNative";

    protected override ConvolutionFamily Family => ConvolutionFamily.Depthwise;
}
