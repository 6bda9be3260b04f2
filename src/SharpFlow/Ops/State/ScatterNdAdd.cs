using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterNdAdd (<c>tf.scatter_nd_add</c>): adds to the slices of a variable that the rows of <c>indices</c> name.</summary>
internal sealed class ScatterNdAdd : ScatterNdUpdateOp
{
    public static readonly ScatterNdAdd Def = new();

    public override string Type => "ScatterNdAdd";

    protected override ScatterMode Mode => ScatterMode.Add;

    /// <summary><c>tf.scatter_nd_add(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
