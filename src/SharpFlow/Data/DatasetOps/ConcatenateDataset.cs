using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>ConcatenateDataset: the elements of one dataset, then another's (<c>Dataset.concatenate</c>).</summary>
internal sealed class ConcatenateDataset : DatasetOp
{
    public static readonly ConcatenateDataset Def = new();

    public override string Type => "ConcatenateDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckDataset(ctx, 1, "another_dataset");
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var first = InputDataset(ctx, 0);
        var second = InputDataset(ctx, 1);
        if (!first.Types.SequenceEqual(second.Types))
            throw ctx.InvalidArgument("input dataset and dataset to concatenate have different types of components.");
        return new Data.Pipeline.ConcatenateDataset(first, second, Shapes(op));
    }

    /// <summary>The concatenation; <paramref name="shapes"/> are the most specific shapes both inputs have.</summary>
    public static Tensor Build(Tensor first, Tensor second, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ConcatenateDataset", first, second);
        return Def.Create(b, [b.Convert(first, "input_dataset"), b.Convert(second, "another_dataset")], types, shapes);
    }
}
