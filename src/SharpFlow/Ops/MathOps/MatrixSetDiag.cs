using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// MatrixSetDiag (<c>tf.linalg.set_diag</c>, <c>tf.matrix_set_diag</c>): the input <c>[..., m, n]</c> with the main
/// diagonal of each innermost matrix replaced by <c>diagonal</c> <c>[..., min(m, n)]</c>.
/// </summary>
internal sealed class MatrixSetDiag : OpDef
{
    public static readonly MatrixSetDiag Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "MatrixSetDiag";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype == DType.@string) throw ctx.TypeError("dtype string is not supported");
        if (ctx.InputDType(1) != dtype) throw ctx.TypeError($"diagonal must be {dtype.name} like input, got {ctx.InputDType(1).name}");
        var (input, diagonal) = (ctx.InputShape(0), ctx.InputShape(1));
        if (input.IsKnownRank && input.ndims < 2) throw ctx.Error($"input: Shape must be at least rank 2 but is rank {input.ndims}");
        if (diagonal.IsKnownRank && diagonal.ndims < 1) throw ctx.Error($"diagonal: Shape must be at least rank 1 but is rank {diagonal.ndims}");
        if (input.IsKnownRank && diagonal.IsKnownRank)
        {
            if (diagonal.ndims != input.ndims - 1)
                throw ctx.Error($"Shape must be rank {input.ndims - 1} but is rank {diagonal.ndims} (input {input.ToListString()}, diagonal {diagonal.ToListString()})");
            var (m, n) = (input[input.ndims - 2], input[input.ndims - 1]);
            var length = m >= 0 && n >= 0 ? System.Math.Min(m, n) : -1;
            var dims = input.Dims.ToArray();
            for (var i = 0; i < diagonal.ndims; i++)
            {
                var (expected, got) = (i < diagonal.ndims - 1 ? input[i] : length, diagonal[i]);
                if (expected >= 0 && got >= 0 && expected != got)
                    throw ctx.Error($"Dimensions must be equal, but are {expected} and {got} (input {input.ToListString()}, diagonal {diagonal.ToListString()})");
                if (i < diagonal.ndims - 1 && dims[i] < 0) dims[i] = got;
            }
            ctx.AddOutput(dtype, new Shape(dims));
            return;
        }
        ctx.AddOutput(dtype, input);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, d) = (ctx.Input(0), ctx.Input(1));
        if (x.ndim < 2) throw ctx.InvalidArgument($"input must be at least 2-dim, received shape: {x.shape.ToListString()}");
        var (m, n) = (x.shape[x.ndim - 2], x.shape[x.ndim - 1]);
        var expected = new Shape([.. x.shape.Dims[..^2], System.Math.Min(m, n)]);
        if (d.shape != expected)
            throw ctx.InvalidArgument($"must have diagonal.shape == input.shape[:-2] + [min(input.shape[-2:])], but received input shape: {x.shape.ToListString()} and diagonal shape: {d.shape.ToListString()}");
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        MatrixSetDiagKernels.SetDiag(x.AsBytes(), d.AsBytes(), y.AsWritableBytes(), m, n, x.dtype.size);
    });

    /// <summary><c>tf.linalg.set_diag(input, diagonal)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike diagonal, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "set_diag", input, diagonal);
        var x = b.Convert(input, "input");
        var d = b.Convert(diagonal, "diagonal", x.dtype);
        return b.Create(Def, [x, d], new() { { T, x.dtype } }).outputs[0];
    }

    /// <summary>
    /// TensorFlow's <c>_MatrixSetDiagGrad</c>: the input's gradient is the incoming one with its diagonal zeroed
    /// (MatrixSetDiag of zeros), the diagonal's is the incoming one's diagonal (MatrixDiagPart).
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var g = grads[0]!;
        var diagonal = MatrixDiagPart.Build(g);
        var zeros = ArrayOps.ZerosLike.Def.Apply(diagonal, null, optimize: true, null);
        return [Build(g, zeros), diagonal];
    }
}
