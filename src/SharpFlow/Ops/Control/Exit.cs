using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>Exit: moves a loop variable's final value out of its while-loop frame into the parent frame.</summary>
internal sealed class Exit : OpDef
{
    public static readonly Exit Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Exit";

    public override ControlFlowRole ControlFlow => ControlFlowRole.Exit;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, ctx.Input(0)));

    /// <summary>
    /// The gradient enters the backprop loop (TensorFlow's <c>_ExitGrad</c>); none when the loop was built with
    /// <c>back_prop=false</c>.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var grad = grads[0];
        if (grad is null) return [null];
        var gradContext = op.graph.ControlFlowContext as WhileContext
                          ?? throw new InternalError($"The gradient of loop exit '{op.name}' is built outside its backprop loop.");
        if (!gradContext.BackProp) return [null];
        if (op.Context is WhileContext { GradState: not null })
            throw new TypeError("Second-order gradient for while loops not supported.");
        var result = Enter.CreateIn(gradContext, grad, isConstant: false, "b_exit");
        gradContext.AddLoopEnter(result);
        return [result];
    }

    /// <summary>An Exit of <paramref name="loop"/>'s frame, created as is.</summary>
    internal static Operation CreateIn(WhileContext loop, Tensor data, string name = "Exit") =>
        data.graph.CreateOpIn(loop, Def, name, [data], new Dictionary<string, object> { { T, data.dtype } });
}
