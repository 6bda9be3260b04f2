using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>LoopCond: a while loop's condition, a boolean scalar that its Switches take as predicate.</summary>
internal sealed class LoopCond : OpDef
{
    public static readonly LoopCond Def = new();

    public override string Type => "LoopCond";

    public override ControlFlowRole ControlFlow => ControlFlowRole.LoopCond;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@bool)
            throw ctx.TypeError($"the loop condition must be a bool tensor, got {ctx.InputDType(0).name}");
        if (ctx.InputShape(0).IsKnownRank && ctx.InputShape(0).ndims != 0)
            throw ctx.Error($"the loop condition must be a scalar, got shape {ctx.InputShape(0)}");
        ctx.AddOutput(DType.@bool, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var input = ctx.Input(0);
        if (input.size != 1) throw ctx.InvalidArgument($"The loop condition must be a scalar, but it has shape {input.shape.ToListString()}");
        ctx.ForwardOutput(0, input);
    });

    /// <summary>A LoopCond of <paramref name="pred"/> in the current (loop) context.</summary>
    internal static Tensor Build(Tensor pred, string name = "LoopCond") =>
        pred.graph.CreateOp(Def, name, [pred]).outputs[0];
}
