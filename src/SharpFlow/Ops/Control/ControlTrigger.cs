using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>
/// ControlTrigger: does nothing and is never dead, so control edges from ops in an untaken branch still let its
/// dependents run (the while-loop gradient orders stack pushes and pops through it).
/// </summary>
internal sealed class ControlTrigger : OpDef
{
    public static readonly ControlTrigger Def = new();

    public override string Type => "ControlTrigger";

    public override ControlFlowRole ControlFlow => ControlFlowRole.ControlTrigger;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) { }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(_ => { });

    /// <summary>A ControlTrigger in <paramref name="context"/>, without the control dependencies of the current scope.</summary>
    internal static Operation CreateIn(ControlFlowContext? context, Graph graph, string name) =>
        graph.CreateOpIn(context, Def, name, []);
}
