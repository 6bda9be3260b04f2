using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Placeholder: a value the caller must feed on every run (<c>tf.placeholder(dtype, shape)</c>); dimensions of
/// the shape may be unknown. Sessions check each fed value's dtype and shape against it.
/// </summary>
internal sealed class Placeholder : OpDef
{
    public static readonly Placeholder Def = new();

    private static readonly OpAttr<DType> Dtype = new("dtype");
    private static readonly OpAttr<Shape> ShapeAttr = new("shape");

    public override string Type => "Placeholder";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(Dtype.Of(ctx), ShapeAttr.Of(ctx));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        throw ctx.InvalidArgument(MissingFeedMessage(ctx.op)));

    /// <summary>TensorFlow's message for a placeholder that was not fed.</summary>
    public static string MissingFeedMessage(Operation op) =>
        $"You must feed a value for placeholder tensor '{op.name}' with dtype {Dtype.Of(op).ProtoName}" +
        (ShapeAttr.Of(op).IsKnownRank ? $" and shape {ShapeAttr.Of(op).ToListString()}" : "");

    /// <summary><c>tf.placeholder(dtype, shape, name)</c>; a null shape means any shape.</summary>
    public static Tensor Build(DType dtype, Shape? shape = null, string? name = null)
    {
        using var b = OpBuilder.Begin(Graph.get_default(), name, "Placeholder");
        return b.Create(Def, [], new() { { Dtype, dtype }, { ShapeAttr, shape ?? Shape.Unknown } }).outputs[0];
    }
}
