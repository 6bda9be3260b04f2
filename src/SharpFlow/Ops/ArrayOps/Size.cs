using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Size: the number of elements of a tensor.</summary>
internal sealed class Size : OpDef
{
    public static readonly Size Def = new();

    private static readonly OpAttr<DType> OutType = new("out_type", DType.int32);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Size";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(OutType.Of(ctx), Shape.Scalar);

    public override OpKernel CreateKernel(Operation op)
    {
        var outType = OutType.Of(op);
        return OpKernel.From(ctx => ctx.ForwardOutput(0, Literal.ToNDArray((long)ctx.Input(0).size, outType)));
    }

    public override NDArray? ConstantValue(Operation op, int index)
    {
        var n = op.inputs[0].shape.NumElements;
        return n < 0 ? null : Literal.ToNDArray(n, OutType.Of(op));
    }

    /// <summary><c>tf.size(input, out_type)</c>.</summary>
    public static Tensor Build(TensorLike input, DType? outType = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Size", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { T, x.dtype }, { OutType, outType ?? DType.int32 } }).outputs[0];
    }
}
