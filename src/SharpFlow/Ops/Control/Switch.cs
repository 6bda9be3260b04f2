using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.Control;

/// <summary>
/// Switch: forwards <c>data</c> to <c>output_true</c> (output 1) when <c>pred</c> is true, else to
/// <c>output_false</c> (output 0); the other output is dead, and so is everything that depends on it alone. The
/// entry of every <c>cond</c> branch and of every while-loop iteration.
/// </summary>
internal sealed class Switch : OpDef
{
    public static readonly Switch Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Switch";

    public override ControlFlowRole ControlFlow => ControlFlowRole.Switch;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(1) != DType.@bool) throw ctx.TypeError($"pred must be a bool tensor, got {ctx.InputDType(1).name}");
        if (ctx.InputShape(1).IsKnownRank && ctx.InputShape(1).ndims != 0)
            throw ctx.Error($"Shape must be rank 0 but is rank {ctx.InputShape(1).ndims} for the predicate");
        ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));
        ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var pred = ctx.Input(1);
        if (pred.size != 1) throw ctx.InvalidArgument($"The second input must be a scalar, but it has shape {pred.shape.ToListString()}");
        ctx.ForwardOutput(pred.item<bool>() ? 1 : 0, ctx.Input(0));
    });

    /// <summary>
    /// In a cond branch the gradient merges the branch's gradient with zeros for the untaken one; in a while loop
    /// the first visit (from the Exit) starts the backprop loop's Merge and the second closes its back edge
    /// (TensorFlow's <c>_SwitchGrad</c>).
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var graph = op.graph;
        switch (op.Context)
        {
            case WhileContext:
                var gradState = (graph.ControlFlowContext as WhileContext)?.GradState
                                ?? throw new InternalError($"The gradient of loop switch '{op.name}' is built outside its backprop loop.");
                if (gradState.SwitchMap.TryGetValue(op, out var mergeGrad))
                {
                    if (grads[1] is { } g1) WhileContext.AddNextAndBackEdge(mergeGrad, g1, enforceShapeInvariant: false);
                    return [null, null];
                }
                if (grads[0] is { } g0)
                {
                    var merge = Merge.Build([g0, g0], "b_switch").output;
                    gradState.SwitchMap[op] = merge;
                    return [merge, null];
                }
                return [null, null];
            case CondContext cond:
                var taken = grads[cond.Branch];
                var zero = grads[1 - cond.Branch] ?? (taken is null ? null : ControlFlowState.ZerosLikeOutsideLoop(op, 1 - cond.Branch));
                if (taken is null && zero is null) return [null, null];
                taken ??= ControlFlowState.ZerosLikeOutsideLoop(op, cond.Branch);
                Tensor[] pair = cond.Branch == 1 ? [zero!, taken] : [taken, zero!];
                return [Merge.Build(pair, "cond_grad").output, null];
            default:
                var falseGrad = grads[0] is { } f ? Build(f, op.inputs[1]).False : null;
                var trueGrad = grads[1] is { } t ? Build(t, op.inputs[1]).True : null;
                if (falseGrad is null || trueGrad is null) return [falseGrad ?? trueGrad, null];
                return [Merge.Build([falseGrad, trueGrad]).output, null];
        }
    }

    /// <summary><c>tf.switch(data, pred)</c>: (output_false, output_true).</summary>
    public static (Tensor False, Tensor True) Build(TensorLike data, TensorLike pred, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Switch", data, pred);
        var x = b.Convert(data, "data");
        var p = b.Convert(pred, "pred", DType.@bool);
        var op = b.Create(Def, [x, p], new() { { T, x.dtype } });
        return (op.outputs[0], op.outputs[1]);
    }

    /// <summary>A Switch created as is in <paramref name="context"/> (no input is rewritten): a cond's or loop's own switch.</summary>
    internal static Operation CreateIn(ControlFlowContext? context, Tensor data, Tensor pred, string name = "Switch")
    {
        return data.graph.CreateOpIn(context, Def, name, [data, pred],
            new Dictionary<string, object> { { T, data.dtype } });
    }
}
