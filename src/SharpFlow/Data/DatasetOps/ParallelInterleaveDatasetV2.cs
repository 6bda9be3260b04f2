using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// ParallelInterleaveDatasetV2: <c>interleave(map_func, cycle_length, block_length, num_parallel_calls)</c>; up to
/// <c>num_parallel_calls</c> of the cycle's nested datasets are read at once on background threads, the elements
/// in <c>InterleaveDataset</c>'s order (attribute <c>sloppy</c> false).
/// </summary>
internal sealed class ParallelInterleaveDatasetV2 : FunctionDatasetOp
{
    public static readonly ParallelInterleaveDatasetV2 Def = new();

    private static readonly OpAttr<bool> Sloppy = new("sloppy", false);

    public override string Type => "ParallelInterleaveDatasetV2";

    protected override int FixedInputs => 4;

    protected override void CheckFixed(InferenceContext ctx, Func<int, int> index)
    {
        CheckScalar(ctx, index(1), "cycle_length", DType.int64);
        CheckScalar(ctx, index(2), "block_length", DType.int64);
        CheckScalar(ctx, index(3), "num_parallel_calls", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op, DatasetFunction.Instance f, Func<int, int> index)
    {
        var cycle = Int64(ctx, index(1), "cycle_length");
        if (cycle <= 0 && cycle != -1) throw ctx.InvalidArgument("cycle_length must be greater than zero.");
        // AUTOTUNE (-1): one dataset per core.
        if (cycle == -1) cycle = Environment.ProcessorCount;
        var block = Int64(ctx, index(2), "block_length");
        if (block <= 0) throw ctx.InvalidArgument("block_length must be greater than zero.");
        var calls = Int64(ctx, index(3), "num_parallel_calls");
        if (calls <= 0 && calls != -1) throw ctx.InvalidArgument("num_parallel_calls must be greater than zero.");
        if (calls == -1) calls = cycle;
        if (calls > cycle) throw ctx.InvalidArgument("num_parallel_calls must less than or equal to cycle_length.");
        var sloppy = Sloppy.Of(op);
        return new Data.Pipeline.ParallelInterleaveDataset(InputDataset(ctx, 0), f, cycle, block, sloppy,
            bufferOutputElements: block, prefetchInputElements: cycle, (int)calls, Types(op), Shapes(op), op.name);
    }

    /// <summary>The interleaved dataset.</summary>
    public static Tensor Build(Tensor input, TracedFunction f, TensorLike cycleLength, TensorLike blockLength, TensorLike numParallelCalls,
        DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ParallelInterleaveDatasetV2", input, cycleLength, blockLength, numParallelCalls);
        return Def.CreateWithFunction(b, [b.Convert(input, "input_dataset"), b.Convert(cycleLength, "cycle_length", DType.int64),
            b.Convert(blockLength, "block_length", DType.int64), b.Convert(numParallelCalls, "num_parallel_calls", DType.int64)],
            f, types, shapes, new() { { Sloppy, false } });
    }
}
