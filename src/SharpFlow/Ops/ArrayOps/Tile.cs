using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Tile (<c>tf.tile</c>): the input repeated <c>multiples[i]</c> times along each dimension i.</summary>
internal sealed class Tile : OpDef
{
    public static readonly Tile Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tmultiples = new("Tmultiples", DType.int32);

    public override string Type => "Tile";

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(1) != DType.int32 && ctx.InputDType(1) != DType.int64) throw ctx.TypeError($"multiples must be int32 or int64, got {ctx.InputDType(1).name}");
        var input = ctx.InputShape(0);
        var ms = ctx.InputShape(1);
        if (ms.IsKnownRank && ms.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {ms.ndims} for multiples ({ms.ToListString()})");
        if (input.IsKnownRank && ms.IsKnownRank && ms[0] >= 0 && ms[0] != input.ndims)
            throw ctx.Error($"Shape must be rank {ms[0]} but is rank {input.ndims}: multiples has {ms[0]} entries for an input of shape {input.ToListString()}");
        var multiples = ctx.ConstantInput(1) is { } m ? CheckMultiples(m.ToArray<long>(), e => ctx.Error(e)) : null;
        var rank = input.IsKnownRank ? input.ndims : ms.IsKnownRank && ms[0] >= 0 ? ms[0] : -1;
        if (rank < 0) { ctx.AddOutput(ctx.InputDType(0), Shape.Unknown); return; }
        var partial = multiples is null ? ctx.ShapeFromInput(1) : null;
        var dims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var d = input.IsKnownRank ? input[i] : -1;
            long k = multiples is not null ? multiples[i] : partial!.IsKnownRank ? partial[i] : -1;
            dims[i] = d < 0 || k < 0 ? (d == 0 || k == 0 ? 0 : -1) : checked((int)(d * k));
        }
        ctx.AddOutput(ctx.InputDType(0), Shape.Own(dims));
    }

    private static long[] CheckMultiples(long[] multiples, Func<string, Exception> error)
    {
        for (var i = 0; i < multiples.Length; i++)
            if (multiples[i] < 0) throw error($"Expected multiples[{i}] >= 0, but got {multiples[i]}");
        return multiples;
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var mv = ctx.Input(1);
        if (mv.ndim != 1 || mv.size != x.ndim)
            throw ctx.InvalidArgument($"Expected multiples argument to be a vector of length {x.ndim} but got length {(mv.ndim == 1 ? mv.size : mv.shape.ToListString())}");
        var multiples = CheckMultiples(mv.ToArray<long>(), ctx.InvalidArgumentOf);
        var rank = x.ndim;
        var dims = new int[rank];
        for (var i = 0; i < rank; i++) dims[i] = checked((int)(x.shape[i] * multiples[i]));
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Shape.Own(dims));
        if (rank == 0) { DataMovement.StridedCopy(x, 0, [], y, 0, [], []); return; }
        // The output seen as [m0, d0, m1, d1, ...]: the repeat index reads the input with stride 0.
        var inStrides = DataMovement.Strides(x.shape.AsSpan());
        var outStrides = DataMovement.Strides(dims);
        var walkShape = new int[2 * rank];
        var src = new int[2 * rank];
        var dst = new int[2 * rank];
        for (var i = 0; i < rank; i++)
        {
            walkShape[2 * i] = (int)multiples[i];
            walkShape[2 * i + 1] = x.shape[i];
            src[2 * i] = 0;
            src[2 * i + 1] = inStrides[i];
            dst[2 * i] = x.shape[i] * outStrides[i];
            dst[2 * i + 1] = outStrides[i];
        }
        DataMovement.StridedCopy(x, 0, src, y, 0, dst, walkShape);
    });

    /// <summary>
    /// TensorFlow's <c>_TileGrad</c>: the gradient reshaped to <c>[m0, d0, m1, d1, ...]</c> and summed over the
    /// repeat axes 0, 2, 4, ...
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, multiples) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var inputShape = Shape_.Build(x, multiples.dtype);
        var splitShape = Reshape.Build(Transpose.Build(Pack.Build([multiples, inputShape])), new[] { -1 });
        Tensor axes = x.shape.IsKnownRank
            ? Shapes.Const(op.graph, Enumerable.Range(0, x.shape.ndims).Select(i => 2 * i).ToArray(), "axes")
            : Range.Build(0, Size.Build(splitShape), 2);
        var dx = Sum.Build(Reshape.Build(g, splitShape), axes);
        dx.SetShape(x.shape);
        return [dx, null];
    }

    /// <summary><c>tf.tile(input, multiples)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike multiples, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Tile", input, multiples);
        var x = b.Convert(input, "input");
        var m = b.Convert(multiples, "multiples");
        return b.Create(Def, [x, m], new() { { T, x.dtype }, { Tmultiples, m.dtype } }).outputs[0];
    }
}
