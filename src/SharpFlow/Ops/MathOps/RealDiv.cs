using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// RealDiv: floating-point <c>x / y</c> with broadcasting. Also home of <c>tf.truediv</c>/<c>tf.divide</c> and the
/// <c>/</c> operator, which cast integers to floats first (int32 and int64 to float64, uint8 to float32) as
/// Python 3 division does, and of TensorFlow 1.x's <c>tf.div</c>, which floors for integers.
/// </summary>
internal sealed class RealDiv : BinaryElementwiseOp
{
    public static readonly RealDiv Def = new();

    public override string Type => "RealDiv";

    protected override bool Accepts(DType dtype) => dtype.is_floating;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<DivideOperator>(x, y, z);

    /// <summary><c>tf.realdiv</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "RealDiv");

    /// <summary><c>tf.truediv</c>, <c>tf.divide</c> and the <c>/</c> operator (op name <c>truediv</c>).</summary>
    public static Tensor TrueDiv(TensorLike x, TensorLike y, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "truediv", x, y);
        var inputs = b.SameType("RealDiv", [x, y], ["x", "y"]);
        var dtype = inputs[0].dtype;
        if (dtype == DType.@bool) throw new TypeError($"Invalid dtype {dtype.Repr} in __truediv__");
        if (dtype.is_integer)
        {
            var target = dtype == DType.uint8 ? DType.float32 : DType.float64;
            inputs[0] = Cast.Build(inputs[0], target);
            inputs[1] = Cast.Build(inputs[1], target);
        }
        return b.Create(Def, inputs, new() { { T, inputs[0].dtype } }).outputs[0];
    }

    /// <summary>TensorFlow 1.x's <c>tf.div</c>: RealDiv for floats, FloorDiv for integers (Python 2 semantics).</summary>
    public static Tensor Div(TensorLike x, TensorLike y, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "div", x, y);
        var inputs = b.SameType("Div", [x, y], ["x", "y"]);
        var def = inputs[0].dtype.is_floating ? (BinaryElementwiseOp)Def : FloorDiv.Def;
        return b.Create(def, inputs, new() { { T, inputs[0].dtype } }).outputs[0];
    }

    /// <summary>d(x/y) = (g/y, g * (-x/y)/y).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, y) = (grads[0]!, op.inputs[0], op.inputs[1]);
        return [Build(g, y), Mul.Build(g, Build(Build(Neg.Build(x), y), y))];
    }
}
