using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>PlaceholderWithDefault: passes its input through unless a value is fed in its place.</summary>
internal sealed class PlaceholderWithDefault : OpDef
{
    public static readonly PlaceholderWithDefault Def = new();

    private static readonly OpAttr<Shape> ShapeAttr = new("shape");
    internal static readonly OpAttr<DType> Dtype = new("dtype");

    public override string Type => "PlaceholderWithDefault";

    /// <summary>Any dtype passes through, strings included (newer Savers feed the checkpoint filename through one).</summary>
    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var shape = ShapeAttr.Of(ctx);
        if (!shape.IsCompatibleWith(ctx.InputShape(0)))
            throw ctx.Error($"the default value's shape {ctx.InputShape(0).ToListString()} does not match {shape.ToListString()}");
        ctx.AddOutput(ctx.InputDType(0), shape);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, ctx.Input(0)));

    /// <summary><c>tf.placeholder_with_default(input, shape, name)</c>.</summary>
    public static Tensor Build(TensorLike input, Shape shape, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "PlaceholderWithDefault", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { Dtype, x.dtype }, { ShapeAttr, shape } }).outputs[0];
    }

    /// <summary>The default value receives the gradient unchanged.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [grads[0]];
}
