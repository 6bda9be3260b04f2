namespace SharpFlow.Ops.NN;

/// <summary>DepthwiseConv2dNativeBackpropInput: the gradient of a depthwise convolution with respect to its input.</summary>
internal sealed class DepthwiseConv2dNativeBackpropInput : ConvBackpropInputOp
{
    public static readonly DepthwiseConv2dNativeBackpropInput Def = new();

    public override string Type => "DepthwiseConv2dNativeBackpropInput";

    protected override ConvolutionFamily Family => ConvolutionFamily.Depthwise;
}
