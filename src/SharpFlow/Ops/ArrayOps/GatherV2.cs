using SharpFlow.Framework;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// GatherV2 (<c>tf.gather</c>, <c>tf.nn.embedding_lookup</c>): slices of <c>params</c> along <c>axis</c> at
/// <c>indices</c>; the output's shape is <c>params.shape[:axis] + indices.shape + params.shape[axis+1:]</c>. As on
/// TensorFlow's CPU, an index outside [0, params.shape[axis]) is an InvalidArgumentError naming it
/// (<c>indices[1,0] = 7 is not in [0, 5)</c>). The gradient sums the incoming slices back into the gathered rows
/// (UnsortedSegmentSum), as TensorFlow's dense form of its IndexedSlices gradient.
/// </summary>
internal sealed class GatherV2 : OpDef
{
    public static readonly GatherV2 Def = new();
    internal static readonly OpAttr<DType> Tparams = new("Tparams");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");
    internal static readonly OpAttr<DType> Taxis = new("Taxis");
    internal static readonly OpAttr<long> BatchDims = new("batch_dims", 0L);

    public override string Type => "GatherV2";

    public override void InferShapes(InferenceContext ctx)
    {
        if (!ctx.InputDType(1).is_integer || ctx.InputDType(1) == DType.uint8) throw ctx.TypeError($"indices must be int32 or int64, got {ctx.InputDType(1).name}");
        if (!ctx.InputDType(2).is_integer || ctx.InputDType(2) == DType.uint8) throw ctx.TypeError($"axis must be int32 or int64, got {ctx.InputDType(2).name}");
        if (ctx.InputShape(2).IsKnownRank && ctx.InputShape(2).ndims != 0) throw ctx.Error($"axis must be a scalar, not shape {ctx.InputShape(2).ToListString()}");
        var parameters = ctx.InputShape(0);
        var indices = ctx.InputShape(1);
        var axisValue = ctx.ConstantInput(2);
        if (axisValue is null || !parameters.IsKnownRank || !indices.IsKnownRank)
        {
            ctx.AddOutput(ctx.InputDType(0), Shape.Unknown);
            return;
        }
        var axis = Axis(OpValues.Scalar(axisValue, "axis", m => ctx.Error(m)), parameters.ndims, m => ctx.Error(m));
        var dims = parameters.Dims[..axis].Concat(indices.Dims).Concat(parameters.Dims[(axis + 1)..]).ToArray();
        ctx.AddOutput(ctx.InputDType(0), Shape.Own(dims));
    }

    private static int Axis(long axis, int rank, Func<string, Exception> error)
    {
        if (rank == 0) throw error("params must be at least 1 dimensional");
        if (axis < -rank || axis >= rank) throw error($"Expected axis in the range [{-rank}, {rank}), but got {axis}");
        return (int)(axis < 0 ? axis + rank : axis);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (parameters, indexValues) = (ctx.Input(0), ctx.Input(1));
        var axis = Axis(OpValues.Scalar(ctx.Input(2), "axis", ctx.InvalidArgumentOf), parameters.ndim, ctx.InvalidArgumentOf);
        var dims = parameters.shape.AsSpan();
        long outer = 1, inner = 1;
        for (var i = 0; i < axis; i++) outer *= dims[i];
        for (var i = axis + 1; i < dims.Length; i++) inner *= dims[i];
        var limit = dims[axis];
        var indices = indexValues.ToArray<long>();
        for (var i = 0; i < indices.Length; i++)
            if (indices[i] < 0 || indices[i] >= limit)
                throw ctx.InvalidArgument($"indices{Coordinates(i, indexValues.shape)} = {indices[i]} is not in [0, {limit})");
        var outDims = parameters.shape.Dims[..axis].Concat(indexValues.shape.Dims).Concat(parameters.shape.Dims[(axis + 1)..]).ToArray();
        var output = ctx.AllocateUninitializedOutput(0, parameters.dtype, Shape.Own(outDims));
        var row = (int)(inner * parameters.dtype.size);
        var source = parameters.AsBytes();
        var target = output.AsWritableBytes();
        var at = 0;
        for (long o = 0; o < outer; o++)
            foreach (var index in indices)
            {
                source.Slice((int)((o * limit + index) * row), row).CopyTo(target.Slice(at, row));
                at += row;
            }
    });

    /// <summary>The multi-dimensional position of flat element <paramref name="flat"/>: <c>[1,0]</c>.</summary>
    internal static string Coordinates(int flat, Shape shape)
    {
        var dims = shape.AsSpan();
        if (dims.Length == 0) return ""; // a scalar: TensorFlow writes "indices = 7"
        var coordinates = new long[dims.Length];
        for (var d = dims.Length - 1; d >= 0; d--)
        {
            coordinates[d] = flat % dims[d];
            flat /= dims[d];
        }
        return $"[{string.Join(",", coordinates)}]";
    }

    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        // TensorFlow's _GatherV2Grad: the incoming slices, with the index dimensions flattened and moved to the front,
        // are the rows they came from.
        var (g, parameters, indices) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var axisValue = op.inputs[2].op.Def.ConstantValue(op.inputs[2].op, op.inputs[2].value_index);
        if (axisValue is null || !parameters.shape.IsKnownRank)
            throw new LookupError($"GatherV2 \"{op.name}\": its gradient needs a constant axis and params of known rank");
        var rank = parameters.shape.ndims;
        var axis = Axis(OpValues.Scalar(axisValue, "axis", m => new ValueError(m)), rank, m => new ValueError(m));
        var paramsShape = Shapes.Of(parameters);
        var flatIndices = Reshape.Build(indices, new[] { -1 });
        var innerShape = Slice.Build(paramsShape, new[] { axis + 1 }, new[] { rank - axis - 1 });
        // Along axis 0 the gradient is sparse, as TensorFlow's: the incoming rows at the gathered indices (an
        // IndexedSlices the optimizers apply to those rows only). Other axes are summed into a dense gradient.
        if (axis == 0)
        {
            var rowsOfGrad = Reshape.Build(g, ConcatV2.Build([Shapes.Of(flatIndices), innerShape], 0));
            return [new IndexedSlices(rowsOfGrad, flatIndices, paramsShape, parameters.shape), null, null];
        }
        var outerShape = Slice.Build(paramsShape, new[] { 0 }, new[] { axis });
        var rows = Reshape.Build(Slice.Build(paramsShape, new[] { axis }, new[] { 1 }), System.Array.Empty<int>());
        // [outer..., n, inner...] with the indices flattened to n.
        var values = Reshape.Build(g, ConcatV2.Build([outerShape, Shapes.Of(flatIndices), innerShape], 0));
        int[] toFront = [axis, .. Enumerable.Range(0, axis), .. Enumerable.Range(axis + 1, rank - axis - 1)];
        var sums = UnsortedSegmentSum.Build(Transpose.Build(values, toFront), flatIndices, rows);
        var summed = Transpose.Build(sums, InvertPermutation(toFront));
        return [summed, null, null];
    }

    private static int[] InvertPermutation(int[] perm)
    {
        var inverse = new int[perm.Length];
        for (var i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return inverse;
    }

    /// <summary><c>tf.gather(params, indices, axis)</c>.</summary>
    public static Tensor Build(TensorLike parameters, TensorLike indices, TensorLike? axis = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "GatherV2", parameters, indices, axis ?? default);
        var p = b.Convert(parameters, "params");
        var i = b.Convert(indices, "indices");
        var a = b.Convert(axis ?? 0, "axis", axis?.Value is Tensor ? null : i.dtype);
        return b.Create(Def, [p, i, a], new() { { Tparams, p.dtype }, { Tindices, i.dtype }, { Taxis, a.dtype }, { BatchDims, 0L } }).outputs[0];
    }
}
