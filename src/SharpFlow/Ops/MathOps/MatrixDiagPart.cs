using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>MatrixDiagPart: the main diagonal, min(m, n) long, of each innermost <c>[m, n]</c> matrix.</summary>
internal sealed class MatrixDiagPart : OpDef
{
    public static readonly MatrixDiagPart Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "MatrixDiagPart";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype == DType.@string) throw ctx.TypeError("dtype string is not supported");
        var s = ctx.InputShape(0);
        if (!s.IsKnownRank)
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            return;
        }
        if (s.ndims < 2) throw ctx.Error($"Shape must be at least rank 2 but is rank {s.ndims}");
        var (m, n) = (s[s.ndims - 2], s[s.ndims - 1]);
        var diag = m >= 0 && n >= 0 ? System.Math.Min(m, n) : -1;
        ctx.AddOutput(dtype, new Shape([.. s.Dims[..^2], diag]));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (x.ndim < 2) throw ctx.InvalidArgument($"input must be at least 2-dim, received shape: {x.shape.ToListString()}");
        var (m, n) = (x.shape[x.ndim - 2], x.shape[x.ndim - 1]);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, new Shape([.. x.shape.Dims[..^2], System.Math.Min(m, n)]));
        MatrixKernels.DiagPart(x.AsBytes(), y.AsWritableBytes(), m, n, x.dtype.size);
    });

    /// <summary><c>tf.matrix_diag_part(input)</c>.</summary>
    public static Tensor Build(TensorLike input, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MatrixDiagPart", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { T, x.dtype } }).outputs[0];
    }

    /// <summary>
    /// TensorFlow's <c>_MatrixDiagPartGrad</c>: MatrixDiag of the gradient for square matrices; for m×n ones the
    /// gradient laid along the diagonal of an m×n matrix of zeros (their last two dimensions must be known).
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        var s = x.shape;
        if (!s.IsKnownRank) throw new ValueError($"the gradient of {op.name} needs the rank of its input");
        var (m, n) = (s[s.ndims - 2], s[s.ndims - 1]);
        if (m >= 0 && m == n) return [MatrixDiag.Build(g)];
        if (m < 0 || n < 0) throw new ValueError($"the gradient of {op.name} needs the last two dimensions of its input, got {s}");
        // The identity pattern of the input's shape times the gradient spread along the shorter side.
        var eye = MatrixBandPart.Build(ArrayOps.OnesLike.Def.Apply(x, null, optimize: true, null), 0, 0);
        var spread = ArrayOps.ExpandDims.Build(g, m < n ? -1 : -2);
        return [Mul.Build(eye, spread)];
    }
}
