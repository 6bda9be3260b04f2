using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterAdd (<c>tf.scatter_add</c>): adds to the rows of a variable at <c>indices</c> with <c>updates</c>.</summary>
internal sealed class ScatterAdd : ScatterOp
{
    public static readonly ScatterAdd Def = new();

    public override string Type => "ScatterAdd";

    protected override ScatterMode Mode => ScatterMode.Add;

    /// <summary><c>tf.scatter_add(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
