using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>
/// Enter: makes <c>data</c> available in the child frame <c>frame_name</c> (a while loop): in its first iteration,
/// or in every iteration when <c>is_constant</c> (a loop invariant).
/// </summary>
internal sealed class Enter : OpDef
{
    public static readonly Enter Def = new();

    private static readonly OpAttr<bool> IsConstant = new("is_constant", false);
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<string> FrameName = new("frame_name");
    internal static readonly OpAttr<int> ParallelIterations = new("parallel_iterations", 10);

    public override string Type => "Enter";

    public override ControlFlowRole ControlFlow => ControlFlowRole.Enter;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, ctx.Input(0)));

    /// <summary>
    /// Outside a backprop loop the gradient passes through; inside one, a loop variable's gradient leaves the
    /// backprop loop through an Exit and a loop invariant's gradient is summed over the iterations (TensorFlow's
    /// <c>_EnterGrad</c>).
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var grad = grads[0];
        if (grad is null) return [null];
        if (op.graph.ControlFlowContext is not WhileContext { GradState: not null } gradContext || !gradContext.BackProp) return [grad];
        if (IsConstant.Of(op)) return [gradContext.AddBackpropAccumulator(op, grad)];
        var result = Exit.CreateIn(gradContext, grad).outputs[0];
        gradContext.AddLoopExit(result);
        return [result];
    }

    /// <summary>An Enter into the frame of <paramref name="loop"/>, created as is (its input is not rewritten).</summary>
    internal static Tensor CreateIn(WhileContext loop, Tensor data, bool isConstant, string name = "Enter")
    {
        var attrs = new Dictionary<string, object>
        {
            { T, data.dtype }, { FrameName, loop.Name }, { IsConstant, isConstant },
            { ParallelIterations, loop.ParallelIterations },
        };
        // Enters carry no control dependencies of the scope they are built in (TensorFlow builds them under
        // control_dependencies(None)).
        return data.graph.CreateOpIn(loop, Def, name, [data], attrs).outputs[0];
    }
}
