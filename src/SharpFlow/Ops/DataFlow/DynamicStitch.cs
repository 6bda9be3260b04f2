using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.DataFlow;

/// <summary>
/// DynamicStitch and ParallelDynamicStitch (<c>tf.dynamic_stitch</c>): interleaves the slices of the <c>N</c>
/// <c>data</c> tensors into one, slice <c>data[m][i]</c> going to row <c>indices[m][i]</c>; the output has
/// <c>max(indices) + 1</c> rows. Of two slices with the same index the later one (in <c>m</c>, then <c>i</c> order)
/// wins; rows no index names are zero.
/// </summary>
internal sealed class DynamicStitch : OpDef
{
    public static readonly DynamicStitch Def = new("DynamicStitch");

    private static readonly OpAttr<long> NAttr = new("N");
    internal static readonly OpAttr<DType> T = new("T");

    /// <summary>The parallel form (TensorFlow leaves the winner of repeated indices unspecified; here it is the same).</summary>
    public static readonly DynamicStitch Parallel = new("ParallelDynamicStitch");

    private readonly string _type;

    private DynamicStitch(string type) => _type = type;

    public override string Type => _type;

    public override void InferShapes(InferenceContext ctx)
    {
        var n = (int)NAttr.Of(ctx);
        if (ctx.Inputs.Count != 2 * n) throw ctx.Error($"expects {2 * n} inputs (N indices and N data), got {ctx.Inputs.Count}");
        var dtype = ctx.InputDType(n);
        Shape? rows = null;
        for (var m = 0; m < n; m++)
        {
            if (ctx.InputDType(m) != DType.int32) throw ctx.TypeError($"indices[{m}] must be int32, got {ctx.InputDType(m).name}");
            if (ctx.InputDType(n + m) != dtype) throw ctx.TypeError($"data[{m}] has dtype {ctx.InputDType(n + m).name}, data[0] has {dtype.name}");
            var (indices, data) = (ctx.InputShape(m), ctx.InputShape(n + m));
            if (!indices.IsKnownRank || !data.IsKnownRank) continue;
            if (indices.ndims > data.ndims || !new Shape(data.Dims[..indices.ndims]).IsCompatibleWith(indices))
                throw ctx.Error($"data[{m}].shape = {data.ToListString()} does not start with indices[{m}].shape = {indices.ToListString()}");
            var rest = new Shape(data.Dims[indices.ndims..]);
            if (rows is not null && !rows.IsCompatibleWith(rest))
                throw ctx.Error($"Need data[0].shape[1:] = {rows.ToListString()} to match data[{m}].shape[{indices.ndims}:] = {rest.ToListString()}");
            rows = rows is null ? rest : rows.MergeWith(rest);
        }
        // The number of rows is known when every index is a constant.
        var first = -1;
        var allConstant = true;
        for (var m = 0; m < n && allConstant; m++)
        {
            var t = ctx.Inputs[m];
            if (t.op.Def.ConstantValue(t.op, t.value_index) is { } values)
                foreach (var v in values.AsReadOnlySpan<int>()) first = System.Math.Max(first, v);
            else allConstant = false;
        }
        ctx.AddOutput(dtype, rows is null ? Shape.Unknown : Shape.Own([allConstant ? first + 1 : -1, .. rows.Dims]));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var n = (int)NAttr.Of(op);
        return OpKernel.From(ctx =>
        {
            var first = ctx.Input(n);
            var indices0 = ctx.Input(0);
            if (indices0.ndim > first.ndim)
                throw ctx.InvalidArgument($"data[0].shape = {first.shape.ToListString()} does not start with indices[0].shape = {indices0.shape.ToListString()}");
            var rowDims = first.shape.Dims[indices0.ndim..];
            var rowBytes = (int)(new Shape(rowDims).NumElements * first.dtype.size);
            var maxIndex = -1;
            for (var m = 0; m < n; m++)
            {
                var (indices, data) = (ctx.Input(m), ctx.Input(n + m));
                if (indices.ndim > data.ndim || !data.shape.Dims[..indices.ndim].AsSpan().SequenceEqual(indices.shape.AsSpan()))
                    throw ctx.InvalidArgument($"data[{m}].shape = {data.shape.ToListString()} does not start with indices[{m}].shape = {indices.shape.ToListString()}");
                if (!data.shape.Dims[indices.ndim..].AsSpan().SequenceEqual(rowDims))
                    throw ctx.InvalidArgument($"Need data[0].shape[{indices0.ndim}:] = {new Shape(rowDims).ToListString()} to match data[{m}].shape[{indices.ndim}:] = {new Shape(data.shape.Dims[indices.ndim..]).ToListString()}");
                foreach (var v in indices.AsReadOnlySpan<int>())
                {
                    if (v < 0) throw ctx.InvalidArgument($"indices[{m}] has a negative index {v}");
                    maxIndex = System.Math.Max(maxIndex, v);
                }
            }
            var merged = ctx.AllocateOutput(0, first.dtype, Shape.Own([maxIndex + 1, .. rowDims]));
            var target = merged.AsWritableBytes();
            for (var m = 0; m < n; m++)
            {
                var source = ctx.Input(n + m).AsBytes();
                var indices = ctx.Input(m).AsReadOnlySpan<int>();
                for (var i = 0; i < indices.Length; i++)
                    source.Slice(i * rowBytes, rowBytes).CopyTo(target.Slice(indices[i] * rowBytes, rowBytes));
            }
        });
    }

    /// <summary>TensorFlow's <c>_DynamicStitchGrads</c>: each data tensor's gradient is the merged gradient gathered at its indices.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var n = (int)NAttr.Of(op);
        var result = new Tensor?[2 * n];
        var grad = grads[0]!;
        if (grad is IndexedSlices slices)
            grad = UnsortedSegmentSum.Build(slices.values, slices.indices, Shapes.Of(op.outputs[0])[0]);
        for (var m = 0; m < n; m++) result[n + m] = GatherV2.Build(grad, op.inputs[m]);
        return result;
    }

    /// <summary><c>tf.dynamic_stitch(indices, data)</c> (or <c>tf.parallel_dynamic_stitch</c>).</summary>
    public static Tensor Build(IReadOnlyList<TensorLike> indices, IReadOnlyList<TensorLike> data, bool parallel = false, string? name = null)
    {
        if (indices.Count != data.Count || indices.Count == 0)
            throw new ValueError($"dynamic_stitch needs as many indices as data tensors (at least one), got {indices.Count} and {data.Count}");
        using var b = OpBuilder.Begin(name, parallel ? "ParallelDynamicStitch" : "DynamicStitch", [.. indices, .. data]);
        var idx = indices.Select((t, i) => b.Convert(t, $"indices_{i}", DType.int32)).ToArray();
        var values = b.SameType("DynamicStitch", [.. data], [.. data.Select((_, i) => $"data_{i}")]);
        return b.Create(parallel ? Parallel : Def, [.. idx, .. values], new() { { T, values[0].dtype }, { NAttr, (long)indices.Count } }).outputs[0];
    }
}
