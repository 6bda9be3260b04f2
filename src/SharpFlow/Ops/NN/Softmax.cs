namespace SharpFlow.Ops.NN;

/// <summary>Softmax: <c>exp(x) / sum(exp(x))</c> over the last axis, computed stably (<c>tf.nn.softmax</c>).</summary>
internal sealed class Softmax : SoftmaxOp
{
    public static readonly Softmax Def = new();

    public override string Type => "Softmax";

    protected override bool Log => false;

    /// <summary>TensorFlow's <c>_SoftmaxGrad</c>: <c>(g - sum(g*y, -1)) * y</c> from the output y.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, y) = (grads[0]!, op.outputs[0]);
        var sum = MathOps.Sum.Build(MathOps.Mul.Build(g, y), -1, keepDims: true);
        return [MathOps.Mul.Build(MathOps.Sub.Build(g, sum), y)];
    }

    /// <summary><c>tf.nn.softmax(logits)</c>.</summary>
    public static Tensor Build(TensorLike logits, string? name = null) => Def.Apply(logits, name);
}
