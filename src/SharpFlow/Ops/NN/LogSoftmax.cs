namespace SharpFlow.Ops.NN;

/// <summary>LogSoftmax: <c>x - log(sum(exp(x)))</c> over the last axis, computed stably (<c>tf.nn.log_softmax</c>).</summary>
internal sealed class LogSoftmax : SoftmaxOp
{
    public static readonly LogSoftmax Def = new();

    public override string Type => "LogSoftmax";

    protected override bool Log => true;

    /// <summary>TensorFlow's <c>_LogSoftmaxGrad</c>: <c>g - sum(g, -1) * exp(y)</c> from the output y.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, y) = (grads[0]!, op.outputs[0]);
        return [MathOps.Sub.Build(g, MathOps.Mul.Build(MathOps.Sum.Build(g, -1, keepDims: true), MathOps.Exp.Build(y)))];
    }

    /// <summary><c>tf.nn.log_softmax(logits)</c>.</summary>
    public static Tensor Build(TensorLike logits, string? name = null) => Def.Apply(logits, name);
}
