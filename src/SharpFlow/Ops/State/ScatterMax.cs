using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterMax (<c>tf.scatter_max</c>): takes the element-wise maximum of the rows of a variable at <c>indices</c> with <c>updates</c>.</summary>
internal sealed class ScatterMax : ScatterOp
{
    public static readonly ScatterMax Def = new();

    public override string Type => "ScatterMax";

    protected override ScatterMode Mode => ScatterMode.Max;

    /// <summary><c>tf.scatter_max(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
