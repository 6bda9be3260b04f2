namespace SharpFlow.Ops.ArrayOps;

/// <summary>ZerosLike: zeros of the input's shape and dtype (<c>tf.zeros_like</c>).</summary>
internal sealed class ZerosLike : FillLikeOp
{
    public static readonly ZerosLike Def = new();

    private ZerosLike() : base(one: false) { }

    public override string Type => "ZerosLike";

    public override bool NotDifferentiable => true;
}
