using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>Questions about where an op stands in the control-flow structure (TensorFlow's control_flow_util).</summary>
internal static class ControlFlowUtil
{
    private static readonly OpAttr<bool> IsConstant = new("is_constant");

    /// <summary>
    /// The context the op's outputs live in: a loop Exit's outputs are outside its loop, every other op's outputs
    /// are in its own context (TensorFlow's <c>GetOutputContext</c>).
    /// </summary>
    public static ControlFlowContext? OutputContext(this Operation op) =>
        op.Def.ControlFlow == ControlFlowRole.Exit ? op.Context?.Outer : op.Context;

    /// <summary>The innermost while loop the op was created in, or null.</summary>
    public static WhileContext? WhileContextOf(Operation op) => op.Context?.EnclosingWhile as WhileContext;

    /// <summary>True for an Exit of a while loop.</summary>
    public static bool IsLoopExit(Operation op) => op.Def.ControlFlow == ControlFlowRole.Exit;

    /// <summary>True for the Switch of a while-loop variable (not a cond's).</summary>
    public static bool IsLoopSwitch(Operation op) => op.Def.ControlFlow == ControlFlowRole.Switch && op.Context is WhileContext;

    /// <summary>The constant Enter <paramref name="value"/> comes from (through Identities), or null.</summary>
    public static Operation? LoopConstantEnter(Tensor value)
    {
        var op = value.op;
        while (op.type == "Identity" && op.inputs.Count == 1) op = op.inputs[0].op;
        return op.Def.ControlFlow == ControlFlowRole.Enter && IsConstant.Of(op) ? op : null;
    }
}
