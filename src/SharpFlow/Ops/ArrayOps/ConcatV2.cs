using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// ConcatV2: joins tensors of one dtype and rank along an axis (negative counts from the end); all other
/// dimensions must agree. <c>tf.concat</c> of a single tensor returns an identity of it, as TensorFlow does.
/// </summary>
internal sealed class ConcatV2 : OpDef
{
    public static readonly ConcatV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<int> N = new("N");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);

    public override string Type => "ConcatV2";

    public override void InferShapes(InferenceContext ctx)
    {
        var n = ctx.Inputs.Count - 1;
        if (n < 1) throw ctx.Error("needs at least one value");
        var dtype = ctx.InputDType(0);
        for (var i = 1; i < n; i++)
            if (ctx.InputDType(i) != dtype) throw ctx.TypeError($"all values must have dtype {dtype.name}; value {i} has {ctx.InputDType(i).name}");
        var axisValue = ctx.ConstantInput(n);
        var rank = -1;
        for (var i = 0; i < n; i++)
            if (ctx.InputShape(i).IsKnownRank)
            {
                if (rank >= 0 && ctx.InputShape(i).ndims != rank)
                    throw ctx.Error($"Shape must be rank {rank} but is rank {ctx.InputShape(i).ndims} (value {i})");
                rank = ctx.InputShape(i).ndims;
            }
        if (axisValue is null || rank < 0)
        {
            ctx.AddOutput(dtype, rank >= 0 ? Shape.UnknownDims(rank) : Shape.Unknown);
            return;
        }
        var axis = NormalizeAxis(axisValue, rank, m => ctx.Error(m));
        var dims = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            if (d == axis)
            {
                var total = 0;
                for (var i = 0; i < n; i++)
                {
                    var s = ctx.InputShape(i);
                    if (!s.IsKnownRank || s[d] < 0) { total = -1; break; }
                    total += s[d];
                }
                dims[d] = total;
                continue;
            }
            var merged = -1;
            for (var i = 0; i < n; i++)
            {
                var s = ctx.InputShape(i);
                if (!s.IsKnownRank || s[d] < 0) continue;
                if (merged >= 0 && merged != s[d])
                    throw ctx.Error($"Dimension {d} in both shapes must be equal, but are {merged} and {s[d]}. Shapes are {ctx.InputShape(0).ToListString()} and {s.ToListString()}.");
                merged = s[d];
            }
            dims[d] = merged;
        }
        ctx.AddOutput(dtype, Shape.Own(dims));
    }

    private static int NormalizeAxis(NDArray axisValue, int rank, Func<string, Exception> error) =>
        OpValues.Axis(axisValue, rank, "concatenating dimension", error);

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var n = ctx.InputCount - 1;
        var values = new NDArray[n];
        for (var i = 0; i < n; i++) values[i] = ctx.Input(i);
        var rank = values[0].ndim;
        var axis = NormalizeAxis(ctx.Input(n), rank, ctx.InvalidArgumentOf);
        var dims = values[0].shape.Dims;
        dims[axis] = 0;
        foreach (var v in values)
        {
            if (v.ndim != rank)
                throw ctx.InvalidArgument($"ConcatOp : Ranks of all input tensors should match: shape[0] = {values[0].shape.ToListString()} vs. {v.shape.ToListString()}");
            for (var d = 0; d < rank; d++)
                if (d != axis && v.shape[d] != values[0].shape[d])
                    throw ctx.InvalidArgument($"ConcatOp : Dimensions of inputs should match: shape[0] = {values[0].shape.ToListString()} vs. {v.shape.ToListString()}");
            dims[axis] += v.shape[axis];
        }
        DataMovement.Concat(values, axis, ctx.AllocateUninitializedOutput(0, values[0].dtype, Shape.Own(dims)));
    });

    /// <summary><c>tf.concat(values, axis)</c>.</summary>
    public static Tensor Build(IReadOnlyList<TensorLike> values, TensorLike axis, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ValueError("tf.concat needs at least one value.");
        var all = values.Append(axis).ToArray();
        using var b = OpBuilder.Begin(name, "concat", all);
        var names = Enumerable.Range(0, values.Count).Select(i => $"values_{i}").ToArray();
        var tensors = b.SameType("ConcatV2", values.ToArray(), names);
        if (tensors.Length == 1)
            return b.Graph.CreateOp(Identity.Def, b.Scope, [tensors[0]], new Dictionary<string, object> { { Identity.T, tensors[0].dtype } }).outputs[0];
        var axisTensor = b.Convert(axis, "axis");
        return b.Create(Def, [.. tensors, axisTensor], new() { { T, tensors[0].dtype }, { N, tensors.Length }, { Tidx, axisTensor.dtype } }).outputs[0];
    }

    /// <summary>Each input receives its block of the gradient (TensorFlow's <c>_ConcatGradHelper</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var g = grads[0]!;
        var n = op.inputs.Count - 1;
        var values = op.inputs.Take(n).ToList();
        var axisTensor = op.inputs[n];
        var result = new Tensor?[n + 1];
        var axisValue = axisTensor.op.Def.ConstantValue(axisTensor.op, axisTensor.value_index);
        var rank = values[0].shape.IsKnownRank ? values[0].shape.ndims : -1;
        if (axisValue is not null && rank >= 0 && values.All(v => v.shape.IsKnownRank && v.shape[NormalizeAxis(axisValue, rank, m => new ValueError(m))] >= 0))
        {
            var axis = NormalizeAxis(axisValue, rank, m => new ValueError(m));
            var offset = 0;
            for (var i = 0; i < n; i++)
            {
                var begin = new int[rank];
                begin[axis] = offset;
                var size = Enumerable.Repeat(-1, rank).ToArray();
                size[axis] = values[i].shape[axis];
                offset += size[axis];
                result[i] = Slice.Build(g, Shapes.Const(op.graph, begin, "begin"), Shapes.Const(op.graph, size, "size"));
            }
            return result;
        }
        var shapes = values.Select(v => Shape_.Build(v)).ToList();
        var axis32 = axisTensor.dtype == DType.int32 ? axisTensor : MathOps.Cast.Build(axisTensor, DType.int32);
        var offsets = ConcatOffset.Build(axis32, shapes);
        for (var i = 0; i < n; i++) result[i] = Slice.Build(g, offsets[i], shapes[i]);
        return result;
    }
}
