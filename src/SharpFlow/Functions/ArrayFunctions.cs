using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Functions;

/// <summary>
/// The array functions TensorFlow's Python composes from other ops: <c>tf.boolean_mask</c>, <c>tf.sequence_mask</c>,
/// <c>tf.meshgrid</c>, <c>tf.space_to_batch</c>/<c>tf.batch_to_space</c> and <c>tf.convert_to_tensor</c>.
/// </summary>
internal static class ArrayFunctions
{
    /// <summary>
    /// <c>tf.boolean_mask(tensor, mask, axis)</c>: the dimensions <c>axis .. axis + mask.rank</c> flattened into one
    /// and the entries where the (flattened) mask is true gathered, as TensorFlow's Python does it.
    /// </summary>
    public static Tensor BooleanMask(TensorLike tensor, TensorLike mask, string? name, int? axis)
    {
        using var b = OpBuilder.Begin(name, "boolean_mask", tensor, mask);
        var t = b.Convert(tensor, "tensor");
        var m = b.Convert(mask, "mask");
        var maskShape = m.shape;
        if (maskShape.IsKnownRank && maskShape.ndims == 0) throw new ValueError("mask cannot be scalar.");
        if (!maskShape.IsKnownRank)
            throw new ValueError("Number of mask dimensions must be specified, even if some dimensions are None.  E.g. shape=[None] is ok, but shape=None is not.");
        var a = axis ?? 0;
        var n = maskShape.ndims;
        var tensorShape = t.shape;
        if (tensorShape.IsKnownRank)
        {
            if (a < 0 || a + n > tensorShape.ndims || !new Shape(tensorShape.Dims[a..(a + n)]).IsCompatibleWith(maskShape))
                throw new ValueError($"Shapes {(a >= 0 && a <= tensorShape.ndims ? new Shape(tensorShape.Dims[a..System.Math.Min(a + n, tensorShape.ndims)]) : tensorShape)} and {maskShape} are incompatible");
        }
        var shape = Shape_.Build(t);
        var leading = Prod.Build(shape[a..(a + n)], new[] { 0 });
        var reshaped = Reshape.Build(t, ConcatV2.Build([shape[..a], Pack.Build([leading]), shape[(a + n)..]], 0));
        if (tensorShape.IsKnownRank)
        {
            var span = tensorShape.Dims[a..(a + n)];
            var first = System.Array.Exists(span, d => d < 0) ? -1 : span.Aggregate(1, (x, y) => x * y);
            reshaped.SetShape(new Shape([.. tensorShape.Dims[..a], first, .. tensorShape.Dims[(a + n)..]]));
        }
        var flatMask = Reshape.Build(m, new[] { -1 });
        var indices = Squeeze.Build(Where.Build(flatMask), [1]);
        return GatherV2.Build(reshaped, indices, a);
    }

    /// <summary>
    /// <c>tf.sequence_mask(lengths, maxlen, dtype)</c>: <c>mask[..., j] = j &lt; lengths[...]</c> for j below
    /// <paramref name="maxlen"/> (default: the largest length).
    /// </summary>
    public static Tensor SequenceMask(TensorLike lengths, TensorLike? maxlen, DType dtype, string? name)
    {
        using var b = OpBuilder.Begin(name, "SequenceMask", lengths, maxlen ?? default);
        var l = b.Convert(lengths, "lengths");
        Tensor limit;
        if (maxlen is null)
        {
            limit = Max.Build(l, l.shape.IsKnownRank ? Enumerable.Range(0, l.shape.ndims).ToArray() : Ops.ArrayOps.Range.Build(0, Rank.Build(l)));
            limit = Maximum.Build(Const.Create(b.Graph, Literal.ToNDArray(0, limit.dtype)), limit);
        }
        else limit = b.Convert(maxlen.Value, "maxlen");
        if (limit.shape.IsKnownRank && limit.shape.ndims != 0) throw new ValueError("maxlen must be scalar for sequence_mask");
        var row = Ops.ArrayOps.Range.Build(Const.Create(b.Graph, Literal.ToNDArray(0, limit.dtype)), limit, Const.Create(b.Graph, Literal.ToNDArray(1, limit.dtype), "Const_1"));
        var matrix = Cast.Build(ExpandDims.Build(l, -1), limit.dtype);
        var result = Less.Build(row, matrix);
        return dtype == DType.@bool ? result : Cast.Build(result, dtype);
    }

    /// <summary>
    /// <c>tf.meshgrid(*args, indexing)</c>: N coordinate grids of the vectors' sizes; "xy" (Cartesian) swaps the
    /// first two dimensions of the outputs, "ij" (matrix) keeps them.
    /// </summary>
    public static Tensor[] Meshgrid(IReadOnlyList<TensorLike> args, string indexing, string? name)
    {
        if (indexing is not ("xy" or "ij")) throw new ValueError("indexing parameter must be either 'xy' or 'ij'");
        using var b = OpBuilder.Begin(name, "meshgrid", [.. args]);
        var ndim = args.Count;
        var output = new List<Tensor>();
        for (var i = 0; i < ndim; i++)
        {
            var dims = Enumerable.Repeat(1, ndim).ToArray();
            dims[i] = -1;
            // stack(x): a tensor stays itself, a list becomes a constant.
            var x = args[i].Value is Tensor given ? b.Convert(given, "x") : Const.Create(b.Graph, Literal.ToNDArray(args[i].Value), "stack");
            output.Add(Reshape.Build(x, dims));
        }
        var sizes = args.Select(a => (TensorLike)Size.Build(a)).ToList();
        var dtype = b.Convert(args[0], "x").dtype;
        if (indexing == "xy" && ndim > 1)
        {
            output[0] = Reshape.Build(output[0], new[] { 1, -1 }.Concat(Enumerable.Repeat(1, ndim - 2)).ToArray());
            output[1] = Reshape.Build(output[1], new[] { -1, 1 }.Concat(Enumerable.Repeat(1, ndim - 2)).ToArray());
            (sizes[0], sizes[1]) = (sizes[1], sizes[0]);
        }
        var ones = Fill.Dynamic(Pack.Build(sizes), dtype, one: true, "ones");
        return [.. output.Select(x => Mul.Build(x, ones))];
    }

    /// <summary><c>tf.space_to_batch(input, paddings, block_size)</c>: SpaceToBatchND with block <c>[block_size, block_size]</c> on a rank-4 input.</summary>
    public static Tensor SpaceToBatch(TensorLike input, TensorLike paddings, int blockSize, string? name, bool toBatch)
    {
        var block = NDArray.FromFlat(new long[] { blockSize, blockSize }, new Shape(2));
        var result = toBatch ? SpaceToBatchND.Def.Apply(input, block, paddings, name) : BatchToSpaceND.Def.Apply(input, block, paddings, name);
        if (result.shape.IsKnownRank && result.shape.ndims != 4) throw new ValueError($"Shape {result.shape} must have rank 4");
        result.SetShape(Shape.UnknownDims(4));
        return result;
    }

    /// <summary>
    /// <c>tf.convert_to_tensor(value, dtype, name)</c>: a tensor is returned as it is (its dtype must be
    /// <paramref name="dtype"/> when given); anything else becomes a constant.
    /// </summary>
    public static Tensor ConvertToTensor(object value, DType? dtype, string? name)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is Tensor t)
        {
            var input = t is Variable v ? v.value() : t;
            if (dtype is { } d && input.dtype != d)
                throw new ValueError($"Tensor conversion requested dtype {d.name} for Tensor with dtype {input.dtype.name}: {t}");
            return input;
        }
        if (value is TensorLike like) return ConvertToTensor(like.Value, dtype, name);
        return Const.Build(value, dtype, name: name ?? "Const");
    }

    /// <summary>
    /// <c>tf.pad(tensor, paddings, constant_values)</c>: a Pad op when the value is left out or a plain zero, as
    /// TensorFlow builds it, else a PadV2 with the value.
    /// </summary>
    public static Tensor Pad(TensorLike tensor, TensorLike paddings, TensorLike? constantValues, string? name) =>
        constantValues is not { } value || value.Value is 0 or 0L or 0f or 0d
            ? Ops.ArrayOps.Pad.Build(tensor, paddings, name)
            : PadV2.Build(tensor, paddings, value, name);
}
