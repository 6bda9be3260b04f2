using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>Cumsum: running sums along an axis (<c>tf.cumsum</c>).</summary>
internal sealed class Cumsum : ScanOp
{
    public static readonly Cumsum Def = new();

    private static readonly OpAttr<bool> Exclusive = new("exclusive", false);
    private static readonly OpAttr<bool> Reverse = new("reverse", false);

    public override string Type => "Cumsum";

    protected override bool Product => false;

    /// <summary><c>tf.cumsum(x, axis, exclusive, reverse)</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike axis, bool exclusive = false, bool reverse = false, string? name = null) =>
        Def.Apply(x, axis, exclusive, reverse, name);

    /// <summary>Each output element sums inputs; its gradient is the running sum of the gradient the other way.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [Build(grads[0]!, op.inputs[1], Exclusive.Of(op), !Reverse.Of(op)), null];
}
