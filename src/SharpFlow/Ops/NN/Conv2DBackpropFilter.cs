namespace SharpFlow.Ops.NN;

/// <summary>
/// Conv2DBackpropFilter: the gradient of Conv2D with respect to its filter, from the input, the filter's shape
/// (<c>filter_sizes</c>) and the output's gradient (<c>out_backprop</c>).
/// </summary>
internal sealed class Conv2DBackpropFilter : ConvBackpropFilterOp
{
    public static readonly Conv2DBackpropFilter Def = new();

    public override string Type => "Conv2DBackpropFilter";

    protected override ConvolutionFamily Family => ConvolutionFamily.Standard;
}
