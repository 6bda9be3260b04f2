namespace SharpFlow.Ops.MathOps;

/// <summary>ArgMin: the index of the smallest value along an axis (<c>tf.argmin</c>).</summary>
internal sealed class ArgMin : ArgReductionOp
{
    public static readonly ArgMin Def = new();

    private ArgMin() : base(max: false) { }

    public override string Type => "ArgMin";

    public override bool NotDifferentiable => true;
}
