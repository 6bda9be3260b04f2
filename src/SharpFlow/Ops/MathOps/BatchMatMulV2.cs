using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// BatchMatMulV2: matrix products over the last two dimensions of tensors of rank 2 or more, the batch dimensions
/// broadcasting as in NumPy; <c>adj_x</c>/<c>adj_y</c> transpose a matrix first (the adjoint, for real types).
/// </summary>
internal sealed class BatchMatMulV2 : OpDef
{
    public static readonly BatchMatMulV2 Def = new();

    private static readonly OpAttr<bool> AdjX = new("adj_x", false);
    private static readonly OpAttr<bool> AdjY = new("adj_y", false);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "BatchMatMulV2";

    public override bool BroadcastsInputs => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var (da, db) = (ctx.InputDType(0), ctx.InputDType(1));
        if (da != db) throw ctx.TypeError($"inputs have different dtypes: {da.name} and {db.name}");
        if (!(da.is_floating || da == DType.int32 || da == DType.int64))
            throw ctx.TypeError($"dtype {da.name} is not supported (float32, float64, int32 or int64)");
        var (a, b) = (ctx.InputShape(0), ctx.InputShape(1));
        if (a.IsKnownRank && a.ndims < 2) throw ctx.Error($"Shape must be at least rank 2 but is rank {a.ndims} for x with input shapes: {a.ToListString()}, {b.ToListString()}");
        if (b.IsKnownRank && b.ndims < 2) throw ctx.Error($"Shape must be at least rank 2 but is rank {b.ndims} for y with input shapes: {a.ToListString()}, {b.ToListString()}");
        if (!a.IsKnownRank || !b.IsKnownRank)
        {
            ctx.AddOutput(da, Shape.Unknown);
            return;
        }
        var (adjX, adjY) = (AdjX.Of(ctx), AdjY.Of(ctx));
        var (ad, bd) = (a.Dims, b.Dims);
        var m = ad[^(adjX ? 1 : 2)];
        var ka = ad[^(adjX ? 2 : 1)];
        var kb = bd[^(adjY ? 1 : 2)];
        var n = bd[^(adjY ? 2 : 1)];
        if (ka >= 0 && kb >= 0 && ka != kb)
            throw ctx.Error($"Dimensions must be equal, but are {ka} and {kb} with input shapes: {a.ToListString()}, {b.ToListString()}");
        var batch = Shape.TryBroadcast(new Shape(ad[..^2]), new Shape(bd[..^2]))
                    ?? throw ctx.Error($"the batch dimensions do not broadcast: {a.ToListString()} and {b.ToListString()}");
        ctx.AddOutput(da, batch.Concatenate(new Shape(m, n)));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var adjX = AdjX.Of(op);
        var adjY = AdjY.Of(op);
        return OpKernel.From(ctx =>
        {
            var (a, b) = (ctx.Input(0), ctx.Input(1));
            if (a.ndim < 2) throw ctx.InvalidArgument($"In[0] ndims must be >= 2: {a.ndim}");
            if (b.ndim < 2) throw ctx.InvalidArgument($"In[1] ndims must be >= 2: {b.ndim}");
            var (ad, bd) = (a.shape.Dims, b.shape.Dims);
            var batch = Broadcast.Shape(ad.AsSpan(0, ad.Length - 2), bd.AsSpan(0, bd.Length - 2))
                        ?? throw ctx.InvalidArgument($"In[0] and In[1] must have compatible batch dimensions: {a.shape.ToListString()} vs. {b.shape.ToListString()}");
            var m = ad[^(adjX ? 1 : 2)];
            var k = ad[^(adjX ? 2 : 1)];
            var kb = bd[^(adjY ? 1 : 2)];
            var n = bd[^(adjY ? 2 : 1)];
            if (k != kb)
                throw ctx.InvalidArgument($"Matrix size-incompatible: In[0]: {a.shape.ToListString()}, In[1]: {b.shape.ToListString()}");
            var c = ctx.AllocateOutput(0, a.dtype, new Shape([.. batch, m, n]));
            if (c.size == 0) return;
            switch (a.dtype.Id)
            {
                case DataType.Float: Kernels.BatchMatMul.Multiply(a.AsReadOnlySpan<float>(), ad, b.AsReadOnlySpan<float>(), bd, c.AsSpan<float>(), batch, m, k, n, adjX, adjY); break;
                case DataType.Double: Kernels.BatchMatMul.Multiply(a.AsReadOnlySpan<double>(), ad, b.AsReadOnlySpan<double>(), bd, c.AsSpan<double>(), batch, m, k, n, adjX, adjY); break;
                case DataType.Int32: Kernels.BatchMatMul.Multiply(a.AsReadOnlySpan<int>(), ad, b.AsReadOnlySpan<int>(), bd, c.AsSpan<int>(), batch, m, k, n, adjX, adjY); break;
                default: Kernels.BatchMatMul.Multiply(a.AsReadOnlySpan<long>(), ad, b.AsReadOnlySpan<long>(), bd, c.AsSpan<long>(), batch, m, k, n, adjX, adjY); break;
            }
        });
    }

    /// <summary>Builds the op (named <paramref name="name"/>, "BatchMatMulV2" by default).</summary>
    public static Tensor Build(TensorLike x, TensorLike y, bool adjX = false, bool adjY = false, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "BatchMatMulV2", x, y);
        var inputs = b.SameType("BatchMatMulV2", [x, y], ["x", "y"]);
        return b.Create(Def, inputs, new() { { T, inputs[0].dtype }, { AdjX, adjX }, { AdjY, adjY } }).outputs[0];
    }

    /// <summary>
    /// <c>tf.matmul</c>: MatMul for two matrices, BatchMatMulV2 when either input has rank above 2 or an unknown
    /// rank; adjoint equals transpose for real types.
    /// </summary>
    public static Tensor MatMulOrBatch(TensorLike a, TensorLike b, bool transposeA, bool transposeB, bool adjointA, bool adjointB, string? name)
    {
        if (transposeA && adjointA) throw new ValueError("Only one of transpose_a and adjoint_a can be True.");
        if (transposeB && adjointB) throw new ValueError("Only one of transpose_b and adjoint_b can be True.");
        var (ta, tb) = (transposeA || adjointA, transposeB || adjointB);
        static bool Batched(TensorLike t) => t.Value is Tensor x ? !x.shape.IsKnownRank || x.shape.ndims > 2 : Literal.ToNDArray(t.Value, null).ndim > 2;
        if (!Batched(a) && !Batched(b)) return MatMul.Build(a, b, ta, tb, name);
        using var builder = OpBuilder.Begin(name, "MatMul", a, b);
        var inputs = builder.SameType("BatchMatMulV2", [a, b], ["a", "b"]);
        return builder.Create(Def, inputs, new() { { T, inputs[0].dtype }, { AdjX, ta }, { AdjY, tb } }).outputs[0];
    }

    /// <summary>
    /// TensorFlow's <c>_BatchMatMulV2</c>: the four adjoint cases of MatMul's rule, each a BatchMatMulV2 of the
    /// gradient; the gradient pass then sums over the batch dimensions an input was broadcast along.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, y) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var adjX = AdjX.Of(op);
        var adjY = AdjY.Of(op);
        return (adjX, adjY) switch
        {
            (false, false) => [Build(g, y, adjY: true), Build(x, g, adjX: true)],
            (false, true) => [Build(g, y), Build(g, x, adjX: true)],
            (true, false) => [Build(y, g, adjY: true), Build(x, g)],
            _ => [Build(y, g, adjX: true, adjY: true), Build(g, x, adjX: true, adjY: true)],
        };
    }
}
