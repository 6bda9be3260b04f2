using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>FlatMapDataset: <c>flat_map(f)</c>, the elements of the dataset <c>f</c> makes of each element, in order.</summary>
internal sealed class FlatMapDataset : FunctionDatasetOp
{
    public static readonly FlatMapDataset Def = new();

    public override string Type => "FlatMapDataset";

    protected override int FixedInputs => 1;

    protected override DatasetBase Make(OpKernelContext ctx, Operation op, DatasetFunction.Instance f, Func<int, int> index) =>
        new Data.Pipeline.FlatMapDataset(InputDataset(ctx, 0), f, Types(op), Shapes(op), op.name);

    /// <summary>The flat-mapped dataset; <paramref name="types"/> and <paramref name="shapes"/> are those of the datasets f returns.</summary>
    public static Tensor Build(Tensor input, TracedFunction f, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "FlatMapDataset", input);
        return Def.CreateWithFunction(b, [b.Convert(input, "input_dataset")], f, types, shapes);
    }
}
