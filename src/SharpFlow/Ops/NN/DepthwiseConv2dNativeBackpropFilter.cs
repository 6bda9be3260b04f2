namespace SharpFlow.Ops.NN;

/// <summary>DepthwiseConv2dNativeBackpropFilter: the gradient of a depthwise convolution with respect to its filter.</summary>
internal sealed class DepthwiseConv2dNativeBackpropFilter : ConvBackpropFilterOp
{
    public static readonly DepthwiseConv2dNativeBackpropFilter Def = new();

    public override string Type => "DepthwiseConv2dNativeBackpropFilter";

    protected override ConvolutionFamily Family => ConvolutionFamily.Depthwise;
}
