using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>SplitV (<c>tf.split</c> with sizes): pieces of the given sizes along <c>split_dim</c>; one size may be -1 (the rest).</summary>
internal sealed class SplitV : OpDef
{
    public static readonly SplitV Def = new();

    private static readonly OpAttr<long> NumSplit = new("num_split");
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tlen = new("Tlen", DType.int64);

    public override string Type => "SplitV";

    public override void InferShapes(InferenceContext ctx)
    {
        var n = (int)NumSplit.Of(ctx);
        if (!ctx.InputDType(1).is_integer || ctx.InputDType(1) == DType.uint8) throw ctx.TypeError($"size_splits must be int32 or int64, got {ctx.InputDType(1).name}");
        if (ctx.InputDType(2) != DType.int32) throw ctx.TypeError($"split_dim must be int32, got {ctx.InputDType(2).name}");
        var input = ctx.InputShape(0);
        var sizes = ctx.ConstantInput(1);
        var axisValue = ctx.ConstantInput(2);
        if (sizes is not null && sizes.size != n)
            throw ctx.Error($"Length of size_splits should be equal to num_split ({n}), got {sizes.size}");
        if (!input.IsKnownRank || axisValue is null || sizes is null)
        {
            var unknown = input.IsKnownRank ? Shape.UnknownDims(input.ndims) : Shape.Unknown;
            for (var i = 0; i < n; i++) ctx.AddOutput(ctx.InputDType(0), unknown);
            return;
        }
        var axis = Split.Axis(axisValue, input.ndims, m => ctx.Error(m));
        var resolved = Resolve(sizes.ToArray<long>(), input[axis], m => ctx.Error(m));
        for (var i = 0; i < n; i++)
        {
            var dims = input.Dims;
            dims[axis] = (int)resolved[i];
            ctx.AddOutput(ctx.InputDType(0), Shape.Own(dims));
        }
    }

    /// <summary>Replaces the -1 entry by what the others leave of <paramref name="size"/> (-1: unknown), with TensorFlow's checks.</summary>
    private static long[] Resolve(long[] sizes, long size, Func<string, Exception> error)
    {
        var result = (long[])sizes.Clone();
        var neg = -1;
        long total = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] == -1)
            {
                if (neg >= 0) throw error($"Only one dimensions can have a value of -1. Second one found at dimension {i}");
                neg = i;
            }
            else if (sizes[i] < 0) throw error($"Split size at index {i} must be >= 0. Got: {sizes[i]}");
            else total += sizes[i];
        }
        if (size < 0)
        {
            if (neg >= 0) result[neg] = -1;
            return result;
        }
        if ((neg < 0 && total != size) || (neg >= 0 && total > size))
            throw error("Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified.  " +
                        $"Got: {total}");
        if (neg >= 0) result[neg] = size - total;
        return result;
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var axis = Split.Axis(ctx.Input(2), x.ndim, ctx.InvalidArgumentOf);
        var sizes = ctx.Input(1).ToArray<long>();
        var n = (int)NumSplit.Of(op);
        if (sizes.Length != n) throw ctx.InvalidArgument($"Length of size_splits should be equal to num_split ({n}), got {sizes.Length}");
        var resolved = Resolve(sizes, x.shape[axis], ctx.InvalidArgumentOf);
        Split.WritePieces(ctx, x, axis, System.Array.ConvertAll(resolved, s => (int)s));
    });

    /// <summary>TensorFlow's <c>_SplitVGrad</c>: the pieces' gradients concatenated along the axis.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [ConcatV2.Build(Split.FillMissing(op, grads), op.inputs[2]), null, null];

    /// <summary><c>tf.split(value, size_splits, axis, num)</c>; <paramref name="num"/> defaults to the number of sizes.</summary>
    public static Tensor[] Build(TensorLike value, TensorLike sizeSplits, TensorLike axis, int? num = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "split", value, sizeSplits, axis);
        var x = b.Convert(value, "value");
        var sizes = b.Convert(sizeSplits, "size_splits");
        var a = b.Convert(axis, "split_dim", DType.int32);
        if (num is null)
        {
            var s = sizes.shape;
            if (!s.IsKnownRank || s.ndims != 1 || s[0] < 0) throw new ValueError($"Cannot infer num from shape {sizeSplits}");
            num = s[0];
        }
        return [.. b.Create(Def, [x, sizes, a], new() { { T, x.dtype }, { Tlen, sizes.dtype }, { NumSplit, (long)num.Value } }).outputs];
    }
}
