namespace SharpFlow.Ops.MathOps;

/// <summary>LogicalNot: <c>!x</c> on a bool tensor.</summary>
internal sealed class LogicalNot : UnaryElementwiseOp
{
    public static readonly LogicalNot Def = new();

    public override string Type => "LogicalNot";

    public override bool NotDifferentiable => true;

    protected override bool HasTypeAttr => false;

    protected override bool Accepts(DType dtype) => dtype == DType.@bool;

    protected override void Compute(NDArray x, NDArray y)
    {
        var src = x.AsReadOnlySpan<bool>();
        var dst = y.AsSpan<bool>();
        for (var i = 0; i < dst.Length; i++) dst[i] = !src[i];
    }

    /// <summary><c>tf.logical_not</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "LogicalNot");
}
