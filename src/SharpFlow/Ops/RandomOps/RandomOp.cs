using SharpFlow.Framework;
using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// The shared rule of the shape-driven random ops (RandomStandardNormal, TruncatedNormal, RandomUniform): input
/// <c>shape</c> (an int32 vector), attributes <c>dtype</c>, <c>seed</c>, <c>seed2</c>. Each session's kernel owns
/// a Philox generator seeded from the attributes and reserves 256 blocks per output value on every run, as
/// TensorFlow does, so the numbers match TensorFlow's and each run draws new ones.
/// </summary>
internal abstract class RandomOp : OpDef
{
    private static readonly OpAttr<DType> Dtype = new("dtype");
    private static readonly OpAttr<long> SeedAttr = new("seed");
    private static readonly OpAttr<long> Seed2Attr = new("seed2");
    internal static readonly OpAttr<DType> T = new("T");

    public override bool IsStateful => true;

    /// <summary>Fills <paramref name="output"/> from a generator reserved for this run.</summary>
    protected abstract void Fill(Philox generator, NDArray output);

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = Dtype.Of(ctx);
        if (!dtype.is_floating) throw ctx.TypeError($"dtype must be float32 or float64, got {dtype.name}");
        ctx.AddOutput(dtype, StaticShape(ctx, 0));
    }

    /// <summary>The static output shape from a shape input (known when the input is constant).</summary>
    internal static Shape StaticShape(InferenceContext ctx, int index)
    {
        if (!ctx.InputDType(index).is_integer) throw ctx.TypeError($"shape must be int32 or int64, got {ctx.InputDType(index).name}");
        return ctx.ShapeFromInput(index);
    }

    public override OpKernel CreateKernel(Operation op) => new Kernel(this, op);

    private sealed class Kernel(RandomOp def, Operation op) : OpKernel
    {

        private readonly GuardedPhilox _generator = new(SeedAttr.Of(op), Seed2Attr.Of(op));

        internal override GuardedPhilox Generator => _generator;
        private readonly DType _dtype = Dtype.Of(op);

        public override void Compute(OpKernelContext ctx)
        {
            var shape = Shape.FromValue(ctx.Input(0), "shape", ctx.InvalidArgumentOf);
            var output = ctx.AllocateOutput(0, _dtype, shape);
            def.Fill(_generator.ReserveRandomOutputs((ulong)output.size), output);
        }
    }

    /// <summary>Creates the op in the current scope with the given seeds.</summary>
    public Tensor Create(Tensor shape, DType dtype, (long Seed, long Seed2) seeds, string? name = null)
    {
        using var b = OpBuilder.Begin(name, Type, shape);
        return b.Create(this, [shape], new() { { Dtype, dtype }, { SeedAttr, seeds.Seed }, { Seed2Attr, seeds.Seed2 }, { T, shape.dtype } }).outputs[0];
    }

    /// <summary>
    /// The composite TensorFlow builds for <c>tf.random_normal</c> and <c>tf.truncated_normal</c>:
    /// constants <c>shape</c>, <c>mean</c>, <c>stddev</c>, then the seeds, the sample, <c>mul</c> and the final add.
    /// </summary>
    public Tensor ScaledSample(ShapeInput shape, TensorLike mean, TensorLike stddev, DType dtype, int? seed, string? name, string defaultName)
    {
        if (!dtype.is_floating) throw new ValueError($"Invalid dtype {dtype.Repr}: {defaultName} needs float32 or float64.");
        using var b = OpBuilder.Begin(name, defaultName, mean, stddev);
        var shapeTensor = shape.ToTensor(b.Graph);
        var meanTensor = b.Convert(mean, "mean", mean.Value is Tensor ? null : dtype);
        var stddevTensor = b.Convert(stddev, "stddev", stddev.Value is Tensor ? null : dtype);
        var seeds = RandomSeed.GetSeed(b.Graph, seed);
        var rnd = Create(shapeTensor, dtype, seeds);
        var mul = MathOps.Mul.Build(rnd, stddevTensor, "mul");
        return MathOps.Add.Build(mul, meanTensor, b.Scope);
    }

}
