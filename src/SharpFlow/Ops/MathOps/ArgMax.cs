namespace SharpFlow.Ops.MathOps;

/// <summary>ArgMax: the index of the largest value along an axis (<c>tf.argmax</c>; TensorFlow 1.x's default axis is 0).</summary>
internal sealed class ArgMax : ArgReductionOp
{
    public static readonly ArgMax Def = new();

    private ArgMax() : base(max: true) { }

    public override string Type => "ArgMax";

    public override bool NotDifferentiable => true;
}
