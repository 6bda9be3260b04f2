using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>FilterDataset: <c>filter(predicate)</c>, the elements whose traced predicate is true.</summary>
internal sealed class FilterDataset : FunctionDatasetOp
{
    public static readonly FilterDataset Def = new();

    public override string Type => "FilterDataset";

    private static readonly OpAttr<TracedFunction> Predicate = new("predicate");

    protected override OpAttr<TracedFunction> FunctionAttr => Predicate;

    protected override int FixedInputs => 1;

    protected override DatasetBase Make(OpKernelContext ctx, Operation op, DatasetFunction.Instance f, Func<int, int> index) =>
        new Data.Pipeline.FilterDataset(InputDataset(ctx, 0), f, op.name);

    /// <summary>The filtered dataset; the predicate must return one scalar bool (checked here, as TensorFlow's ValueError).</summary>
    public static Tensor Build(Tensor input, TracedFunction predicate, DType[] types, Shape[] shapes, string? name = null)
    {
        if (predicate.Outputs.Length != 1 || predicate.Outputs[0].dtype != DType.@bool
            || (predicate.Outputs[0].shape.IsKnownRank && predicate.Outputs[0].shape.ndims != 0))
            throw new ValueError("`predicate` must return a scalar boolean tensor.");
        using var b = OpBuilder.Begin(name, "FilterDataset", input);
        return Def.CreateWithFunction(b, [b.Convert(input, "input_dataset")], predicate, types, shapes);
    }
}
