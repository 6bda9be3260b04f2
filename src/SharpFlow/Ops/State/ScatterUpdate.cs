using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterUpdate (<c>tf.scatter_update</c>): replaces the rows (of repeated indices, the last one wins) of a variable at <c>indices</c> with <c>updates</c>.</summary>
internal sealed class ScatterUpdate : ScatterOp
{
    public static readonly ScatterUpdate Def = new();

    public override string Type => "ScatterUpdate";

    protected override ScatterMode Mode => ScatterMode.Update;

    /// <summary><c>tf.scatter_update(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = true, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
