namespace SharpFlow.Ops.NN;

/// <summary>
/// Conv2DBackpropInput: the gradient of Conv2D with respect to its input, from the input's shape
/// (<c>input_sizes</c>), the filter and the output's gradient (<c>out_backprop</c>). It is also the transposed
/// convolution (<c>tf.nn.conv2d_transpose</c>).
/// </summary>
internal sealed class Conv2DBackpropInput : ConvBackpropInputOp
{
    public static readonly Conv2DBackpropInput Def = new();

    public override string Type => "Conv2DBackpropInput";

    protected override ConvolutionFamily Family => ConvolutionFamily.Standard;
}
