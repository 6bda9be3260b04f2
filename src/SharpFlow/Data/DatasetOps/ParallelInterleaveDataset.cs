using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// ParallelInterleaveDataset: <c>tf.data.experimental.parallel_interleave(map_func, cycle_length, block_length,
/// sloppy, buffer_output_elements, prefetch_input_elements)</c>; the nested datasets are read on background threads,
/// in <c>InterleaveDataset</c>'s order unless <c>sloppy</c>.
/// </summary>
internal sealed class ParallelInterleaveDataset : FunctionDatasetOp
{
    public static readonly ParallelInterleaveDataset Def = new();

    public override string Type => "ParallelInterleaveDataset";

    protected override int FixedInputs => 6;

    protected override void CheckFixed(InferenceContext ctx, Func<int, int> index)
    {
        CheckScalar(ctx, index(1), "cycle_length", DType.int64);
        CheckScalar(ctx, index(2), "block_length", DType.int64);
        CheckScalar(ctx, index(3), "sloppy", DType.@bool);
        CheckScalar(ctx, index(4), "buffer_output_elements", DType.int64);
        CheckScalar(ctx, index(5), "prefetch_input_elements", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op, DatasetFunction.Instance f, Func<int, int> index)
    {
        var cycle = Int64(ctx, index(1), "cycle_length");
        if (cycle <= 0) throw ctx.InvalidArgument("`cycle_length` must be > 0");
        var block = Int64(ctx, index(2), "block_length");
        if (block <= 0) throw ctx.InvalidArgument("`block_length` must be > 0");
        var sloppy = ctx.Input(index(3)).AsSpan<bool>()[0];
        var buffer = Int64(ctx, index(4), "buffer_output_elements");
        if (buffer <= 0) throw ctx.InvalidArgument("`buffer_output_elements` must be > 0");
        var prefetch = Int64(ctx, index(5), "prefetch_input_elements");
        if (prefetch < 0) throw ctx.InvalidArgument("`prefetch_input_elements` must be >= 0");
        return new Data.Pipeline.ParallelInterleaveDataset(InputDataset(ctx, 0), f, cycle, block, sloppy, buffer, prefetch, 0, Types(op), Shapes(op), op.name);
    }

    /// <summary>The interleaved dataset.</summary>
    public static Tensor Build(Tensor input, TracedFunction f, TensorLike cycleLength, TensorLike blockLength, TensorLike sloppy,
        TensorLike bufferOutputElements, TensorLike prefetchInputElements, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ParallelInterleaveDataset", input, cycleLength, blockLength, sloppy, bufferOutputElements, prefetchInputElements);
        return Def.CreateWithFunction(b, [b.Convert(input, "input_dataset"), b.Convert(cycleLength, "cycle_length", DType.int64),
            b.Convert(blockLength, "block_length", DType.int64), b.Convert(sloppy, "sloppy", DType.@bool),
            b.Convert(bufferOutputElements, "buffer_output_elements", DType.int64),
            b.Convert(prefetchInputElements, "prefetch_input_elements", DType.int64)], f, types, shapes);
    }
}
