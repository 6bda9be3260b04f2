using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>MatrixDiag: a <c>[..., n]</c> tensor of diagonals becomes <c>[..., n, n]</c> diagonal matrices.</summary>
internal sealed class MatrixDiag : OpDef
{
    public static readonly MatrixDiag Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "MatrixDiag";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype == DType.@string) throw ctx.TypeError("dtype string is not supported");
        var d = ctx.InputShape(0);
        if (!d.IsKnownRank)
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            return;
        }
        if (d.ndims < 1) throw ctx.Error($"Shape must be at least rank 1 but is rank {d.ndims}");
        ctx.AddOutput(dtype, d.Concatenate(new Shape(d[d.ndims - 1])));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var d = ctx.Input(0);
        if (d.ndim < 1) throw ctx.InvalidArgument($"input must be at least 1-dim, received shape: {d.shape.ToListString()}");
        var n = d.shape[d.ndim - 1];
        var y = ctx.AllocateUninitializedOutput(0, d.dtype, new Shape([.. d.shape.Dims, n]));
        MatrixKernels.Diag(d.AsBytes(), y.AsWritableBytes(), n, d.dtype.size);
    });

    /// <summary><c>tf.matrix_diag(diagonal)</c>.</summary>
    public static Tensor Build(TensorLike diagonal, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MatrixDiag", diagonal);
        var d = b.Convert(diagonal, "diagonal");
        return b.Create(Def, [d], new() { { T, d.dtype } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_MatrixDiagGrad</c>: the diagonal of the gradient.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [MatrixDiagPart.Build(grads[0]!)];
}
