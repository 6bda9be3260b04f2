using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>UnbatchDataset: <c>unbatch()</c>, each element split along its first axis into that many elements.</summary>
internal sealed class UnbatchDataset : DatasetOp
{
    public static readonly UnbatchDataset Def = new();

    public override string Type => "UnbatchDataset";

    protected override void Check(InferenceContext ctx) => CheckDataset(ctx, 0, "input_dataset");

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) =>
        new Data.Pipeline.UnbatchDataset(InputDataset(ctx, 0), Shapes(op), op.name);

    /// <summary>The unbatched dataset; <paramref name="shapes"/> are the input's without their first dimension.</summary>
    public static Tensor Build(Tensor input, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "UnbatchDataset", input);
        return Def.Create(b, [b.Convert(input, "input_dataset")], types, shapes);
    }
}
