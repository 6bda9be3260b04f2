using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterMul (<c>tf.scatter_mul</c>): multiplies the rows of a variable at <c>indices</c> with <c>updates</c>.</summary>
internal sealed class ScatterMul : ScatterOp
{
    public static readonly ScatterMul Def = new();

    public override string Type => "ScatterMul";

    protected override ScatterMode Mode => ScatterMode.Mul;

    /// <summary><c>tf.scatter_mul(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
