using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Pad: surrounds the input with zeros; <c>paddings</c> is an <c>[rank, 2]</c> integer matrix of the counts
/// before and after each axis (<c>tf.pad</c> in CONSTANT mode with value 0).
/// </summary>
internal sealed class Pad : OpDef
{
    public static readonly Pad Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tpaddings = new("Tpaddings", DType.int32);

    public override string Type => "Pad";

    public override void InferShapes(InferenceContext ctx)
    {
        if (!ctx.InputDType(1).is_integer) throw ctx.TypeError($"paddings must be int32 or int64, got {ctx.InputDType(1).name}");
        var input = ctx.InputShape(0);
        var ps = ctx.InputShape(1);
        if (ps.IsKnownRank && (ps.ndims != 2 || (ps[1] >= 0 && ps[1] != 2)))
            throw ctx.Error($"paddings must be a matrix with 2 columns, got shape {ps.ToListString()}");
        if (input.IsKnownRank && ps.IsKnownRank && ps[0] >= 0 && ps[0] != input.ndims)
            throw ctx.Error($"The first dimension of paddings must be the rank of inputs [{ps[0]},2] vs. rank {input.ndims}");
        var p = ctx.ConstantInput(1);
        var rank = input.IsKnownRank ? input.ndims : ps.IsFullyDefined ? ps[0] : -1;
        if (rank < 0) { ctx.AddOutput(ctx.InputDType(0), Shape.Unknown); return; }
        var pads = p?.ToArray<long>();
        var dims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            if (pads is not null && (pads[2 * i] < 0 || pads[2 * i + 1] < 0)) throw ctx.Error($"Paddings must be non-negative: {pads[2 * i]} {pads[2 * i + 1]}");
            dims[i] = pads is null || !input.IsKnownRank || input[i] < 0 ? -1 : checked((int)(input[i] + pads[2 * i] + pads[2 * i + 1]));
        }
        ctx.AddOutput(ctx.InputDType(0), new Shape(dims));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var p = ctx.Input(1);
        if (p.ndim != 2 || p.shape[0] != x.ndim || p.shape[1] != 2)
            throw ctx.InvalidArgument($"paddings must be a matrix of shape [{x.ndim},2], got {p.shape.ToListString()}");
        var pads = p.ToArray<long>();
        var dims = new int[x.ndim];
        for (var i = 0; i < x.ndim; i++)
        {
            if (pads[2 * i] < 0 || pads[2 * i + 1] < 0) throw ctx.InvalidArgument($"Paddings must be non-negative: {pads[2 * i]} {pads[2 * i + 1]}");
            dims[i] = checked((int)(x.shape[i] + pads[2 * i] + pads[2 * i + 1]));
        }
        var y = ctx.AllocateOutput(0, x.dtype, Shape.Own(dims));
        var yStrides = DataMovement.Strides(dims);
        var offset = 0L;
        for (var i = 0; i < x.ndim; i++) offset += pads[2 * i] * yStrides[i];
        DataMovement.StridedCopy(x, 0, DataMovement.Strides(x.shape.AsSpan()), y, (int)offset, yStrides, x.shape.AsSpan());
    });

    /// <summary>The gradient is the block of the output gradient where the input sits (TensorFlow's <c>_PadGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, paddings) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var before = Reshape.Build(Slice.Build(paddings, Literal.ToNDArray(new long[] { 0, 0 }, paddings.dtype), Literal.ToNDArray(new long[] { -1, 1 }, paddings.dtype)), new[] { -1 });
        var size = Shapes.Of(x);
        return [Slice.Build(g, before, paddings.dtype == DType.int32 ? size : MathOps.Cast.Build(size, paddings.dtype)), null];
    }

    /// <summary><c>tf.pad(tensor, paddings)</c> with zeros.</summary>
    public static Tensor Build(TensorLike tensor, TensorLike paddings, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Pad", tensor, paddings);
        var x = b.Convert(tensor, "input");
        var p = b.Convert(paddings, "paddings");
        return b.Create(Def, [x, p], new() { { T, x.dtype }, { Tpaddings, p.dtype } }).outputs[0];
    }
}
