using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatrixSetDiagV2 (<c>tf.linalg.set_diag(input, diagonal, k=...)</c> of TensorFlow 1.15): the input
/// <c>[..., m, n]</c> with its diagonals <c>k[0]..k[1]</c> replaced by the packed <c>diagonal</c>
/// (<c>[..., num_diags, max_diag_len]</c>, or <c>[..., max_diag_len]</c> for one; LEFT_LEFT, V3 chooses with <c>align</c>).
/// </summary>
internal class MatrixSetDiagV2 : OpDef
{
    public static readonly MatrixSetDiagV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "MatrixSetDiagV2";

    /// <summary>The <c>align</c> attribute (V3), null for V2.</summary>
    protected virtual string? AlignOf(IReadOnlyDictionary<string, object> attrs, string node) => null;

    /// <summary>The shape the diagonal must have: the input's batch dimensions, the number of diagonals when more than one, the longest's length.</summary>
    private static Shape ExpectedDiagonal(Shape input, int lower, int upper)
    {
        var (m, n) = (input[input.ndims - 2], input[input.ndims - 1]);
        var dims = input.Dims[..^2].ToList();
        if (lower < upper) dims.Add(upper - lower + 1);
        dims.Add(MatrixDiagBand.MaxDiagLen(lower, upper, m, n));
        return new Shape([.. dims]);
    }

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype == DType.@string) throw ctx.TypeError("dtype string is not supported");
        if (ctx.InputDType(1) != dtype) throw ctx.TypeError($"diagonal must be {dtype.name} like input, got {ctx.InputDType(1).name}");
        MatrixDiagBand.Alignment(AlignOf(ctx.Attrs, ctx.OpName), m => ctx.Error(m));
        var (input, diagonal) = (ctx.InputShape(0), ctx.InputShape(1));
        if (input.IsKnownRank && input.ndims < 2) throw ctx.Error($"input: Shape must be at least rank 2 but is rank {input.ndims}");
        if (diagonal.IsKnownRank && diagonal.ndims < 1) throw ctx.Error($"diagonal: Shape must be at least rank 1 but is rank {diagonal.ndims}");
        var k = MatrixDiagBand.ConstantK(ctx, 2);
        if (input.IsKnownRank && k is var (lower, upper))
        {
            var (m, n) = (input[input.ndims - 2], input[input.ndims - 1]);
            MatrixDiagBand.CheckBounds(lower, upper, m, n, msg => ctx.Error(msg));
            if (diagonal.IsKnownRank)
            {
                var expected = ExpectedDiagonal(input, lower, upper);
                if (diagonal.ndims != expected.ndims)
                    throw ctx.Error($"diagonal: Shape must be rank {expected.ndims} but is rank {diagonal.ndims} (input {input.ToListString()}, k [{lower}, {upper}])");
                var dims = input.Dims.ToArray();
                for (var i = 0; i < expected.ndims; i++)
                {
                    if (expected[i] >= 0 && diagonal[i] >= 0 && expected[i] != diagonal[i])
                        throw ctx.Error($"Dimensions must be equal, but are {expected[i]} and {diagonal[i]} (input {input.ToListString()}, diagonal {diagonal.ToListString()}, k [{lower}, {upper}])");
                    if (i < input.ndims - 2 && dims[i] < 0) dims[i] = diagonal[i];
                }
                ctx.AddOutput(dtype, new Shape(dims));
                return;
            }
        }
        ctx.AddOutput(dtype, input);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var (leftSuper, leftSub) = MatrixDiagBand.Alignment(AlignOf(op.attrs, op.name), m => new InvalidArgumentError(m, op.name));
        return OpKernel.From(ctx =>
        {
            var (x, d, kIn) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
            if (x.ndim < 2) throw ctx.InvalidArgument($"input must be at least 2-dim, received shape: {x.shape.ToListString()}");
            if (d.ndim < 1) throw ctx.InvalidArgument($"diagonal must be at least 1-dim, received shape: {d.shape.ToListString()}");
            var (lower, upper) = MatrixDiagBand.ReadK(kIn, ctx.InvalidArgument);
            var (m, n) = (x.shape[x.ndim - 2], x.shape[x.ndim - 1]);
            MatrixDiagBand.CheckBounds(lower, upper, m, n, ctx.InvalidArgument);
            var expected = ExpectedDiagonal(x.shape, lower, upper);
            if (d.shape != expected)
                throw ctx.InvalidArgument("Either first dimensions of diagonal don't match input.shape[:-2], or diagonal.shape[:-1] is not consistent with the diagonals specified by `k`. " +
                    $"Expected diagonal shape: {expected.ToListString()}. Got: {d.shape.ToListString()}");
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
            MatrixDiagBandKernels.SetDiag(x.AsBytes(), d.AsBytes(), y.AsWritableBytes(), MatrixDiagBand.Batch(x.shape, 2), m, n,
                lower, upper, expected[expected.ndims - 1], leftSuper, leftSub, x.dtype.size);
        });
    }

    /// <summary>
    /// <c>tf.linalg.set_diag(input, diagonal, k=k, align=align)</c>: MatrixSetDiagV3 with an <paramref name="align"/>,
    /// MatrixSetDiagV2 (LEFT_LEFT, TensorFlow 1.15's op) without.
    /// </summary>
    public static Tensor Build(TensorLike input, TensorLike diagonal, TensorLike k, string? align, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "set_diag", input, diagonal, k);
        var x = b.Convert(input, "input");
        var d = b.Convert(diagonal, "diagonal", x.dtype);
        var kt = b.Convert(k, "k", DType.int32);
        if (align is null) return b.Create(Def, [x, d, kt], new() { { T, x.dtype } }).outputs[0];
        return b.Create(MatrixSetDiagV3.Def, [x, d, kt], new() { { T, x.dtype }, { MatrixSetDiagV3.Align, align } }).outputs[0];
    }

    /// <summary>
    /// TensorFlow's <c>_MatrixSetDiagGradV2</c> / <c>_MatrixSetDiagGradV3</c>: the input's gradient is the incoming one
    /// with the band <c>k</c> zeroed, the diagonal's is the incoming one's diagonals <c>k</c> (same <c>align</c>). Where
    /// TensorFlow computes the zero diagonals' shape from <c>k</c> with conds, zeros like those diagonals are the same tensor.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, k) = (grads[0]!, op.inputs[2]);
        var align = AlignOf(op.attrs, op.name);
        var diagonal = MatrixDiagPartV2.Build(g, k, null, align);
        var zeros = ArrayOps.ZerosLike.Def.Apply(diagonal, null, optimize: true, null);
        return [Build(g, zeros, k, align), diagonal, null];
    }
}
