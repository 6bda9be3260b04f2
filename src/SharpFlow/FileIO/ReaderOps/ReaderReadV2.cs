using System.Text;
using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Queues;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>
/// ReaderReadV2: the reader's next (key, value) record, taking the next file name from the queue when the
/// current file is done; the queue's OutOfRangeError once it is closed and empty.
/// </summary>
internal sealed class ReaderReadV2 : ReaderOp
{
    public static readonly ReaderReadV2 Def = new();

    public override string Type => "ReaderReadV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx, 0, "reader_handle");
        CheckHandle(ctx, 1, "queue_handle");
        ctx.AddOutput(DType.@string, Shape.Scalar);
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (key, value) = Reader(ctx).Read(QueueResource.Of(ctx.Input(1), ctx.InvalidArgument));
        ctx.ForwardOutput(0, Strings([Encoding.UTF8.GetBytes(key)], Shape.Scalar));
        ctx.ForwardOutput(1, Strings([value], Shape.Scalar));
    });
}
