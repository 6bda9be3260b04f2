namespace SharpFlow.Ops.ArrayOps;

/// <summary>OnesLike: ones of the input's shape and dtype (<c>tf.ones_like</c>).</summary>
internal sealed class OnesLike : FillLikeOp
{
    public static readonly OnesLike Def = new();

    private OnesLike() : base(one: true) { }

    public override string Type => "OnesLike";

    public override bool NotDifferentiable => true;
}
