using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Rank: the number of dimensions of a tensor.</summary>
internal sealed class Rank : OpDef
{
    public static readonly Rank Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Rank";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(DType.int32, Shape.Scalar);

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, NDArray.Scalar(ctx.Input(0).ndim)));

    public override NDArray? ConstantValue(Operation op, int index) =>
        op.inputs[0].shape.IsKnownRank ? NDArray.Scalar(op.inputs[0].shape.ndims) : null;

    /// <summary><c>tf.rank(input)</c>.</summary>
    public static Tensor Build(TensorLike input, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Rank", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { T, x.dtype } }).outputs[0];
    }
}
