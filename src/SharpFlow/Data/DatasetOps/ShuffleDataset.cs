using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>ShuffleDataset: <c>shuffle(buffer_size, seed, reshuffle_each_iteration)</c> with TensorFlow's buffer algorithm.</summary>
internal sealed class ShuffleDataset : DatasetOp
{
    public static readonly ShuffleDataset Def = new();

    private static readonly OpAttr<bool> ReshuffleEachIteration = new("reshuffle_each_iteration", true);

    public override string Type => "ShuffleDataset";

    protected override void Check(InferenceContext ctx)
    {
        CheckDataset(ctx, 0, "input_dataset");
        CheckScalar(ctx, 1, "buffer_size", DType.int64);
        CheckScalar(ctx, 2, "seed", DType.int64);
        CheckScalar(ctx, 3, "seed2", DType.int64);
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var bufferSize = Int64(ctx, 1, "buffer_size");
        if (bufferSize <= 0) throw ctx.InvalidArgument("buffer_size must be greater than zero.");
        return new Data.Pipeline.ShuffleDataset(InputDataset(ctx, 0), bufferSize, Int64(ctx, 2, "seed"), Int64(ctx, 3, "seed2"),
            ReshuffleEachIteration.Of(op));
    }

    /// <summary>The shuffled dataset with the seed pair of TensorFlow's <c>random_seed.get_seed</c>.</summary>
    public static Tensor Build(Tensor input, TensorLike bufferSize, int? seed, bool reshuffle, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ShuffleDataset", input, bufferSize);
        var (s1, s2) = Ops.RandomOps.RandomSeed.GetSeed(b.Graph, seed);
        return Def.Create(b, [b.Convert(input, "input_dataset"), b.Convert(bufferSize, "buffer_size", DType.int64),
            b.Convert(s1, "seed", DType.int64), b.Convert(s2, "seed2", DType.int64)], types, shapes,
            new() { { ReshuffleEachIteration, reshuffle } });
    }
}
