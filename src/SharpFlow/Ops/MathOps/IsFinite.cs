namespace SharpFlow.Ops.MathOps;

/// <summary>IsFinite: true where x is neither NaN nor infinite, element-wise.</summary>
internal sealed class IsFinite : FloatClassifyOp
{
    public static readonly IsFinite Def = new();

    public override string Type => "IsFinite";

    protected override bool Test(double x) => double.IsFinite(x);

    /// <summary><c>tf.is_finite</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name);
}
