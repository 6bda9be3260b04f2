using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>ReaderResetV2: returns the reader to its initial state (no file open, counters at zero).</summary>
internal sealed class ReaderResetV2 : ReaderOp
{
    public static readonly ReaderResetV2 Def = new();

    public override string Type => "ReaderResetV2";

    public override void InferShapes(InferenceContext ctx) => CheckHandle(ctx, 0, "reader_handle");

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => Reader(ctx).Reset());
}
