using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatrixBandPart: keeps a band of each innermost matrix, <c>num_lower</c> diagonals below the main one and
/// <c>num_upper</c> above (a negative count keeps the whole triangle), and zeroes the rest.
/// </summary>
internal sealed class MatrixBandPart : OpDef
{
    public static readonly MatrixBandPart Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tindex = new("Tindex", DType.int64);

    public override string Type => "MatrixBandPart";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype == DType.@string) throw ctx.TypeError("dtype string is not supported");
        var (tl, tu) = (ctx.InputDType(1), ctx.InputDType(2));
        if (!tl.is_integer || tl != tu) throw ctx.TypeError($"num_lower and num_upper must be int32 or int64 of one dtype, got {tl.name} and {tu.name}");
        var input = ctx.InputShape(0);
        if (input.IsKnownRank && input.ndims < 2) throw ctx.Error($"Shape must be at least rank 2 but is rank {input.ndims}");
        foreach (var (i, what) in new[] { (1, "num_lower"), (2, "num_upper") })
        {
            var s = ctx.InputShape(i);
            if (s.IsKnownRank && s.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {s.ndims} for {what}");
        }
        ctx.AddOutput(dtype, input);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, lowerIn, upperIn) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        if (x.ndim < 2) throw ctx.InvalidArgument($"input must be at least 2-dim, received shape: {x.shape.ToListString()}");
        if (lowerIn.ndim != 0) throw ctx.InvalidArgument($"num_lower must be scalar, got shape {lowerIn.shape.ToListString()}");
        if (upperIn.ndim != 0) throw ctx.InvalidArgument($"num_upper must be scalar, got shape {upperIn.shape.ToListString()}");
        var (rows, cols) = (x.shape[x.ndim - 2], x.shape[x.ndim - 1]);
        var lower = lowerIn.ToArray<long>()[0];
        var upper = upperIn.ToArray<long>()[0];
        if (lower > rows) throw ctx.InvalidArgument($"num_lower must be negative or less or equal to number of rows ({rows}) got: {lower}");
        if (upper > cols) throw ctx.InvalidArgument($"num_upper must be negative or less or equal to number of columns ({cols}) got: {upper}");
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        MatrixKernels.BandPart(x.AsBytes(), y.AsWritableBytes(), rows, cols, lower, upper, x.dtype.size);
    });

    /// <summary><c>tf.matrix_band_part(input, num_lower, num_upper)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike numLower, TensorLike numUpper, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MatrixBandPart", input, numLower, numUpper);
        var x = b.Convert(input, "input");
        var bounds = b.SameType("MatrixBandPart", [numLower, numUpper], ["num_lower", "num_upper"], DType.int64);
        return b.Create(Def, [x, bounds[0], bounds[1]], new() { { T, x.dtype }, { Tindex, bounds[0].dtype } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_MatrixBandPartGrad</c>: the same band of the gradient.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [Build(grads[0]!, op.inputs[1], op.inputs[2]), null, null];
}
