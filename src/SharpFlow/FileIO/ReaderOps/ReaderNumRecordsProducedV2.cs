using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>ReaderNumRecordsProducedV2: how many records the reader has produced (int64 scalar).</summary>
internal sealed class ReaderNumRecordsProducedV2 : ReaderOp
{
    public static readonly ReaderNumRecordsProducedV2 Def = new();

    public override string Type => "ReaderNumRecordsProducedV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx, 0, "reader_handle");
        ctx.AddOutput(DType.int64, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        ctx.ForwardOutput(0, NDArray.Scalar(Reader(ctx).NumRecordsProduced)));
}
