using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Slice: the block of <c>input</c> starting at <c>begin</c> with extent <c>size</c> (<c>-1</c> takes the rest of
/// an axis), as <c>tf.slice</c>.
/// </summary>
internal sealed class Slice : OpDef
{
    public static readonly Slice Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Index = new("Index");

    public override string Type => "Slice";

    public override void InferShapes(InferenceContext ctx)
    {
        var input = ctx.InputShape(0);
        if (!ctx.InputDType(1).is_integer || ctx.InputDType(1) != ctx.InputDType(2))
            throw ctx.TypeError("begin and size must be integer vectors of one dtype");
        var begin = ctx.ConstantInput(1);
        var size = ctx.ConstantInput(2);
        var rank = input.IsKnownRank ? input.ndims : ctx.InputShape(1).IsFullyDefined && ctx.InputShape(1).ndims == 1 ? ctx.InputShape(1)[0] : -1;
        if (rank < 0) { ctx.AddOutput(ctx.InputDType(0), Shape.Unknown); return; }
        var dims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            long? b = begin is null ? null : begin.ToArray<long>()[i];
            long? s = size is null ? null : size.ToArray<long>()[i];
            var d = input.IsKnownRank ? input[i] : -1;
            if (s is >= 0) dims[i] = (int)s.Value;
            else if (s == -1 && b is { } bv && d >= 0) dims[i] = (int)(d - bv);
            else dims[i] = -1;
            if (b is { } b2 && d >= 0 && dims[i] >= 0 && (b2 < 0 || b2 + dims[i] > d))
                throw ctx.Error($"Expected begin[{i}] in [0, {d}] and size[{i}] in [0, {d - b2}], got begin {b2} and size {s}");
        }
        ctx.AddOutput(ctx.InputDType(0), new Shape(dims));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var begin = ctx.Input(1).ToArray<long>();
        var size = ctx.Input(2).ToArray<long>();
        if (begin.Length != x.ndim || size.Length != x.ndim)
            throw ctx.InvalidArgument($"Expected begin and size arguments to be 1-D tensors of size {x.ndim}, but got shapes [{begin.Length}] and [{size.Length}] instead.");
        var dims = new int[x.ndim];
        var offset = 0L;
        var strides = DataMovement.Strides(x.shape.AsSpan());
        for (var i = 0; i < x.ndim; i++)
        {
            var s = size[i] == -1 ? x.shape[i] - begin[i] : size[i];
            if (begin[i] < 0 || s < 0 || begin[i] + s > x.shape[i])
                throw ctx.InvalidArgument($"Expected begin[{i}] in [0, {x.shape[i]}] and size[{i}] in [0, {x.shape[i] - begin[i]}], but got {begin[i]} and {size[i]}");
            dims[i] = (int)s;
            offset += begin[i] * strides[i];
        }
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Shape.Own(dims));
        DataMovement.StridedCopy(x, (int)offset, strides, y, 0, DataMovement.Strides(dims), dims);
    });

    /// <summary>
    /// The gradient is padded with zeros back to the input's shape (TensorFlow's <c>_SliceGrad</c>): before each
    /// axis by <c>begin</c>, after it by what remains.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, begin) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var begin32 = begin.dtype == DType.int32 ? begin : Cast.Build(begin, DType.int32);
        var after = Sub.Build(Sub.Build(Shapes.Of(x), begin32), Shapes.Of(g));
        var column = new[] { -1, 1 };
        var paddings = ConcatV2.Build([Reshape.Build(begin32, column), Reshape.Build(after, column)], 1);
        return [Pad.Build(g, paddings), null, null];
    }

    /// <summary><c>tf.slice(input, begin, size)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike begin, TensorLike size, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Slice", input, begin, size);
        var x = b.Convert(input, "input");
        var idx = b.SameType("Slice", [begin, size], ["begin", "size"]);
        return b.Create(Def, [x, idx[0], idx[1]], new() { { T, x.dtype }, { Index, idx[0].dtype } }).outputs[0];
    }
}
