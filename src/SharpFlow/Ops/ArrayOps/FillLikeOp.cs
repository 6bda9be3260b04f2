using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// The shared rule of ZerosLike and OnesLike: a tensor of the input's shape and dtype (or another dtype) filled
/// with 0 or 1. When the shape is fully known, <c>tf.zeros_like</c>/<c>tf.ones_like</c> build <c>tf.zeros</c>/
/// <c>tf.ones</c> of that shape instead, as TensorFlow's optimize=True does.
/// </summary>
internal abstract class FillLikeOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");

    private readonly bool _one;

    protected FillLikeOp(bool one) => _one = one;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (_one) Fill.FillWith(ctx.AllocateUninitializedOutput(0, x.dtype, x.shape), Fill.ScalarOf(x.dtype, one: true));
        else ctx.AllocateOutput(0, x.dtype, x.shape);
    });

    /// <summary><c>tf.zeros_like(tensor, dtype)</c> or <c>tf.ones_like</c>.</summary>
    public Tensor Apply(TensorLike tensor, DType? dtype, bool optimize, string? name)
    {
        using var b = OpBuilder.Begin(name, _one ? "ones_like" : "zeros_like", tensor);
        var x = b.Convert(tensor, "tensor");
        var target = dtype ?? x.dtype;
        if (optimize && x.shape.IsFullyDefined)
            return Fill.Constant(x.shape, target, _one, b.Scope);
        if (target != x.dtype)
            return Fill.Dynamic(Shape_.Build(x), target, _one, b.Scope);
        return b.Create(this, [x], new() { { T, x.dtype } }).outputs[0];
    }
}
