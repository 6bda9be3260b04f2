using SharpFlow.Framework;

namespace SharpFlow.Ops.Array;

/// <summary>
/// ZerosLike and OnesLike: a tensor of the input's shape and dtype (or another dtype) filled with 0 or 1. When
/// the shape is fully known, <c>tf.zeros_like</c>/<c>tf.ones_like</c> build a constant instead, as TensorFlow's
/// optimize=True does.
/// </summary>
internal sealed class ZerosLike : OpDef
{
    public static readonly ZerosLike ZerosDef = new("ZerosLike", one: false);
    public static readonly ZerosLike OnesDef = new("OnesLike", one: true);

    private readonly bool _one;

    private ZerosLike(string type, bool one)
    {
        Type = type;
        _one = one;
    }

    public override string Type { get; }

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var output = ctx.AllocateOutput(0, x.dtype, x.shape);
        if (_one) Fill.FillWith(output, Fill.ScalarOf(x.dtype, one: true));
    });

    /// <summary><c>tf.zeros_like(tensor, dtype)</c> or <c>tf.ones_like</c>.</summary>
    public Tensor Apply(TensorLike tensor, DType? dtype, bool optimize, string? name)
    {
        using var b = OpBuilder.Begin(name, _one ? "ones_like" : "zeros_like", tensor);
        var x = b.Convert(tensor, "tensor");
        var target = dtype ?? x.dtype;
        if (optimize && x.shape.IsFullyDefined)
        {
            var value = NDArray.Zeros(target, x.shape);
            if (_one) Fill.FillWith(value, Fill.ScalarOf(target, one: true));
            return Const.Create(b.Graph, value, b.Scope);
        }
        if (target != x.dtype)
            return Fill.Dynamic(Shape_.Build(x), target, _one, b.Scope);
        return b.Create(this, [x], new() { ["T"] = x.dtype }).outputs[0];
    }
}
