using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of the element-wise gradient ops a training graph holds (ReluGrad, SigmoidGrad, ...), of
/// FusedBatchNormGrad and of BiasAddGrad: each composed of Where, Mul, Div and the comparisons in the order TensorFlow's kernel computes it.
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
    /// <summary>
    /// FusedBatchNormGrad, V2 and V3 (y_backprop, x, scale, reserve_space_1, reserve_space_2; V3's reserve_space_3 is
    /// unread, as on TensorFlow's CPU) in element-wise ops and reductions over every axis but the channels (the last,
    /// or axis 1 for NCHW and NCDHW), as TensorFlow's kernel computes them. With is_training the reserve spaces are the
    /// batch's mean and biased variance: <c>x̂ = (x − mean)·rsqrt(variance + ε)</c>, offset_backprop <c>= Σ dy</c>,
    /// scale_backprop <c>= Σ dy·x̂</c>, x_backprop <c>= scale·rsqrt(variance + ε)·(dy − mean(dy) − x̂·mean(dy·x̂))</c>;
    /// without, they are the population statistics and x_backprop <c>= dy·scale·rsqrt(variance + ε)</c>. Its two
    /// placeholder outputs (reserve_space_4 and 5) have no value to export.
    /// </summary>
    private void FusedBatchNormGradOp(Operation op)
    {
        for (var k = 3; k < op.outputs.Count; k++)
            if (IsRead(op.outputs[k]))
                throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its placeholder output reserve_space_{k + 1} is read.", op.name);
        var rank = op.inputs[1].shape.ndims;
        if (rank < 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the rank of its x is unknown.", op.name);
        if (op.inputs[1].dtype != op.inputs[2].dtype)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: x of {op.inputs[1].dtype.name} with {op.inputs[2].dtype.name} statistics.", op.name);
        var format = op.attrs.TryGetValue("data_format", out var f) && f is string text ? text : "NHWC";
        var channel = format.StartsWith("NC", StringComparison.Ordinal) ? 1 : rank - 1;
        long[] axes = [.. Enumerable.Range(0, rank).Where(a => a != channel).Select(a => (long)a)];
        var dtype = op.inputs[1].dtype;
        // A [C] vector shaped to broadcast along the channel axis.
        string Channels(string v) => channel == rank - 1 ? v : Apply("Reshape", v, Ints([-1, .. Enumerable.Repeat(1L, rank - 2)]));
        string Mean(string v)
        {
            var r = Fresh();
            Reduce("ReduceMean", v, axes, r, ("keepdims", 1L));
            return r;
        }
        var (dy, x, scale) = (In(op, 0), In(op, 1), In(op, 2));
        var epsilon = Convert.ToDouble(op.attrs["epsilon"], System.Globalization.CultureInfo.InvariantCulture);
        var inverse = Channels(Apply("Reciprocal", Apply("Sqrt", Apply("Add", In(op, 4), Scalar((float)epsilon, dtype)))));
        var normalized = Apply("Mul", Apply("Sub", x, Channels(In(op, 3))), inverse);
        var outs = new[] { Out(op.outputs[0]), Out(op.outputs[1]), Out(op.outputs[2]) };
        Node("ReduceSum", [Apply("Mul", dy, normalized), Ints(axes)], [outs[1]], ("keepdims", 0L));
        Node("ReduceSum", [dy, Ints(axes)], [outs[2]], ("keepdims", 0L));
        var factor = Apply("Mul", Channels(scale), inverse);
        var training = op.attrs.TryGetValue("is_training", out var t) && t is true;
        if (!training) Node("Mul", [dy, factor], [outs[0]]);
        else
        {
            var centered = Apply("Sub", Apply("Sub", dy, Mean(dy)), Apply("Mul", normalized, Mean(Apply("Mul", dy, normalized))));
            Node("Mul", [factor, centered], [outs[0]]);
        }
        for (var k = 0; k < 3; k++) _names[op.outputs[k]] = outs[k];
    }
    /// <summary>
    /// LRNGrad(input_grads, input_image, output_image) over the last axis, as TensorFlow's kernel:
    /// <c>dx[k] = dy[k]·norm[k]^−β − 2αβ·x[k]·Σ_{|j − k| ≤ r} dy[j]·y[j] / norm[j]</c> with
    /// <c>norm = bias + α·Σ_{|j − k| ≤ r} x[j]²</c>; each windowed sum is the Pad by r zeros either side, then the sum of
    /// its 2r + 1 shifted Slices (any dtype, the depth known only at run time). The rank must be known.
    /// </summary>
    private void LrnGradOp(Operation op, string y)
    {
        var rank = op.inputs[1].shape.ndims;
        if (rank < 1)
            throw new UnimplementedError($"Cannot export LRNGrad \"{op.name}\" to ONNX: the rank of its input_image is unknown.", op.name);
        double Value(string name) => Convert.ToDouble(op.attrs[name], System.Globalization.CultureInfo.InvariantCulture);
        var (radius, bias, alpha, beta) = ((long)Value("depth_radius"), Value("bias"), Value("alpha"), Value("beta"));
        var dtype = op.outputs[0].dtype;
        var (dy, x, output) = (In(op, 0), In(op, 1), In(op, 2));
        string Window(string v)
        {
            var pads = new long[2 * rank];
            (pads[rank - 1], pads[2 * rank - 1]) = (radius, radius);
            var padded = Apply("Pad", v, Ints(pads));
            string? sum = null;
            for (var t = 0L; t <= 2 * radius; t++)
            {
                var part = Apply("Slice", padded, Ints([t]), Ints([t == 2 * radius ? long.MaxValue : t - 2 * radius]), Ints([-1]));
                sum = sum is null ? part : Apply("Add", sum, part);
            }
            return sum!;
        }
        var norm = Apply("Add", Scalar((float)bias, dtype), Apply("Mul", Scalar((float)alpha, dtype), Window(Apply("Mul", x, x))));
        var direct = Apply("Mul", dy, Apply("Pow", norm, Scalar(-(float)beta, dtype)));
        var spread = Window(Apply("Div", Apply("Mul", dy, output), norm));
        Node("Sub", [direct, Apply("Mul", Apply("Mul", Scalar(2 * (float)alpha * (float)beta, dtype), x), spread)], [y]);
    }
}
