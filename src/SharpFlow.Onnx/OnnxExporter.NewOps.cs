using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of AdjustContrastv2 (ReduceMean over height and width and element-wise arithmetic).
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// AdjustContrastv2: <c>(x - mean) · factor + mean</c> with mean the ReduceMean over the height and width axes
    /// (-3, -2, kept), in float32 as TensorFlow's kernel computes it (half images cast there and back).
    /// </summary>
    private void AdjustContrastOp(Operation op, string y)
    {
        var f32 = DType.float32;
        var x = InDType(op, 0, f32);
        var mean = Fresh();
        Reduce("ReduceMean", x, [-3, -2], mean, ("keepdims", 1L));
        var adjusted = Apply("Add", Apply("Mul", Apply("Sub", x, mean), In(op, 1)), mean);
        if (op.outputs[0].dtype == f32) Node("Identity", [adjusted], [y]);
        else Node("Cast", [adjusted], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
    }
}
