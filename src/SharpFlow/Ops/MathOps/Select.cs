using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// Select (TensorFlow 1.x's <c>tf.where(condition, x, y)</c>): elements of <c>x</c> where the condition holds, of
/// <c>y</c> elsewhere. <c>x</c> and <c>y</c> have one shape; the condition has that shape, or is a vector choosing
/// whole rows, or a scalar choosing everything.
/// </summary>
internal sealed class Select : OpDef
{
    public static readonly Select Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Select";

    // TensorFlow 2's Saver picks its temporary file suffix with a Select of strings.
    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@bool) throw ctx.TypeError($"condition must be bool, got {ctx.InputDType(0).name}");
        if (ctx.InputDType(1) != ctx.InputDType(2))
            throw ctx.TypeError($"x and y have different dtypes: {ctx.InputDType(1).name} and {ctx.InputDType(2).name}");
        var (c, x, y) = (ctx.InputShape(0), ctx.InputShape(1), ctx.InputShape(2));
        if (!x.IsCompatibleWith(y)) throw ctx.Error($"x and y must have the same shape, got {x.ToListString()} and {y.ToListString()}");
        var shape = x.MergeWith(y);
        if (c.IsKnownRank && shape.IsKnownRank && c.ndims != 0 && !c.IsCompatibleWith(shape))
        {
            var rowWise = c.ndims == 1 && shape.ndims >= 1 && (c[0] < 0 || shape[0] < 0 || c[0] == shape[0]);
            if (!rowWise)
                throw ctx.Error($"condition must be a scalar, a vector matching the first dimension, or have the shape of x; got {c.ToListString()} and {shape.ToListString()}");
        }
        ctx.AddOutput(ctx.InputDType(1), shape);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var cond = ctx.Input(0);
        var x = ctx.Input(1);
        var y = ctx.Input(2);
        if (x.shape != y.shape)
            throw ctx.InvalidArgument($"'then' and 'else' must have the same size.  but received: {x.shape.ToListString()} vs. {y.shape.ToListString()}");
        var ok = cond.ndim == 0 || cond.shape == x.shape || (cond.ndim == 1 && x.ndim >= 1 && cond.shape[0] == x.shape[0]);
        if (!ok)
            throw ctx.InvalidArgument($"'cond' must be a scalar, a vector of the first dimension of 'then', or the shape of 'then'; got {cond.shape.ToListString()} and {x.shape.ToListString()}");
        var output = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        if (x.dtype == DType.@string)
        {
            var cs = cond.AsReadOnlySpan<bool>();
            var (xs, ys, zs) = (Ops.Sparse.Elements.Strings(x), Ops.Sparse.Elements.Strings(y), Ops.Sparse.Elements.Strings(output));
            var block = cs.Length == 0 ? 0 : zs.Length / cs.Length;
            for (var i = 0; i < zs.Length; i++) zs[i] = cs[i / block] ? xs[i] : ys[i];
            return;
        }
        DataMovement.Select(cond.AsReadOnlySpan<bool>(), x, y, output);
    });

    /// <summary><c>tf.where(condition, x, y)</c>.</summary>
    public static Tensor Build(TensorLike condition, TensorLike x, TensorLike y, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Select", condition, x, y);
        var cond = b.Convert(condition, "condition", condition.Value is Tensor ? null : DType.@bool);
        var values = b.SameType("Select", [x, y], ["t", "e"]);
        return b.Create(Def, [cond, values[0], values[1]], new() { { T, values[0].dtype } }).outputs[0];
    }

    /// <summary>The gradient goes to x where the condition holds and to y elsewhere; the condition has none.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, c) = (grads[0]!, op.inputs[0]);
        var zeros = ArrayOps.ZerosLike.Def.Apply(op.inputs[1], null, optimize: true, null);
        return [null, Build(c, g, zeros), Build(c, zeros, g)];
    }
}
