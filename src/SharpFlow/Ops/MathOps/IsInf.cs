namespace SharpFlow.Ops.MathOps;

/// <summary>IsInf: true where x is +inf or -inf, element-wise.</summary>
internal sealed class IsInf : FloatClassifyOp
{
    public static readonly IsInf Def = new();

    public override string Type => "IsInf";

    protected override bool Test(double x) => double.IsInfinity(x);

    /// <summary><c>tf.is_inf</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name);
}
