using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterNdUpdate (<c>tf.scatter_nd_update</c>): replaces the slices of a variable that the rows of <c>indices</c> name.</summary>
internal sealed class ScatterNdUpdate : ScatterNdUpdateOp
{
    public static readonly ScatterNdUpdate Def = new();

    public override string Type => "ScatterNdUpdate";

    protected override ScatterMode Mode => ScatterMode.Update;

    /// <summary><c>tf.scatter_nd_update(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = true, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
