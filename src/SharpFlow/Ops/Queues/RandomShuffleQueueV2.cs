using SharpFlow.Framework;
using SharpFlow.Ops.RandomOps;

namespace SharpFlow.Ops.Queues;

/// <summary>
/// RandomShuffleQueueV2: dequeues a random element (TensorFlow's Philox stream, seeded by <c>seed</c>/<c>seed2</c>),
/// keeping at least <c>min_after_dequeue</c> elements until the queue is closed.
/// </summary>
internal sealed class RandomShuffleQueueV2 : QueueCreationOp
{
    public static readonly RandomShuffleQueueV2 Def = new();

    private static readonly OpAttr<int> Capacity = new("capacity", -1);
    private static readonly OpAttr<int> MinAfterDequeue = new("min_after_dequeue", 0);
    private static readonly OpAttr<long> SeedAttr = new("seed", 0);
    private static readonly OpAttr<long> Seed2Attr = new("seed2", 0);

    public override string Type => "RandomShuffleQueueV2";

    public override string Kind => "RandomShuffleQueue";

    public override void InferShapes(InferenceContext ctx)
    {
        var capacity = Capacity.Of(ctx);
        var min = MinAfterDequeue.Of(ctx);
        if (min < 0) throw ctx.Error($"min_after_dequeue {min} must be >= 0");
        if (capacity >= 0 && min >= capacity)
            throw ctx.Error($"min_after_dequeue {min} must be < capacity {capacity}");
        base.InferShapes(ctx);
    }

    protected override QueueResource CreateQueue(Operation op, string name, int capacity, DType[] dtypes, Shape[] shapes) =>
        new(Kind, name, capacity, dtypes, shapes, MinAfterDequeue.Of(op), SeedAttr.Of(op), Seed2Attr.Of(op));

    /// <summary>The queue op (<c>tf.RandomShuffleQueue</c>'s <c>queue_ref</c>), seeded as TensorFlow's <c>get_seed</c>.</summary>
    public static Tensor Build(int capacity, int minAfterDequeue, DType[] dtypes, Shape[]? shapes, int? seed, string? sharedName, string? name)
    {
        var seeds = RandomSeed.GetSeed(Graph.get_default(), seed);
        return Def.Create(name, "random_shuffle_queue", capacity, dtypes, shapes, sharedName, new()
        {
            { MinAfterDequeue, minAfterDequeue },
            { SeedAttr, seeds.Seed },
            { Seed2Attr, seeds.Seed2 },
        });
    }
}
