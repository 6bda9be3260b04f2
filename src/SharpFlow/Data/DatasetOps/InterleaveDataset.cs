using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>InterleaveDataset: <c>interleave(f, cycle_length, block_length)</c> in TensorFlow's order.</summary>
internal sealed class InterleaveDataset : FunctionDatasetOp
{
    public static readonly InterleaveDataset Def = new();

    public override string Type => "InterleaveDataset";

    protected override int FixedInputs => 3;

    protected override void CheckFixed(InferenceContext ctx, Func<int, int> index)
    {
        CheckScalar(ctx, index(1), "cycle_length", DType.int64);
        CheckScalar(ctx, index(2), "block_length", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op, DatasetFunction.Instance f, Func<int, int> index)
    {
        var cycle = Int64(ctx, index(1), "cycle_length");
        if (cycle <= 0) throw ctx.InvalidArgument("cycle_length must be greater than zero.");
        var block = Int64(ctx, index(2), "block_length");
        if (block <= 0) throw ctx.InvalidArgument("block_length must be greater than zero.");
        return new Data.Pipeline.InterleaveDataset(InputDataset(ctx, 0), f, cycle, block, Types(op), Shapes(op), op.name);
    }

    /// <summary>The interleaved dataset.</summary>
    public static Tensor Build(Tensor input, TracedFunction f, TensorLike cycleLength, TensorLike blockLength, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "InterleaveDataset", input, cycleLength, blockLength);
        return Def.CreateWithFunction(b, [b.Convert(input, "input_dataset"), b.Convert(cycleLength, "cycle_length", DType.int64),
            b.Convert(blockLength, "block_length", DType.int64)], f, types, shapes);
    }
}
