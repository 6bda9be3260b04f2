using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// Cast: converts element types with C++'s rules (floats truncate towards zero, non-zero becomes true).
/// <c>tf.cast</c> returns its input unchanged when the dtype already matches, as TensorFlow does.
/// </summary>
internal sealed class Cast : OpDef
{
    public static readonly Cast Def = new();

    private static readonly OpAttr<DType> DstT = new("DstT");
    internal static readonly OpAttr<DType> SrcT = new("SrcT");
    internal static readonly OpAttr<bool> Truncate = new("Truncate", false);

    public override string Type => "Cast";

    public override void InferShapes(InferenceContext ctx)
    {
        ctx.AddOutput(DstT.Of(ctx), ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var dst = DstT.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            CastKernel.Cast(x, ctx.AllocateUninitializedOutput(0, dst, x.shape));
        });
    }

    public override NDArray? ConstantValue(Operation op, int index) =>
        op.inputs[0].op.Def.ConstantValue(op.inputs[0].op, op.inputs[0].value_index) is { } v ? v.Cast(DstT.Of(op)) : null;

    /// <summary><c>tf.cast(x, dtype)</c>.</summary>
    public static Tensor Build(TensorLike x, DType dtype, string? name = null)
    {
        if (x.Value is Tensor t && t.AsInput().dtype == dtype) return t.AsInput();
        using var b = OpBuilder.Begin(name, "Cast", x);
        var input = b.Convert(x, "x");
        if (input.dtype == dtype) return input;
        return b.Create(Def, [input], new() { { SrcT, input.dtype }, { DstT, dtype }, { Truncate, false } }).outputs[0];
    }

    /// <summary>Between float types the gradient is cast back; to or from integers and bools there is none.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (source, target) = (op.inputs[0].dtype, op.outputs[0].dtype);
        return source.is_floating && target.is_floating ? [Build(grads[0]!, source)] : [null];
    }
}
