using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of the element-wise gradient ops a training graph holds (ReluGrad, SigmoidGrad, ...) and
/// of BiasAddGrad: each composed of Where, Mul, Div and the comparisons in the order TensorFlow's kernel computes it.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>SELU's scale and scale·alpha, as TensorFlow's functor spells them.</summary>
    private const double SeluScale = 1.0507009873554804934193349852946, SeluScaleAlpha = 1.7580993408473768599402175208123;

    /// <summary>
    /// An element-wise gradient op with TensorFlow's input order: (gradients, features) for ReluGrad, Relu6Grad,
    /// LeakyReluGrad, SoftplusGrad and SoftsignGrad, (gradients, outputs) for EluGrad and SeluGrad, (y, dy) for
    /// SigmoidGrad, TanhGrad, RsqrtGrad and ReciprocalGrad. A comparison with a NaN feature is false, so ReluGrad
    /// and Relu6Grad give 0 there, as the kernels do.
    /// </summary>
    private void ElementwiseGradOp(Operation op, string y)
    {
        var dtype = op.outputs[0].dtype;
        var (a, b) = (In(op, 0), In(op, 1));
        string Zero() => Scalar(0, dtype);
        string One() => Scalar(1, dtype);
        switch (op.type)
        {
            case "ReluGrad":
                Node("Where", [Apply("Greater", b, Zero()), a, Zero()], [y]);
                break;
            case "Relu6Grad":
                Node("Where", [Apply("And", Apply("Greater", b, Zero()), Apply("Less", b, Scalar(6, dtype))), a, Zero()], [y]);
                break;
            case "LeakyReluGrad":
                Node("Where", [Apply("Greater", b, Zero()), a, Apply("Mul", a, Scalar(Attr<float>(op, "alpha"), dtype))], [y]);
                break;
            case "EluGrad":
                Node("Where", [Apply("Greater", b, Zero()), a, Apply("Mul", a, Apply("Add", b, One()))], [y]);
                break;
            case "SeluGrad":
                Node("Where", [Apply("Greater", b, Zero()), Apply("Mul", a, Scalar(SeluScale, dtype)), Apply("Mul", a, Apply("Add", b, Scalar(SeluScaleAlpha, dtype)))], [y]);
                break;
            case "SoftplusGrad":
                Node("Div", [a, Apply("Add", One(), Apply("Exp", Apply("Neg", b)))], [y]);
                break;
            case "SoftsignGrad":
                var s = Apply("Add", One(), Apply("Abs", b));
                Node("Div", [a, Apply("Mul", s, s)], [y]);
                break;
            case "SigmoidGrad":
                Node("Mul", [b, Apply("Mul", a, Apply("Sub", One(), a))], [y]);
                break;
            case "TanhGrad":
                Node("Mul", [b, Apply("Sub", One(), Apply("Mul", a, a))], [y]);
                break;
            case "RsqrtGrad":
                Node("Mul", [Apply("Mul", Apply("Mul", Apply("Mul", a, a), a), Scalar(-0.5, dtype)), b], [y]);
                break;
            case "ReciprocalGrad":
                Node("Mul", [Apply("Mul", Apply("Neg", b), a), a], [y]);
                break;
            default:
                throw new InvalidOperationException($"{op.type} is not an element-wise gradient op");
        }
    }

    /// <summary>
    /// BiasAddGrad: ReduceSum of <c>out_backprop</c> over every axis but the channel axis, the last for NHWC and axis
    /// 1 for NCHW (TensorFlow's kernel; for rank 2 both are the last). The rank must be known.
    /// </summary>
    private void BiasAddGradOp(Operation op, string y)
    {
        var rank = op.inputs[0].shape.ndims;
        if (rank < 0)
            throw new UnimplementedError($"Cannot export BiasAddGrad \"{op.name}\" to ONNX: the rank of its out_backprop is unknown.", op.name);
        var channel = Attr<string>(op, "data_format") == "NCHW" ? 1 : rank - 1;
        Node("ReduceSum", [In(op, 0), Ints([.. Enumerable.Range(0, rank).Where(a => a != channel).Select(a => (long)a)])], [y], ("keepdims", 0L));
    }

    /// <summary>
    /// BiasAdd: Add of the bias, which broadcasts along the last axis (NHWC, and any rank-2 value); for NCHW at rank 3
    /// or more the bias is reshaped to [C, 1, ...] so that it broadcasts along axis 1. The rank must then be known.
    /// </summary>
    private void BiasAddOp(Operation op, string y)
    {
        var rank = op.inputs[0].shape.ndims;
        if (Attr<string>(op, "data_format") != "NCHW" || rank == 2)
        {
            Node("Add", [In(op, 0), In(op, 1)], [y]);
            return;
        }
        if (rank < 0)
            throw new UnimplementedError($"Cannot export BiasAdd \"{op.name}\" to ONNX: data_format NCHW with a value of unknown rank.", op.name);
        Node("Add", [In(op, 0), Apply("Reshape", In(op, 1), Ints([-1, .. Enumerable.Repeat(1L, rank - 2)]))], [y]);
    }
}
