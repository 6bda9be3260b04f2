using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>What the ops that take a queue handle share: the handle check and the queue's declared components.</summary>
internal abstract class QueueOp : OpDef
{
    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    /// <summary>Checks that input 0 is a queue handle.</summary>
    protected static void CheckHandle(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError($"the handle must be a queue handle (resource), got {ctx.InputDType(0).name}");
        if (ctx.InputShape(0).ndims > 0) throw ctx.Error($"the handle must be a scalar, got shape {ctx.InputShape(0)}");
    }

    /// <summary>
    /// The component shapes declared by the queue op feeding input 0, when the handle comes straight from one
    /// (TensorFlow's handle shapes); empty otherwise.
    /// </summary>
    protected static Shape[] QueueShapes(InferenceContext ctx) =>
        ctx.Inputs[0].op.Def is QueueCreationOp && QueueCreationOp.ShapesAttr.TryGet(ctx.Inputs[0].op, out var shapes) ? shapes : [];

    /// <summary>The queue behind input 0.</summary>
    protected static QueueResource Queue(OpKernelContext ctx) => QueueResource.Of(ctx.Input(0), ctx.InvalidArgument);
}
