using SharpFlow.Framework;
using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// The candidate samplers (TensorFlow's <c>candidate_sampler_ops.cc</c>): from <c>true_classes</c> (int64,
/// <c>[batch, num_true]</c>) they draw <c>num_sampled</c> classes in <c>[0, range_max)</c> (distinct when
/// <c>unique</c>) and give the expected count of each true and sampled class. Seeded as TensorFlow's random ops and
/// drawing the same Philox words, so a seeded sampler gives TensorFlow's candidates.
/// </summary>
internal abstract class CandidateSamplerOp : OpDef
{
    private static readonly OpAttr<long> NumTrue = new("num_true");
    private static readonly OpAttr<long> NumSampled = new("num_sampled");
    private static readonly OpAttr<long> RangeMax = new("range_max");
    private static readonly OpAttr<long> SeedAttr = new("seed");
    private static readonly OpAttr<long> Seed2Attr = new("seed2");
    private static readonly OpAttr<bool> Unique = new("unique");

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    /// <summary>The sampler over <paramref name="rangeMax"/> classes.</summary>
    protected abstract RangeSampler CreateSampler(long rangeMax);

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.int64) throw ctx.TypeError($"true_classes must be int64, got {ctx.InputDType(0).name}");
        var (numTrue, numSampled, rangeMax) = (NumTrue.Of(ctx), NumSampled.Of(ctx), RangeMax.Of(ctx));
        if (numTrue < 1) throw ctx.Error($"num_true must be at least 1, got {numTrue}");
        if (numSampled < 1) throw ctx.Error($"num_sampled must be at least 1, got {numSampled}");
        if (rangeMax < 1) throw ctx.Error($"range_max must be at least 1, got {rangeMax}");
        var trueClasses = ctx.InputShape(0);
        if (trueClasses.IsKnownRank && trueClasses.ndims != 2) throw ctx.Error($"Shape must be rank 2 but is rank {trueClasses.ndims} for true_classes");
        ctx.AddOutput(DType.int64, new Shape((int)numSampled));
        ctx.AddOutput(DType.float32, new Shape(trueClasses.IsKnownRank ? trueClasses[0] : -1, (int)numTrue));
        ctx.AddOutput(DType.float32, new Shape((int)numSampled));
    }

    public override OpKernel CreateKernel(Operation op) => new Kernel(op, CreateSampler(RangeMax.Of(op)));

    private sealed class Kernel(Operation op, RangeSampler sampler) : OpKernel
    {

        private readonly GuardedPhilox _generator = new(SeedAttr.Of(op), Seed2Attr.Of(op));
        private readonly int _numTrue = (int)NumTrue.Of(op);
        private readonly int _numSampled = (int)NumSampled.Of(op);
        private readonly bool _unique = Unique.Of(op);

        internal override GuardedPhilox Generator => _generator;

        public override void Compute(OpKernelContext ctx)
        {
            var trueClasses = ctx.Input(0);
            if (trueClasses.ndim != 2) throw ctx.InvalidArgument("true_classes must be a matrix");
            if (trueClasses.shape[1] != _numTrue)
                throw ctx.InvalidArgument($"true_classes must have num_true columns, expected: {trueClasses.shape[1]} was: {_numTrue}");
            if (_unique && _numSampled > sampler.Range) throw ctx.InvalidArgument("Sampler's range is too small.");
            var candidates = ctx.AllocateUninitializedOutput(0, DType.int64, new Shape(_numSampled));
            var trueExpected = ctx.AllocateUninitializedOutput(1, DType.float32, new Shape(trueClasses.shape[0], _numTrue));
            var sampledExpected = ctx.AllocateUninitializedOutput(2, DType.float32, new Shape(_numSampled));
            // TensorFlow reserves 2048 words per sampled class, a conservative bound for rejection sampling.
            var random = new SimplePhilox(_generator.ReserveSamples32(2048UL * (ulong)_numSampled));
            sampler.SampleBatchGetExpectedCount(ref random, _unique, candidates.AsSpan<long>(), sampledExpected.AsSpan<float>(),
                trueClasses.AsReadOnlySpan<long>(), trueExpected.AsSpan<float>());
        }
    }

    /// <summary>Builds the sampler op: (sampled_candidates, true_expected_count, sampled_expected_count).</summary>
    protected (Tensor sampled_candidates, Tensor true_expected_count, Tensor sampled_expected_count) Create(string opName,
        TensorLike trueClasses, int numTrue, int numSampled, bool unique, long rangeMax, int? seed, string? name)
    {
        var graph = OpBuilder.GraphOf([trueClasses]);
        var seeds = RandomSeed.GetSeed(graph, seed);
        using var b = OpBuilder.Begin(name, opName, trueClasses);
        var classes = b.Convert(trueClasses, "true_classes", DType.int64);
        var op = b.Create(this, [classes], new()
        {
            { NumTrue, (long)numTrue }, { NumSampled, (long)numSampled }, { Unique, unique }, { RangeMax, rangeMax },
            { SeedAttr, seeds.Seed }, { Seed2Attr, seeds.Seed2 },
        });
        return (op.outputs[0], op.outputs[1], op.outputs[2]);
    }
}
