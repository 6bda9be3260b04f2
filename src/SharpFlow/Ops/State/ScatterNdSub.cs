using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterNdSub (<c>tf.scatter_nd_sub</c>): subtracts from the slices of a variable that the rows of <c>indices</c> name.</summary>
internal sealed class ScatterNdSub : ScatterNdUpdateOp
{
    public static readonly ScatterNdSub Def = new();

    public override string Type => "ScatterNdSub";

    protected override ScatterMode Mode => ScatterMode.Sub;

    /// <summary><c>tf.scatter_nd_sub(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
