using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of the TensorFlow ops that ONNX has no one operator for, composed of the operators of
/// opsets 13 to 17: the element-wise functions (Log1p, Expm1, Erfc, IsFinite, Atan2, DivNoNan), the boolean
/// reductions, the losses, the band of a matrix and InTopKV2.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>One ONNX operator with attributes applied to <paramref name="inputs"/>, into a fresh value.</summary>
    private string ApplyWith(string type, string[] inputs, params (string Name, object Value)[] attributes)
    {
        var r = Fresh();
        Node(type, inputs, [r], attributes);
        return r;
    }

    /// <summary>A scalar initializer of <paramref name="dtype"/>.</summary>
    private string Scalar(double value, DType dtype) => Initializer($"scalar_{_counter++}", NDArray.Scalar(value).Cast(dtype));

    /// <summary>Whether an output of an op is read: an export output, or an input of an op the outputs need.</summary>
    private bool IsRead(Tensor t) => _outputs.Values.Contains(t, TensorComparer.Instance) || t.consumers().Any(_needed.Contains);

    /// <summary>
    /// Atan2(y, x) as <c>atan(y / x)</c> with the quadrant rules of <c>std::atan2</c>: plus π where x &lt; 0 and
    /// y ≥ 0, minus π where x &lt; 0 and y &lt; 0; where x = 0, π/2 times the sign of y (0 for y = 0). Signed zeros
    /// are not told apart (<c>atan2(-0, -1)</c> gives π where TensorFlow gives -π).
    /// </summary>
    private void Atan2Op(Operation op, string result)
    {
        var dtype = op.outputs[0].dtype;
        var (y, x) = (In(op, 0), In(op, 1));
        var zero = Scalar(0, dtype);
        var atan = Apply("Atan", Apply("Div", y, x));
        var pi = Apply("Where", Apply("Less", y, zero), Scalar(-System.Math.PI, dtype), Scalar(System.Math.PI, dtype));
        var negativeX = Apply("Where", Apply("Less", x, zero), Apply("Add", atan, pi), atan);
        var onAxis = Apply("Mul", Apply("Sign", y), Scalar(System.Math.PI / 2, dtype));
        Node("Where", [Apply("Equal", x, zero), onAxis, negativeX], [result]);
    }

    /// <summary>DivNoNan: <c>x / y</c>, 0 where y is 0 (whatever x is).</summary>
    private void DivNoNanOp(Operation op, string y)
    {
        var zero = Scalar(0, op.outputs[0].dtype);
        Node("Where", [Apply("Equal", In(op, 1), zero), zero, Apply("Div", In(op, 0), In(op, 1))], [y]);
    }

    /// <summary>
    /// All and Any: ReduceMin and ReduceMax over the booleans cast to int32, cast back (ONNX reduces no booleans);
    /// empty axes reduce nothing, as in TensorFlow.
    /// </summary>
    private void BooleanReduce(Operation op, string y)
    {
        var axes = ConstantOf(op, 1, "reduction_indices").Cast(DType.int64).ToArray<long>();
        if (axes.Length == 0)
        {
            Node("Identity", [In(op, 0)], [y]);
            return;
        }
        var ints = ApplyWith("Cast", [In(op, 0)], ("to", 6L));
        var reduced = Fresh();
        Reduce(op.type == "All" ? "ReduceMin" : "ReduceMax", ints, axes, reduced, ("keepdims", Attr<bool>(op, "keep_dims") ? 1L : 0L));
        Node("Cast", [reduced], [y], ("to", 9L));
    }

    /// <summary>L2Loss: <c>sum(x²) / 2</c> over every element, ReduceSumSquare to a scalar then half of it.</summary>
    private void L2LossOp(Operation op, string y)
    {
        var sum = ApplyWith("ReduceSumSquare", [In(op, 0)], ("keepdims", 0L));
        Node("Mul", [sum, Scalar(0.5, op.outputs[0].dtype)], [y]);
    }

    /// <summary>
    /// SoftmaxCrossEntropyWithLogits (features, labels; NumPy broadcasting between them as TensorFlow's op allows):
    /// the loss <c>-Σ labels · log_softmax(features)</c> over the classes, and the backprop <c>softmax(features) -
    /// labels</c> when it is read.
    /// </summary>
    private void SoftmaxCrossEntropy(Operation op)
    {
        var (features, labels) = (In(op, 0), In(op, 1));
        var loss = Out(op.outputs[0]);
        var products = Apply("Mul", labels, ApplyWith("LogSoftmax", [features], ("axis", -1L)));
        Node("Neg", [ApplyWith("ReduceSum", [products, Ints([-1])], ("keepdims", 0L))], [loss]);
        _names[op.outputs[0]] = loss;
        if (!IsRead(op.outputs[1])) return;
        var backprop = Out(op.outputs[1]);
        Node("Sub", [ApplyWith("Softmax", [features], ("axis", -1L)), labels], [backprop]);
        _names[op.outputs[1]] = backprop;
    }

    /// <summary>
    /// SparseSoftmaxCrossEntropyWithLogits (features <c>[batch, classes]</c>, labels <c>[batch]</c>): the loss
    /// <c>-log_softmax(features)[label]</c> (GatherElements), and the backprop <c>softmax(features) -
    /// one_hot(labels)</c> when it is read. TensorFlow's CPU kernel fails on a label out of range; ONNX Runtime's
    /// GatherElements does too.
    /// </summary>
    private void SparseSoftmaxCrossEntropy(Operation op)
    {
        var (features, labels) = (In(op, 0), Int64(op.inputs[1]));
        var dtype = op.outputs[0].dtype;
        var loss = Out(op.outputs[0]);
        var column = Apply("Unsqueeze", labels, Ints([1]));
        var picked = ApplyWith("GatherElements", [ApplyWith("LogSoftmax", [features], ("axis", -1L)), column], ("axis", 1L));
        Node("Neg", [Apply("Squeeze", picked, Ints([1]))], [loss]);
        _names[op.outputs[0]] = loss;
        if (!IsRead(op.outputs[1])) return;
        var classes = ApplyWith("Gather", [Apply("Shape", features), Ints([1])], ("axis", 0L));
        var values = Initializer($"{op.name}/one_hot_values_{_counter++}", NDArray.FromFlat(new[] { 0.0, 1.0 }, new Shape(2)).Cast(dtype));
        var oneHot = ApplyWith("OneHot", [labels, classes, values], ("axis", -1L));
        var backprop = Out(op.outputs[1]);
        Node("Sub", [ApplyWith("Softmax", [features], ("axis", -1L)), oneHot], [backprop]);
        _names[op.outputs[1]] = backprop;
    }

    /// <summary>
    /// MatrixBandPart: the input where <c>(num_lower &lt; 0 or i - j ≤ num_lower) and (num_upper &lt; 0 or j - i ≤
    /// num_upper)</c> over the last two axes (i the row, j the column), 0 elsewhere: the mask built from two Ranges
    /// of the input's Shape, so the bounds and the matrix size may be run-time values.
    /// </summary>
    private void MatrixBandPartOp(Operation op, string y)
    {
        var shape = Apply("Shape", In(op, 0));
        var rows = ApplyWith("Gather", [shape, Initializer($"scalar_{_counter++}", NDArray.Scalar(-2L))], ("axis", 0L));
        var columns = ApplyWith("Gather", [shape, Initializer($"scalar_{_counter++}", NDArray.Scalar(-1L))], ("axis", 0L));
        var (zero, one) = (Initializer($"scalar_{_counter++}", NDArray.Scalar(0L)), Initializer($"scalar_{_counter++}", NDArray.Scalar(1L)));
        var i = Apply("Unsqueeze", Apply("Range", zero, rows, one), Ints([1]));
        var j = Apply("Range", zero, columns, one);
        var below = Apply("Sub", i, j);
        var (lower, upper) = (Int64(op.inputs[1]), Int64(op.inputs[2]));
        var keepLower = Apply("Or", Apply("Less", lower, zero), Apply("LessOrEqual", below, lower));
        var keepUpper = Apply("Or", Apply("Less", upper, zero), Apply("LessOrEqual", Apply("Neg", below), upper));
        Node("Where", [Apply("And", keepLower, keepUpper), In(op, 0), Scalar(0, op.outputs[0].dtype)], [y]);
    }

    /// <summary>
    /// InTopKV2: whether each target's prediction is among the k largest of its row, as TensorFlow's kernel counts
    /// it: fewer than k predictions of the row greater than the target's; false for a target out of range (it is
    /// gathered at 0 then masked) or a row with a non-finite prediction.
    /// </summary>
    private void InTopKOp(Operation op, string y)
    {
        var predictions = In(op, 0);
        var targets = Int64(op.inputs[1]);
        var k = Int64(op.inputs[2]);
        var classes = ApplyWith("Gather", [Apply("Shape", predictions), Initializer($"scalar_{_counter++}", NDArray.Scalar(1L))], ("axis", 0L));
        var zero = Initializer($"scalar_{_counter++}", NDArray.Scalar(0L));
        var valid = Apply("And", Apply("GreaterOrEqual", targets, zero), Apply("Less", targets, classes));
        var safe = Apply("Where", valid, targets, zero);
        var target = ApplyWith("GatherElements", [predictions, Apply("Unsqueeze", safe, Ints([1]))], ("axis", 1L));
        var greater = ApplyWith("ReduceSum", [ApplyWith("Cast", [Apply("Greater", predictions, target)], ("to", 7L)), Ints([1])], ("keepdims", 0L));
        var nonFinite = ApplyWith("ReduceSum", [ApplyWith("Cast", [Apply("Or", Apply("IsInf", predictions), Apply("IsNaN", predictions))], ("to", 7L)), Ints([1])], ("keepdims", 0L));
        var counted = Apply("And", Apply("Equal", nonFinite, zero), Apply("Less", greater, k));
        Node("And", [valid, counted], [y]);
    }

    /// <summary>
    /// BatchNormWithGlobalNormalization: <c>(t - m) · (1 / sqrt(v + variance_epsilon) · gamma) + beta</c> over the
    /// last axis, in element-wise operators in the order of TensorFlow's kernel (gamma only with
    /// scale_after_normalization); ONNX's BatchNormalization would need the channels first and rounds otherwise.
    /// </summary>
    private void BatchNormWithGlobalNormalizationOp(Operation op, string y)
    {
        var dtype = op.outputs[0].dtype;
        var epsilon = Scalar(Attr<float>(op, "variance_epsilon"), dtype);
        var factor = Apply("Reciprocal", Apply("Sqrt", Apply("Add", In(op, 2), epsilon)));
        if (Attr<bool>(op, "scale_after_normalization")) factor = Apply("Mul", factor, In(op, 4));
        Node("Add", [Apply("Mul", Apply("Sub", In(op, 0), In(op, 1)), factor), In(op, 3)], [y]);
    }
}
