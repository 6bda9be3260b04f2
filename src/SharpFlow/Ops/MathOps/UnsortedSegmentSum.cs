using System.Numerics;
using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// UnsortedSegmentSum (<c>tf.unsorted_segment_sum</c>): <c>output[i, ...] = sum of data[j..., ...]</c> over the
/// positions j whose <c>segment_ids</c> equal i; the output's shape is <c>[num_segments] +
/// data.shape[segment_ids.ndim:]</c> and segments no id names are zero. As in TensorFlow, rows with a negative id
/// are dropped, and an id at or past <c>num_segments</c> is an InvalidArgumentError naming it. Its gradient gathers
/// the incoming rows back, zero for the dropped rows (TensorFlow's <c>_GatherDropNegatives</c>).
/// </summary>
internal sealed class UnsortedSegmentSum : OpDef
{
    public static readonly UnsortedSegmentSum Def = new();
    internal static readonly OpAttr<DType> TAttr = new("T");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");
    internal static readonly OpAttr<DType> Tnumsegments = new("Tnumsegments", DType.int32);

    public override string Type => "UnsortedSegmentSum";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype == DType.@bool) throw ctx.TypeError("data must be numeric, got bool");
        foreach (var (i, what) in new[] { (1, "segment_ids"), (2, "num_segments") })
            if (!ctx.InputDType(i).is_integer || ctx.InputDType(i) == DType.uint8) throw ctx.TypeError($"{what} must be int32 or int64, got {ctx.InputDType(i).name}");
        AddUnsortedSegmentOutput(ctx, dtype);
    }

    /// <summary>
    /// The output of an unsorted segment reduction: <c>[num_segments] + data.shape[segment_ids.rank:]</c>, after checking
    /// that <c>num_segments</c> is a non-negative scalar and that <c>segment_ids.shape</c> prefixes <c>data.shape</c>.
    /// </summary>
    internal static void AddUnsortedSegmentOutput(InferenceContext ctx, DType dtype)
    {
        var (data, ids) = (ctx.InputShape(0), ctx.InputShape(1));
        if (ctx.InputShape(2).IsKnownRank && ctx.InputShape(2).ndims != 0) throw ctx.Error($"num_segments must be a scalar, not shape {ctx.InputShape(2).ToListString()}");
        var segments = -1;
        if (ctx.ConstantInput(2) is { } n)
        {
            var value = OpValues.Scalar(n, "num_segments", m => ctx.Error(m));
            if (value < 0 || value > int.MaxValue) throw ctx.Error($"num_segments must be a non-negative size, got {value}");
            segments = (int)value;
        }
        if (!data.IsKnownRank || !ids.IsKnownRank)
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            return;
        }
        if (ids.ndims > data.ndims || !new Shape(data.Dims[..ids.ndims]).IsCompatibleWith(ids))
            throw ctx.Error($"segment_ids.shape = {ids.ToListString()} does not prefix data.shape = {data.ToListString()}");
        ctx.AddOutput(dtype, Shape.Own([segments, .. data.Dims[ids.ndims..]]));
    }

    /// <summary>
    /// The checked inputs of an unsorted segment reduction (this op and <see cref="UnsortedSegmentReductionOp"/>'s):
    /// the data, the ids as int64, and the output allocated as <c>[num_segments] + data.shape[ids.ndim:]</c>.
    /// </summary>
    internal static (NDArray Data, long[] Ids, NDArray Output) Prepare(OpKernelContext ctx)
    {
        var (data, idValues) = (ctx.Input(0), ctx.Input(1));
        var segments = OpValues.Scalar(ctx.Input(2), "num_segments", ctx.InvalidArgumentOf);
        if (segments < 0 || segments > int.MaxValue) throw ctx.InvalidArgument($"num_segments must be a non-negative size, got {segments}");
        var idRank = idValues.ndim;
        if (idRank > data.ndim || !data.shape.AsSpan()[..idRank].SequenceEqual(idValues.shape.AsSpan()))
            throw ctx.InvalidArgument($"segment_ids.shape = {idValues.shape.ToListString()} does not prefix data.shape = {data.shape.ToListString()}");
        var ids = idValues.ToArray<long>();
        for (var i = 0; i < ids.Length; i++)
            if (ids[i] >= segments)
                throw ctx.InvalidArgument($"segment_ids{GatherV2.Coordinates(i, idValues.shape)} = {ids[i]} is out of range [0, {segments})");
        return (data, ids, ctx.AllocateOutput(0, data.dtype, Shape.Own([(int)segments, .. data.shape.Dims[idRank..]])));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (data, ids, output) = Prepare(ctx);
        var row = ids.Length == 0 ? 0 : data.size / ids.Length;
        switch (data.dtype.Id)
        {
            case DataType.Float: Sum(data.AsReadOnlySpan<float>(), ids, row, output.AsSpan<float>()); break;
            case DataType.Double: Sum(data.AsReadOnlySpan<double>(), ids, row, output.AsSpan<double>()); break;
            case DataType.Int32: Sum(data.AsReadOnlySpan<int>(), ids, row, output.AsSpan<int>()); break;
            case DataType.Int64: Sum(data.AsReadOnlySpan<long>(), ids, row, output.AsSpan<long>()); break;
            case DataType.UInt8: Sum(data.AsReadOnlySpan<byte>(), ids, row, output.AsSpan<byte>()); break;
            default: throw ctx.InvalidArgument($"data of dtype {data.dtype.name} is not supported");
        }
    });

    private static void Sum<T>(ReadOnlySpan<T> data, long[] ids, int row, Span<T> output) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0) continue; // dropped, as in TensorFlow
            var source = data.Slice(i * row, row);
            var target = output.Slice((int)ids[i] * row, row);
            for (var k = 0; k < row; k++) target[k] += source[k];
        }
    }

    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        // _GatherDropNegatives: gather at max(id, 0), then zero the rows whose id was negative.
        var ids = op.inputs[1];
        var gathered = GatherV2.Build(grads[0]!, Maximum.Build(ids, 0));
        var kept = Cast.Build(GreaterEqual.Build(ids, 0), gathered.dtype);
        // The mask [ids...] broadcast over the rows' trailing dimensions: [ids..., 1, 1, ...].
        var trailing = Sub.Build(Rank.Build(gathered), Rank.Build(ids));
        var ones = Fill.Build(Reshape.Build(trailing, new[] { 1 }), 1);
        var mask = Reshape.Build(kept, ConcatV2.Build([Shapes.Of(ids), ones], 0));
        return [Mul.Build(gathered, mask), null, null];
    }

    /// <summary><c>tf.unsorted_segment_sum(data, segment_ids, num_segments)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, TensorLike numSegments, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "UnsortedSegmentSum", data, segmentIds, numSegments);
        var d = b.Convert(data, "data");
        var ids = b.Convert(segmentIds, "segment_ids");
        var n = b.Convert(numSegments, "num_segments", numSegments.Value is Tensor ? null : ids.dtype);
        return b.Create(Def, [d, ids, n], new() { { TAttr, d.dtype }, { Tindices, ids.dtype }, { Tnumsegments, n.dtype } }).outputs[0];
    }
}
