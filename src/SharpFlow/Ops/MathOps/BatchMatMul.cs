using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// BatchMatMul, the first version (what <c>tf.matmul</c> of batches wrote before TensorFlow 1.14): BatchMatMulV2's
/// products over the last two dimensions, but both inputs of one rank and with equal batch dimensions, without
/// broadcasting. SharpFlow builds BatchMatMulV2; this op imports older graphs.
/// </summary>
internal sealed class BatchMatMul : OpDef
{
    public static readonly BatchMatMul Def = new();

    private static readonly OpAttr<bool> AdjX = new("adj_x", false);
    private static readonly OpAttr<bool> AdjY = new("adj_y", false);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "BatchMatMul";

    public override void InferShapes(InferenceContext ctx)
    {
        var (a, b) = (ctx.InputShape(0), ctx.InputShape(1));
        if (a.IsKnownRank && b.IsKnownRank)
        {
            if (a.ndims != b.ndims)
                throw ctx.Error($"Shape must be rank {a.ndims} but is rank {b.ndims} for y with input shapes: {a.ToListString()}, {b.ToListString()}");
            for (var i = 0; i < a.ndims - 2; i++)
                if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i])
                    throw ctx.Error($"Dimensions must be equal, but are {a[i]} and {b[i]} with input shapes: {a.ToListString()}, {b.ToListString()}");
        }
        BatchMatMulV2.Def.InferShapes(ctx);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var product = BatchMatMulV2.Def.CreateKernel(op);
        return OpKernel.From(ctx =>
        {
            var (a, b) = (ctx.Input(0).shape, ctx.Input(1).shape);
            if (a.ndims != b.ndims)
                throw ctx.InvalidArgument($"In[0] and In[1] has different ndims: {a.ToListString()} vs. {b.ToListString()}");
            for (var i = 0; i < a.ndims - 2; i++)
                if (a[i] != b[i])
                    throw ctx.InvalidArgument($"In[0].dim({i}) and In[1].dim({i}) must be the same: {a.ToListString()} vs {b.ToListString()}");
            product.Compute(ctx);
        });
    }

    /// <summary><c>gen_math_ops.batch_mat_mul(x, y, adj_x, adj_y)</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, bool adjX = false, bool adjY = false, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "BatchMatMul", x, y);
        var inputs = b.SameType("BatchMatMul", [x, y], ["x", "y"]);
        return b.Create(Def, inputs, new() { { T, inputs[0].dtype }, { AdjX, adjX }, { AdjY, adjY } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_BatchMatMul</c>: MatMul's rule in its four adjoint cases, as BatchMatMul ops.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, y) = (grads[0]!, op.inputs[0], op.inputs[1]);
        return (AdjX.Of(op), AdjY.Of(op)) switch
        {
            (false, false) => [Build(g, y, adjY: true), Build(x, g, adjX: true)],
            (false, true) => [Build(g, y), Build(g, x, adjX: true)],
            (true, false) => [Build(y, g, adjY: true), Build(x, g)],
            _ => [Build(y, g, adjX: true, adjY: true), Build(g, x, adjX: true, adjY: true)],
        };
    }
}
