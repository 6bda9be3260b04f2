using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>RandomShuffle: a random permutation of a tensor along its first dimension (Fisher–Yates, as TensorFlow).</summary>
internal sealed class RandomShuffle : OpDef
{
    public static readonly RandomShuffle Def = new();
    private static readonly OpAttr<long> SeedAttr = new("seed", 0);
    private static readonly OpAttr<long> Seed2Attr = new("seed2", 0);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "RandomShuffle";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    // String filenames are shuffled by tf.train.string_input_producer.
    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => new Kernel(op);

    private sealed class Kernel(Operation op) : OpKernel
    {

        private readonly GuardedPhilox _generator = new(SeedAttr.Of(op), Seed2Attr.Of(op));

        internal override GuardedPhilox Generator => _generator;

        public override void Compute(OpKernelContext ctx)
        {
            var input = ctx.Input(0);
            if (input.ndim == 0 || input.shape[0] <= 1 || input.size <= 1)
            {
                ctx.ForwardOutput(0, input);
                return;
            }
            var rows = input.shape[0];
            var gen = _generator.ReserveSamples32((ulong)(rows - 1));
            var permutation = new int[rows];
            Distributions.ShufflePermutation(gen, permutation);
            if (input.Storage is byte[][] strings)
            {
                // References move as whole elements; the byte-wise gather is for unmanaged values only.
                var rowSize = strings.Length / rows;
                var shuffled = new byte[rows * rowSize][];
                for (var i = 0; i < rows; i++) System.Array.Copy(strings, permutation[i] * rowSize, shuffled, i * rowSize, rowSize);
                ctx.ForwardOutput(0, new NDArray(shuffled, input.shape));
                return;
            }
            DataMovement.GatherRows(input, permutation, ctx.AllocateOutput(0, input.dtype, input.shape));
        }
    }

    /// <summary><c>tf.random_shuffle(value, seed)</c>.</summary>
    public static Tensor Build(TensorLike value, int? seed = null, string? name = null)
    {
        var graph = OpBuilder.GraphOf([value]);
        var seeds = RandomSeed.GetSeed(graph, seed);
        using var b = OpBuilder.Begin(name, "RandomShuffle", value);
        var x = b.Convert(value, "value");
        return b.Create(Def, [x], new() { { SeedAttr, seeds.Seed }, { Seed2Attr, seeds.Seed2 }, { T, x.dtype } }).outputs[0];
    }
}
