using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// GatherNd (<c>tf.gather_nd</c>): the innermost dimension of <c>indices</c> (of size r) indexes the first r
/// dimensions of <c>params</c>; the output is <c>indices.shape[:-1] + params.shape[r:]</c>. An index outside
/// params is an InvalidArgumentError naming it, as on TensorFlow's CPU.
/// </summary>
internal sealed class GatherNd : OpDef
{
    public static readonly GatherNd Def = new();
    internal static readonly OpAttr<DType> Tparams = new("Tparams");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");

    public override string Type => "GatherNd";

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(1) != DType.int32 && ctx.InputDType(1) != DType.int64) throw ctx.TypeError($"indices must be int32 or int64, got {ctx.InputDType(1).name}");
        var parameters = ctx.InputShape(0);
        var indices = ctx.InputShape(1);
        if (indices.IsKnownRank && indices.ndims < 1) throw ctx.Error($"Shape must be at least rank 1 but is rank 0 for indices");
        if (!indices.IsKnownRank || indices[indices.ndims - 1] < 0 || !parameters.IsKnownRank)
        {
            ctx.AddOutput(ctx.InputDType(0), Shape.Unknown);
            return;
        }
        var r = indices[indices.ndims - 1];
        if (r > parameters.ndims)
            throw ctx.Error($"indices.shape[-1] must be <= params.rank, but saw indices shape: {indices.ToListString()} and params shape: {parameters.ToListString()}");
        ctx.AddOutput(ctx.InputDType(0), Shape.Own([.. indices.Dims[..^1], .. parameters.Dims[r..]]));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (parameters, indexValues) = (ctx.Input(0), ctx.Input(1));
        if (indexValues.ndim < 1) throw ctx.InvalidArgument("indices must be at least a vector");
        var r = indexValues.shape[indexValues.shape.ndims - 1];
        if (r > parameters.ndim)
            throw ctx.InvalidArgument($"index innermost dimension length must be <= params rank; saw: {r} vs. {parameters.ndim}");
        var outer = indexValues.shape.Dims[..^1];
        var slice = parameters.shape.Dims[r..];
        var output = ctx.AllocateUninitializedOutput(0, parameters.dtype, Shape.Own([.. outer, .. slice]));
        var offsets = NdIndices.Offsets(indexValues, parameters.shape, "indices", "param shape", ctx.InvalidArgumentOf);
        var sliceBytes = output.size == 0 || offsets.Length == 0 ? 0 : output.size / offsets.Length * parameters.dtype.size;
        var source = parameters.AsBytes();
        var target = output.AsWritableBytes();
        for (var i = 0; i < offsets.Length; i++)
            source.Slice(offsets[i] * sliceBytes, sliceBytes).CopyTo(target.Slice(i * sliceBytes, sliceBytes));
    });

    /// <summary>TensorFlow's <c>_GatherNdGrad</c>: the gradient scattered (and summed) back into zeros of params' shape.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (parameters, indices) = (op.inputs[0], op.inputs[1]);
        var refShape = parameters.shape.IsFullyDefined
            ? Const.Create(op.graph, Literal.ToNDArray(parameters.shape.Dims, indices.dtype), "Shape")
            : Shape_.Build(parameters, indices.dtype);
        return [ScatterNd.Build(indices, grads[0]!, refShape), null];
    }

    /// <summary><c>tf.gather_nd(params, indices)</c>.</summary>
    public static Tensor Build(TensorLike parameters, TensorLike indices, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "GatherNd", parameters, indices);
        var p = b.Convert(parameters, "params");
        var i = b.Convert(indices, "indices");
        return b.Create(Def, [p, i], new() { { Tparams, p.dtype }, { Tindices, i.dtype } }).outputs[0];
    }
}
