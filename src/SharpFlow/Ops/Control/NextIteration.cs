using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>NextIteration: makes a loop variable's new value available to the next iteration of its frame.</summary>
internal sealed class NextIteration : OpDef
{
    public static readonly NextIteration Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "NextIteration";

    public override ControlFlowRole ControlFlow => ControlFlowRole.NextIteration;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, ctx.Input(0)));

    /// <summary>The gradient passes through (TensorFlow's <c>_NextIterationGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [grads[0]];

    /// <summary>A NextIteration built in the current context (its input goes through the loop's Enter when it comes from outside).</summary>
    internal static Tensor Build(Tensor data, string name = "NextIteration") =>
        data.graph.CreateOp(Def, name, [data], new Dictionary<string, object> { { T, data.dtype } }).outputs[0];
}
