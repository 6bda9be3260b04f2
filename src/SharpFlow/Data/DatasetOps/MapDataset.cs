using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>MapDataset: <c>map(f)</c>, the traced function <c>f</c> applied to every element in order.</summary>
internal sealed class MapDataset : FunctionDatasetOp
{
    public static readonly MapDataset Def = new();
    
    private static readonly OpAttr<bool> UseInterOpParallelism = new("use_inter_op_parallelism", true);
    private static readonly OpAttr<bool> PreserveCardinality = new("preserve_cardinality", false);

    public override string Type => "MapDataset";

    protected override int FixedInputs => 1;

    protected override DatasetBase Make(OpKernelContext ctx, Operation op, DatasetFunction.Instance f, Func<int, int> index) =>
        new Data.Pipeline.MapDataset(InputDataset(ctx, 0), f, Types(op), Shapes(op), 1);

    /// <summary>The mapped dataset.</summary>
    public static Tensor Build(Tensor input, TracedFunction f, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MapDataset", input);
        return Def.CreateWithFunction(b, [b.Convert(input, "input_dataset")], f, f.OutputTypes, f.OutputShapes,
            new() { { UseInterOpParallelism, true }, { PreserveCardinality, false } });
    }
}
