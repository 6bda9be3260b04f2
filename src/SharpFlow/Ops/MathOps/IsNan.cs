namespace SharpFlow.Ops.MathOps;

/// <summary>IsNan: true where x is NaN, element-wise.</summary>
internal sealed class IsNan : FloatClassifyOp
{
    public static readonly IsNan Def = new();

    public override string Type => "IsNan";

    protected override bool Test(double x) => double.IsNaN(x);

    /// <summary><c>tf.is_nan</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name);
}
