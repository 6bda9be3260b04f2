using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>Cumprod: running products along an axis (<c>tf.cumprod</c>).</summary>
internal sealed class Cumprod : ScanOp
{
    public static readonly Cumprod Def = new();

    private static readonly OpAttr<bool> Exclusive = new("exclusive", false);
    private static readonly OpAttr<bool> Reverse = new("reverse", false);

    public override string Type => "Cumprod";

    protected override bool Product => true;

    /// <summary><c>tf.cumprod(x, axis, exclusive, reverse)</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike axis, bool exclusive = false, bool reverse = false, string? name = null) =>
        Def.Apply(x, axis, exclusive, reverse, name);

    /// <summary>
    /// TensorFlow's <c>_CumprodGrad</c>: <c>cumsum(cumprod(x) * g, reverse = !reverse) / x</c>. Like TensorFlow's,
    /// it divides by x and is undefined where x is 0.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (x, axis, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var (exclusive, reverse) = (Exclusive.Of(op), Reverse.Of(op));
        var prod = Build(x, axis, exclusive, reverse);
        var sum = Cumsum.Build(Mul.Build(prod, g), axis, exclusive, !reverse);
        return [RealDiv.Build(sum, x), null];
    }
}
