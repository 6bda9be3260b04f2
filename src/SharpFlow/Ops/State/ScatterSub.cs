using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterSub (<c>tf.scatter_sub</c>): subtracts from the rows of a variable at <c>indices</c> with <c>updates</c>.</summary>
internal sealed class ScatterSub : ScatterOp
{
    public static readonly ScatterSub Def = new();

    public override string Type => "ScatterSub";

    protected override ScatterMode Mode => ScatterMode.Sub;

    /// <summary><c>tf.scatter_sub(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
