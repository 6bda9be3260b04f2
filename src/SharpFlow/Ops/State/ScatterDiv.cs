using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>ScatterDiv (<c>tf.scatter_div</c>): divides the rows of a variable at <c>indices</c> with <c>updates</c>.</summary>
internal sealed class ScatterDiv : ScatterOp
{
    public static readonly ScatterDiv Def = new();

    public override string Type => "ScatterDiv";

    protected override ScatterMode Mode => ScatterMode.Div;

    /// <summary><c>tf.scatter_div(ref, indices, updates, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, indices, updates, useLocking, name);
}
