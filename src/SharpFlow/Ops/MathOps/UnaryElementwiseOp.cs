using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>The shared rule of unary element-wise ops: same dtype and shape out as in.</summary>
internal abstract class UnaryElementwiseOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");

    /// <summary>Whether the op is defined for <paramref name="dtype"/>.</summary>
    protected virtual bool Accepts(DType dtype) => dtype.IsNumeric;

    /// <summary>Computes <paramref name="y"/> (already allocated) from <paramref name="x"/>.</summary>
    protected abstract void Compute(NDArray x, NDArray y);

    public override void InferShapes(InferenceContext ctx)
    {
        var dx = ctx.InputDType(0);
        if (!Accepts(dx)) throw ctx.TypeError($"dtype {dx.name} is not supported");
        ctx.AddOutput(dx, ctx.InputShape(0));
    }

    /// <summary>
    /// Whether <see cref="Compute"/> may write into <c>x</c>'s own buffer (it reads each element before writing it
    /// and nothing else): the kernel then forwards a dying input as its output.
    /// </summary>
    protected virtual bool InPlace => false;

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        Compute(x, InPlace ? ctx.ForwardInputOrAllocateOutput(0, 0, x.dtype, x.shape) : ctx.AllocateUninitializedOutput(0, x.dtype, x.shape));
    });

    /// <summary>
    /// Whether TensorFlow's OpDef has the type attribute <c>T</c> (the bool-only LogicalNot has none, and a GraphDef
    /// node with an attribute its OpDef lacks is refused by TensorFlow's importer).
    /// </summary>
    protected virtual bool HasTypeAttr => true;

    /// <summary>Builds the op.</summary>
    public Tensor Apply(TensorLike x, string? name, string defaultName)
    {
        using var b = OpBuilder.Begin(name, defaultName, x);
        var input = b.Convert(x, "x");
        return b.Create(this, [input], HasTypeAttr ? new() { { T, input.dtype } } : new()).outputs[0];
    }
}
