using SharpFlow.Framework;

namespace SharpFlow.Ops.Queues;

/// <summary>
/// QueueCloseV2: closes the queue; later enqueues fail and dequeues drain what is left. With
/// <c>cancel_pending_enqueues</c> the enqueues waiting now are cancelled, otherwise the close waits behind them.
/// </summary>
internal sealed class QueueCloseV2 : QueueOp
{
    public static readonly QueueCloseV2 Def = new();

    internal static readonly OpAttr<bool> CancelPendingEnqueues = new("cancel_pending_enqueues", false);

    public override string Type => "QueueCloseV2";

    public override void InferShapes(InferenceContext ctx) => CheckHandle(ctx);

    public override OpKernel CreateKernel(Operation op)
    {
        var cancel = CancelPendingEnqueues.Of(op);
        return OpKernel.From(ctx => Queue(ctx).Close(cancel));
    }
}
