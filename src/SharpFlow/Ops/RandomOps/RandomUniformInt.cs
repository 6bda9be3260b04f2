using SharpFlow.Framework;
using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// RandomUniformInt: integers uniform in [minval, maxval) (inputs <c>shape</c>, <c>minval</c>, <c>maxval</c>),
/// computed as <c>minval + word % (maxval - minval)</c> like TensorFlow.
/// </summary>
internal sealed class RandomUniformInt : OpDef
{
    public static readonly RandomUniformInt Def = new();
    private static readonly OpAttr<long> SeedAttr = new("seed", 0);
    private static readonly OpAttr<long> Seed2Attr = new("seed2", 0);
    internal static readonly OpAttr<DType> Tout = new("Tout");
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "RandomUniformInt";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(1);
        if (dtype != DType.int32 && dtype != DType.int64) throw ctx.TypeError($"minval must be int32 or int64, got {dtype.name}");
        if (ctx.InputDType(2) != dtype) throw ctx.TypeError($"maxval must have minval's dtype {dtype.name}, got {ctx.InputDType(2).name}");
        var (lo, hi) = (ctx.ConstantInput(1), ctx.ConstantInput(2));
        if (lo is not null && hi is not null && lo.item<long>() >= hi.item<long>())
            throw ctx.Error($"Need minval < maxval: {lo.item<long>()} >= {hi.item<long>()}");
        ctx.AddOutput(dtype, RandomOp.StaticShape(ctx, 0));
    }

    public override OpKernel CreateKernel(Operation op) => new Kernel(op);

    private sealed class Kernel(Operation op) : OpKernel
    {

        private readonly GuardedPhilox _generator = new(SeedAttr.Of(op), Seed2Attr.Of(op));

        internal override GuardedPhilox Generator => _generator;

        public override void Compute(OpKernelContext ctx)
        {
            var shape = Shape.FromValue(ctx.Input(0), "shape", ctx.InvalidArgumentOf);
            var (lo, hi) = (ctx.Input(1), ctx.Input(2));
            if (lo.size != 1 || hi.size != 1) throw ctx.InvalidArgument("minval and maxval must be scalars");
            var output = ctx.AllocateOutput(0, lo.dtype, shape);
            if (output.size == 0) return;
            if (lo.item<long>() >= hi.item<long>())
                throw ctx.InvalidArgument($"Need minval < maxval: {lo.item<long>()} >= {hi.item<long>()}");
            var gen = _generator.ReserveRandomOutputs((ulong)output.size);
            if (lo.dtype == DType.int32) Distributions.UniformInt32(gen, lo.item<int>(), hi.item<int>(), output.AsSpan<int>());
            else Distributions.UniformInt64(gen, lo.item<long>(), hi.item<long>(), output.AsSpan<long>());
        }
    }

    /// <summary>Creates the op with the given seeds.</summary>
    public Tensor Create(Tensor shape, Tensor minval, Tensor maxval, (long Seed, long Seed2) seeds, string? name = null)
    {
        using var b = OpBuilder.Begin(name, Type, shape, minval, maxval);
        return b.Create(this, [shape, minval, maxval],
            new() { { SeedAttr, seeds.Seed }, { Seed2Attr, seeds.Seed2 }, { Tout, minval.dtype }, { T, shape.dtype } }).outputs[0];
    }
}
