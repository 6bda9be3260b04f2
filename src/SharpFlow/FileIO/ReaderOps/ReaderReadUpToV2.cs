using System.Text;
using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Queues;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>ReaderReadUpToV2: up to <c>num_records</c> (key, value) records as two string vectors.</summary>
internal sealed class ReaderReadUpToV2 : ReaderOp
{
    public static readonly ReaderReadUpToV2 Def = new();

    public override string Type => "ReaderReadUpToV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx, 0, "reader_handle");
        CheckHandle(ctx, 1, "queue_handle");
        if (ctx.InputDType(2) != DType.int64) throw ctx.TypeError($"num_records must be int64, got {ctx.InputDType(2).name}");
        if (ctx.InputShape(2).ndims > 0) throw ctx.Error($"num_records must be a scalar, got shape {ctx.InputShape(2)}");
        ctx.AddOutput(DType.@string, new Shape(-1));
        ctx.AddOutput(DType.@string, new Shape(-1));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var count = ctx.Input(2).item<long>();
        if (count <= 0) throw ctx.InvalidArgument($"num_records ({count}) must be > 0");
        var records = Reader(ctx).ReadUpTo(QueueResource.Of(ctx.Input(1), ctx.InvalidArgument), count);
        var shape = new Shape(records.Count);
        ctx.ForwardOutput(0, Strings(records.Select(r => Encoding.UTF8.GetBytes(r.Key)), shape));
        ctx.ForwardOutput(1, Strings(records.Select(r => r.Value), shape));
    });
}
