using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// StridedSlice (<c>tf.strided_slice</c>, and Python's <c>x[...]</c>): NumPy-style slicing with begin, end and
/// strides per index and TensorFlow's five masks (begin/end: take the whole range; ellipsis: as many full
/// dimensions as needed; new_axis: insert a dimension of 1; shrink_axis: drop the dimension, indexing one element).
/// Negative indices count from the end, ranges clamp to the dimension, negative strides walk backwards.
/// </summary>
internal sealed class StridedSlice : OpDef
{
    public static readonly StridedSlice Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Index = new("Index");
    internal static readonly OpAttr<long> BeginMask = new("begin_mask", 0L);
    internal static readonly OpAttr<long> EndMask = new("end_mask", 0L);
    internal static readonly OpAttr<long> EllipsisMask = new("ellipsis_mask", 0L);
    internal static readonly OpAttr<long> NewAxisMask = new("new_axis_mask", 0L);
    internal static readonly OpAttr<long> ShrinkAxisMask = new("shrink_axis_mask", 0L);

    public override string Type => "StridedSlice";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        CheckIndexInputs(ctx, 1);
        var input = ctx.InputShape(0);
        var stridesValue = ctx.ConstantInput(3);
        var sparseDims = SparseDims(ctx, 1);
        if (!input.IsKnownRank || sparseDims < 0 || stridesValue is null)
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            return;
        }
        var begin = ctx.ConstantInput(1);
        var end = ctx.ConstantInput(2);
        var spec = StridedSliceSpec.Validate(begin?.ToArray<long>(), begin?.shape, end?.ToArray<long>(), end?.shape,
            stridesValue.ToArray<long>(), stridesValue.shape, System.Array.ConvertAll(input.Dims, d => (long)d),
            StridedSliceSpec.Masks.Of(ctx), m => ctx.Error(m));
        ctx.AddOutput(dtype, new Shape(StridedSliceSpec.ToInts(spec.FinalShape)));
    }

    /// <summary>begin, end and strides (from input <paramref name="first"/> on) are integer vectors of one dtype.</summary>
    internal static DType CheckIndexInputs(InferenceContext ctx, int first)
    {
        var dtype = ctx.InputDType(first);
        if (dtype != DType.int32 && dtype != DType.int64) throw ctx.TypeError($"begin must be int32 or int64, got {dtype.name}");
        for (var i = first + 1; i < first + 3; i++)
            if (ctx.InputDType(i) != dtype)
                throw ctx.TypeError($"begin, end and strides must have one dtype, got {dtype.name} and {ctx.InputDType(i).name}");
        return dtype;
    }

    /// <summary>
    /// The length shared by begin, end and strides (TensorFlow's <c>WithRank(1)</c> and <c>Merge</c>), or -1 when
    /// it is not known at build time.
    /// </summary>
    internal static int SparseDims(InferenceContext ctx, int first)
    {
        var length = -1;
        for (var i = first; i < first + 3; i++)
        {
            var s = ctx.InputShape(i);
            if (!s.IsKnownRank) continue;
            if (s.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {s.ndims} for input {i} ({s.ToListString()})");
            if (s[0] < 0) continue;
            if (length >= 0 && s[0] != length) throw ctx.Error($"Dimensions must be equal, but are {length} and {s[0]}: begin, end and strides must have one length");
            length = s[0];
        }
        return length;
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var masks = StridedSliceSpec.Masks.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            var (begin, end, strides) = (ctx.Input(1), ctx.Input(2), ctx.Input(3));
            var spec = StridedSliceSpec.Validate(begin.ToArray<long>(), begin.shape, end.ToArray<long>(), end.shape,
                strides.ToArray<long>(), strides.shape, System.Array.ConvertAll(x.shape.Dims, d => (long)d), masks,
                ctx.InvalidArgumentOf);
            var final = new Shape(StridedSliceSpec.ToInts(spec.FinalShape));
            if (spec.IsIdentity)
            {
                ctx.ForwardOutput(0, x.Reshape(final));
                return;
            }
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, final);
            var (offset, walk) = spec.Walk(x.shape.AsSpan());
            var processing = StridedSliceSpec.ToInts(spec.ProcessingShape);
            DataMovement.StridedCopy(x, offset, walk, y, 0, DataMovement.Strides(processing), processing);
        });
    }

    /// <summary>The value when the input and the spec are constants (TensorFlow folds such slices of shapes).</summary>
    public override NDArray? ConstantValue(Operation op, int index)
    {
        if (KnownDimension(op) is { } dim) return dim;
        var values = op.inputs.Select(t => t.op.Def.ConstantValue(t.op, t.value_index)).ToArray();
        if (System.Array.Exists(values, v => v is null) || values[0]!.size > 1000) return null;
        var x = values[0]!;
        try
        {
            var spec = StridedSliceSpec.Validate(values[1]!.ToArray<long>(), values[1]!.shape, values[2]!.ToArray<long>(), values[2]!.shape,
                values[3]!.ToArray<long>(), values[3]!.shape, System.Array.ConvertAll(x.shape.Dims, d => (long)d),
                StridedSliceSpec.Masks.Of(op), m => new ValueError(m));
            var processing = StridedSliceSpec.ToInts(spec.ProcessingShape);
            var y = NDArray.Zeros(x.dtype, new Shape(StridedSliceSpec.ToInts(spec.FinalShape)));
            var (offset, walk) = spec.Walk(x.shape.AsSpan());
            DataMovement.StridedCopy(x, offset, walk, y, 0, DataMovement.Strides(processing), processing);
            return y;
        }
        catch (ValueError)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>tf.shape(x)[i]</c> when dimension i of x is known, though others are not (TensorFlow's
    /// <c>TryInferFromShapes</c>): a single index (shrink_axis_mask 1, no other mask) into a Shape op.
    /// </summary>
    private static NDArray? KnownDimension(Operation op)
    {
        var source = op.inputs[0];
        var masks = StridedSliceSpec.Masks.Of(op);
        if (source.op.Def is not Shape_ || masks != new StridedSliceSpec.Masks(0, 0, 0, 0, 1)) return null;
        var begin = op.inputs[1].op.Def.ConstantValue(op.inputs[1].op, op.inputs[1].value_index);
        var shape = source.op.inputs[0].shape;
        if (begin is null || begin.size != 1 || !shape.IsKnownRank) return null;
        var ix = begin.ToArray<long>()[0];
        if (ix < -shape.ndims || ix >= shape.ndims) return null;
        var dim = shape[(int)(ix < 0 ? ix + shape.ndims : ix)];
        return dim < 0 ? null : Literal.ToNDArray(dim, source.dtype);
    }

    /// <summary>
    /// A slice of a shape vector whose entries are partly known (<c>tf.shape(x)[1:]</c> of a <c>(?, 3, 4)</c>
    /// tensor is <c>(3, 4)</c>), as TensorFlow's <c>constant_value_as_shape</c> reads it.
    /// </summary>
    public override Shape? PartialShapeValue(Operation op, int index)
    {
        var source = op.inputs[0];
        var partial = source.op.Def.PartialShapeValue(source.op, source.value_index);
        var masks = StridedSliceSpec.Masks.Of(op);
        if (partial is null || !partial.IsKnownRank || masks.Ellipsis != 0 || masks.NewAxis != 0 || masks.ShrinkAxis != 0) return null;
        var spec = op.inputs.Skip(1).Select(t => t.op.Def.ConstantValue(t.op, t.value_index)).ToArray();
        if (System.Array.Exists(spec, v => v is null) || spec.Any(v => v!.size != 1)) return null;
        var rank = partial.ndims;
        try
        {
            var s = StridedSliceSpec.Validate(spec[0]!.ToArray<long>(), spec[0]!.shape, spec[1]!.ToArray<long>(), spec[1]!.shape,
                spec[2]!.ToArray<long>(), spec[2]!.shape, [rank], masks, m => new ValueError(m));
            var dims = new List<int>();
            for (long i = s.Begin[0], k = 0; k < s.ProcessingShape[0]; i += s.Strides[0], k++) dims.Add(partial[(int)i]);
            return new Shape([.. dims]);
        }
        catch (ValueError)
        {
            return null;
        }
    }

    /// <summary>
    /// TensorFlow's <c>_StridedSliceGrad</c>: a StridedSliceGrad scatters the gradient into zeros of the input's
    /// shape at the sliced positions.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (x, begin, end, strides) = (op.inputs[0], op.inputs[1], op.inputs[2], op.inputs[3]);
        var shape = x.shape.IsFullyDefined
            ? Const.Create(x.graph, Literal.ToNDArray(x.shape.Dims, begin.dtype), "Shape")
            : Shape_.Build(x, begin.dtype);
        return [StridedSliceGrad.Build(shape, begin, end, strides, grads[0]!, StridedSliceSpec.Masks.Of(op)), null, null, null];
    }

    /// <summary>
    /// <c>tf.strided_slice(input_, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
    /// shrink_axis_mask)</c>; strides default to ones.
    /// </summary>
    public static Tensor Build(TensorLike input, TensorLike begin, TensorLike end, TensorLike? strides, StridedSliceSpec.Masks masks, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "StridedSlice", input, begin, end, strides ?? default);
        var x = b.Convert(input, "input");
        var indices = b.SameType("StridedSlice", [begin, end], ["begin", "end"]);
        Tensor s;
        if (strides is { } given) s = b.SameType("StridedSlice", [indices[0], given], ["begin", "strides"])[1];
        else s = OnesLike.Def.Apply(indices[0], null, true, "ones_like"); // a constant when begin's length is known
        return Create(b, x, indices[0], indices[1], s, masks);
    }

    /// <summary>Creates the op in the builder's scope.</summary>
    internal static Tensor Create(OpBuilder b, Tensor x, Tensor begin, Tensor end, Tensor strides, StridedSliceSpec.Masks masks) =>
        b.Create(Def, [x, begin, end, strides], new()
        {
            { T, x.dtype }, { Index, begin.dtype },
            { BeginMask, (long)masks.Begin }, { EndMask, (long)masks.End }, { EllipsisMask, (long)masks.Ellipsis },
            { NewAxisMask, (long)masks.NewAxis }, { ShrinkAxisMask, (long)masks.ShrinkAxis },
        }).outputs[0];
}
