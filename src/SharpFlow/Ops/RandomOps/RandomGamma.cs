using SharpFlow.Framework;
using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// RandomGamma: samples of Gamma(alpha, 1) for every alpha, output shape <c>shape + alpha.shape</c>.
/// <c>tf.random_gamma(shape, alpha, beta)</c> divides by the rate <c>beta</c> and clamps at the smallest normal
/// float, as TensorFlow 1.x does.
/// </summary>
internal sealed class RandomGamma : OpDef
{
    public static readonly RandomGamma Def = new();
    private static readonly OpAttr<long> SeedAttr = new("seed", 0);
    private static readonly OpAttr<long> Seed2Attr = new("seed2", 0);
    internal static readonly OpAttr<DType> S = new("S");
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "RandomGamma";

    // TensorFlow differentiates samples with respect to alpha (RandomGammaGrad); SharpFlow does not yet.
    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(1);
        if (!dtype.is_floating) throw ctx.TypeError($"alpha must be float32 or float64, got {dtype.name}");
        ctx.AddOutput(dtype, RandomOp.StaticShape(ctx, 0).Concatenate(ctx.InputShape(1)));
    }

    public override OpKernel CreateKernel(Operation op) => new Kernel(op);

    private sealed class Kernel(Operation op) : OpKernel
    {

        private readonly GuardedPhilox _generator = new(SeedAttr.Of(op), Seed2Attr.Of(op));

        internal override GuardedPhilox Generator => _generator;

        public override void Compute(OpKernelContext ctx)
        {
            var samplesShape = Shape.FromValue(ctx.Input(0), "shape", ctx.InvalidArgumentOf);
            var alpha = ctx.Input(1);
            var output = ctx.AllocateOutput(0, alpha.dtype, samplesShape.Concatenate(alpha.shape));
            var samplesPerAlpha = (int)samplesShape.NumElements;
            if (output.size == 0) return;
            var alphas = alpha.ToArray<double>();
            var rng = _generator.ReserveRandomOutputs((ulong)samplesPerAlpha * (ulong)alphas.Length);
            var result = new double[output.size];
            Distributions.Gamma(rng, alphas, samplesPerAlpha, result);
            if (output.dtype == DType.float64) result.CopyTo(output.AsSpan<double>());
            else
            {
                var o = output.AsSpan<float>();
                for (var i = 0; i < o.Length; i++) o[i] = (float)result[i];
            }
        }
    }

    /// <summary><c>tf.random_gamma(shape, alpha, beta, dtype, seed)</c>; beta is a rate (1 by default).</summary>
    public static Tensor Build(ShapeInput shape, TensorLike alpha, TensorLike? beta = null, DType? dtype = null, int? seed = null, string? name = null)
    {
        var type = dtype ?? DType.float32;
        if (!type.is_floating) throw new ValueError($"Invalid dtype {type.Repr}: random_gamma needs float32 or float64.");
        using var b = OpBuilder.Begin(name, "random_gamma", alpha, beta ?? default);
        var shapeTensor = shape.ToTensor(b.Graph);
        var alphaTensor = b.Convert(alpha, "alpha", alpha.Value is Tensor ? null : type);
        var betaTensor = b.Convert(beta ?? 1, "beta", beta?.Value is Tensor ? null : type);
        var alphaBroadcast = MathOps.Add.Build(alphaTensor, ArrayOps.ZerosLike.Def.Apply(betaTensor, null, optimize: true, null), "add");
        var seeds = RandomSeed.GetSeed(b.Graph, seed);
        var sample = b.Graph.CreateOp(Def, "RandomGamma", [shapeTensor, alphaBroadcast],
            new Dictionary<string, object> { { SeedAttr, seeds.Seed }, { Seed2Attr, seeds.Seed2 }, { S, shapeTensor.dtype }, { T, type } }).outputs[0];
        var scaled = MathOps.RealDiv.TrueDiv(sample, betaTensor);
        // np.finfo(dtype).tiny: the smallest positive normal number, so a sample is never 0.
        var tiny = type == DType.float32 ? BitConverter.Int32BitsToSingle(0x00800000) : BitConverter.Int64BitsToDouble(0x0010000000000000);
        return MathOps.Maximum.Build(ArrayOps.Const.Create(b.Graph, Literal.ToNDArray(tiny, type), "Maximum/x"), scaled);
    }
}
