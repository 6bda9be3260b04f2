using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>RangeDataset: int64 scalars as Python's <c>range(start, stop, step)</c> (<c>Dataset.range</c>).</summary>
internal sealed class RangeDataset : DatasetOp
{
    public static readonly RangeDataset Def = new();

    public override string Type => "RangeDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckScalar(ctx, 0, "start", DType.int64);
        CheckScalar(ctx, 1, "stop", DType.int64);
        CheckScalar(ctx, 2, "step", DType.int64);
    }

    protected override Data.Pipeline.DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var step = Int64(ctx, 2, "step");
        if (step == 0) throw ctx.InvalidArgument("step must be a non-zero integer.");
        return new Data.Pipeline.RangeDataset(Int64(ctx, 0, "start"), Int64(ctx, 1, "stop"), step);
    }

    /// <summary>The range dataset.</summary>
    public static Tensor Build(TensorLike start, TensorLike stop, TensorLike step, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "RangeDataset", start, stop, step);
        return Def.Create(b, [b.Convert(start, "start", DType.int64), b.Convert(stop, "stop", DType.int64), b.Convert(step, "step", DType.int64)],
            [DType.int64], [Shape.Scalar]);
    }
}
