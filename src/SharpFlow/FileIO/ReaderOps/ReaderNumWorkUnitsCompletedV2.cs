using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>ReaderNumWorkUnitsCompletedV2: how many files the reader has read to their end (int64 scalar).</summary>
internal sealed class ReaderNumWorkUnitsCompletedV2 : ReaderOp
{
    public static readonly ReaderNumWorkUnitsCompletedV2 Def = new();

    public override string Type => "ReaderNumWorkUnitsCompletedV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx, 0, "reader_handle");
        ctx.AddOutput(DType.int64, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        ctx.ForwardOutput(0, NDArray.Scalar(Reader(ctx).NumWorkUnitsCompleted)));
}
