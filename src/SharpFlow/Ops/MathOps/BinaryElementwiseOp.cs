using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// The shared shape rule and kernel plumbing of binary element-wise ops: both inputs have one dtype, the output
/// has their NumPy broadcast shape. Each op file supplies its type name, the dtypes it accepts and its kernel.
/// </summary>
internal abstract class BinaryElementwiseOp : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");

    /// <summary>Whether the op is defined for <paramref name="dtype"/>.</summary>
    protected virtual bool Accepts(DType dtype) => dtype.IsNumeric;

    /// <summary>The output dtype for inputs of <paramref name="input"/> (bool for comparisons).</summary>
    protected virtual DType OutputDType(DType input) => input;

    /// <summary>Computes <paramref name="z"/> (already allocated with the broadcast shape).</summary>
    protected abstract void Compute(NDArray x, NDArray y, NDArray z);

    public override void InferShapes(InferenceContext ctx)
    {
        var dx = ctx.InputDType(0);
        var dy = ctx.InputDType(1);
        if (dx != dy)
            throw ctx.TypeError($"inputs have different dtypes: {dx.name} and {dy.name}");
        if (!Accepts(dx))
            throw ctx.TypeError($"dtype {dx.name} is not supported");
        var shape = Shape.TryBroadcast(ctx.InputShape(0), ctx.InputShape(1))
                    ?? throw ctx.Error($"incompatible shapes for broadcasting: {ctx.InputShape(0).ToListString()} and {ctx.InputShape(1).ToListString()}");
        ctx.AddOutput(OutputDType(dx), shape);
    }

    /// <summary>
    /// Whether <see cref="Compute"/> may write into an operand's buffer when both operands have the same shape (no
    /// broadcasting; it reads each element pair before writing the result): the kernel then forwards a dying input.
    /// </summary>
    protected virtual bool InPlace => false;

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var y = ctx.Input(1);
        var shape = x.shape == y.shape ? x.shape : BroadcastShape(x.shape, y.shape) // computed (and allocated) only when they differ
                    ?? throw ctx.InvalidArgument($"Incompatible shapes: {x.shape.ToListString()} vs. {y.shape.ToListString()}");
        var dtype = OutputDType(x.dtype);
        var z = InPlace && x.shape == y.shape && dtype == x.dtype
            ? ctx.ForwardInputOrAllocateOutput([0, 1], 0, dtype, x.shape)
            : ctx.AllocateUninitializedOutput(0, dtype, shape);
        try
        {
            Compute(x, y, z);
        }
        catch (DivideByZeroException)
        {
            throw ctx.InvalidArgument("Integer division by zero");
        }
        catch (ArithmeticException e)
        {
            throw ctx.InvalidArgument(e.Message);
        }
    });

    /// <summary>The broadcast shape of two run-time shapes (a shared instance for ranks up to 4), or null.</summary>
    private static Shape? BroadcastShape(Shape x, Shape y)
    {
        var a = x.AsSpan();
        var b = y.AsSpan();
        var rank = System.Math.Max(a.Length, b.Length);
        Span<int> dims = rank <= 8 ? stackalloc int[rank] : new int[rank];
        return Broadcast.TryShape(a, b, dims) ? Shape.Interned(dims) : null;
    }

    /// <summary>Builds the op from two inputs that share one dtype.</summary>
    /// <summary>
    /// Whether TensorFlow's OpDef has the type attribute <c>T</c> (the bool-only LogicalAnd and LogicalOr have none,
    /// and a GraphDef node with an attribute its OpDef lacks is refused by TensorFlow's importer).
    /// </summary>
    protected virtual bool HasTypeAttr => true;

    public Tensor Apply(TensorLike x, TensorLike y, string? name, string defaultName)
    {
        using var b = OpBuilder.Begin(name, defaultName, x, y);
        var inputs = b.SameType(Type, [x, y], ["x", "y"]);
        return b.Create(this, inputs, HasTypeAttr ? new() { { T, inputs[0].dtype } } : new()).outputs[0];
    }

    public override bool BroadcastsInputs => true;
}
