using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// ParallelMapDataset: <c>map(f, num_parallel_calls)</c>, up to <c>num_parallel_calls</c> elements mapped at once
/// on the thread pool, results in the input's order (<c>sloppy=False</c>).
/// </summary>
internal sealed class ParallelMapDataset : FunctionDatasetOp
{
    public static readonly ParallelMapDataset Def = new();
    
    private static readonly OpAttr<bool> UseInterOpParallelism = new("use_inter_op_parallelism", true);
    private static readonly OpAttr<bool> Sloppy = new("sloppy", false);
    private static readonly OpAttr<bool> PreserveCardinality = new("preserve_cardinality", false);

    public override string Type => "ParallelMapDataset";

    protected override int FixedInputs => 2;

    protected override void CheckFixed(InferenceContext ctx, Func<int, int> index)
    {
        CheckScalar(ctx, index(1), "num_parallel_calls", DType.int32);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op, DatasetFunction.Instance f, Func<int, int> index)
    {
        var calls = OpValues.Scalar(ctx.Input(index(1)), "num_parallel_calls", ctx.InvalidArgument);
        if (calls <= 0 && calls != -1) throw ctx.InvalidArgument("num_parallel_calls must be greater than zero.");
        // AUTOTUNE (-1): one call per core.
        return new Data.Pipeline.MapDataset(InputDataset(ctx, 0), f, Types(op), Shapes(op), calls == -1 ? Environment.ProcessorCount : (int)calls);
    }

    /// <summary>The mapped dataset.</summary>
    public static Tensor Build(Tensor input, TracedFunction f, TensorLike numParallelCalls, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ParallelMapDataset", input, numParallelCalls);
        return Def.CreateWithFunction(b, [b.Convert(input, "input_dataset"), b.Convert(numParallelCalls, "num_parallel_calls", DType.int32)],
            f, f.OutputTypes, f.OutputShapes, new() { { UseInterOpParallelism, true }, { Sloppy, false }, { PreserveCardinality, false } });
    }
}
