using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// ScatterNd (<c>tf.scatter_nd</c>): zeros of <c>shape</c> with each slice of <c>updates</c> added at the position
/// its index row names (repeated positions sum). <c>updates.shape</c> must be
/// <c>indices.shape[:-1] + shape[indices.shape[-1]:]</c>.
/// </summary>
internal sealed class ScatterNd : OpDef
{
    public static readonly ScatterNd Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");

    public override string Type => "ScatterNd";

    public override void InferShapes(InferenceContext ctx)
    {
        var indexType = ctx.InputDType(0);
        if (indexType != DType.int32 && indexType != DType.int64) throw ctx.TypeError($"indices must be int32 or int64, got {indexType.name}");
        if (ctx.InputDType(2) != indexType) throw ctx.TypeError($"shape must have the dtype of indices ({indexType.name}), got {ctx.InputDType(2).name}");
        if (ctx.InputDType(1) == DType.@bool) throw ctx.TypeError("updates must be a number type, got bool (repeated positions add)");
        var indices = ctx.InputShape(0);
        var updates = ctx.InputShape(1);
        var output = ctx.ShapeFromInput(2);
        if (indices.IsKnownRank && indices.ndims < 1) throw ctx.Error("indices must be at least a vector");
        if (indices.IsKnownRank && updates.IsKnownRank && output.IsKnownRank && indices[indices.ndims - 1] >= 0)
            CheckUpdates(indices, updates, output, m => ctx.Error(m));
        ctx.AddOutput(ctx.InputDType(1), output);
    }

    private static void CheckUpdates(Shape indices, Shape updates, Shape shape, Func<string, Exception> error)
    {
        var r = indices[indices.ndims - 1];
        var batch = indices.ndims - 1;
        Exception Bad() => error($"Must have updates.shape = indices.shape[:batch_dim] + shape[slice_dim:], got updates.shape: {updates.ToListString()}, indices.shape: {indices.ToListString()}, shape: {shape.ToListString()}, slice_dim: {r}, and batch_dim: {batch}");
        if (r > shape.ndims) throw error($"The outer {r} dimensions of indices.shape={indices.ToListString()} must match the outer {r} dimensions of shape={shape.ToListString()}");
        var expected = new Shape([.. indices.Dims[..^1], .. shape.Dims[r..]]);
        if (updates.ndims != expected.ndims || !updates.IsCompatibleWith(expected)) throw Bad();
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (indices, updates, shapeValue) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        if (shapeValue.ndim != 1) throw ctx.InvalidArgument($"Shape must be a vector, got shape {shapeValue.shape.ToListString()}");
        if (indices.ndim < 1) throw ctx.InvalidArgument("indices must be at least a vector");
        var dims = shapeValue.ToArray<long>();
        foreach (var d in dims) if (d < 0) throw ctx.InvalidArgument($"Indices and shape must be non-negative, got shape {shapeValue.shape.ToListString()} = [{string.Join(", ", dims)}]");
        var shape = Shape.Own(System.Array.ConvertAll(dims, d => checked((int)d)));
        CheckUpdates(indices.shape, updates.shape, shape, ctx.InvalidArgumentOf);
        var output = ctx.AllocateOutput(0, updates.dtype, shape);
        var offsets = NdIndices.Offsets(indices, shape, "indices", "shape", ctx.InvalidArgumentOf);
        if (offsets.Length == 0 || updates.size == 0) return;
        var slice = updates.size / offsets.Length;
        ArrayKernels.ScatterAdd(updates, output, offsets, slice);
    });

    /// <summary>TensorFlow's <c>_ScatterNdGrad</c>: the updates' gradient is the gradient gathered at the indices.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [null, GatherNd.Build(grads[0]!, op.inputs[0]), null];

    /// <summary><c>tf.scatter_nd(indices, updates, shape)</c>.</summary>
    public static Tensor Build(TensorLike indices, TensorLike updates, TensorLike shape, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ScatterNd", indices, updates, shape);
        var i = b.Convert(indices, "indices");
        var u = b.Convert(updates, "updates");
        var s = b.Convert(shape, "shape", shape.Value is Tensor ? null : i.dtype);
        return b.Create(Def, [i, u, s], new() { { T, u.dtype }, { Tindices, i.dtype } }).outputs[0];
    }
}
