using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterMin (<c>tf.scatter_min</c>): takes the element-wise minimum of the rows of a variable at <c>indices</c> with <c>updates</c>.</summary>
internal sealed class ScatterMin : ScatterOp
{
    public static readonly ScatterMin Def = new();

    public override string Type => "ScatterMin";

    protected override ScatterMode Mode => ScatterMode.Min;

    /// <summary><c>tf.scatter_min(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
