using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.State;

/// <summary>
/// ResourceGather (<c>tf.gather</c> and <c>embedding_lookup</c> of a resource variable): the rows of the variable at
/// <c>indices</c>, shape <c>indices.shape + variable.shape[1:]</c> (attributes <c>dtype</c>, <c>Tindices</c>,
/// <c>batch_dims</c> = 0, <c>validate_indices</c>). An index out of range is TensorFlow's InvalidArgumentError
/// (<c>indices[1] = 7 is not in [0, 5)</c>). Its gradient (an IndexedSlices update of the handle, for the resource
/// optimizers' sparse updates SharpFlow lacks) is not defined.
/// </summary>
internal sealed class ResourceGather : OpDef
{
    public static readonly ResourceGather Def = new();

    private static readonly OpAttr<DType> Dtype = new("dtype");
    private static readonly OpAttr<long> BatchDims = new("batch_dims", 0);
    internal static readonly OpAttr<DType> Tindices = new("Tindices");
    internal static readonly OpAttr<bool> ValidateIndices = new("validate_indices", true);

    public override string Type => "ResourceGather";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError($"Input 'resource' must be a resource handle, got {ctx.InputDType(0).name}");
        if (ctx.InputDType(1) != DType.int32 && ctx.InputDType(1) != DType.int64) throw ctx.TypeError($"indices must be int32 or int64, got {ctx.InputDType(1).name}");
        if (BatchDims.Of(ctx) is var batchDims && batchDims != 0)
            throw ctx.Error($"batch_dims {batchDims} is not supported (only 0)");
        var dtype = Dtype.Of(ctx);
        var indices = ctx.InputShape(1);
        if (VarHandleOp.Producer(ctx.Inputs[0]) is not { } handle || !VarHandleOp.ShapeAttr.Of(handle).IsKnownRank || !indices.IsKnownRank)
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            return;
        }
        var parameters = VarHandleOp.ShapeAttr.Of(handle);
        if (parameters.ndims == 0) throw ctx.Error("params must be at least 1 dimensional");
        ctx.AddOutput(dtype, Shape.Own([.. indices.Dims, .. parameters.Dims[1..]]));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var dtype = Dtype.Of(op);
        return OpKernel.From(ctx =>
        {
            var handle = ResourceVariableHandle.Of(ctx.Input(0), ctx.InvalidArgumentOf);
            var indexValues = ctx.Input(1);
            using var _ = ctx.Variables.Lock(handle.Key);
            var parameters = handle.Read(ctx, ctx.op.name);
            if (parameters.dtype != dtype)
                throw ctx.InvalidArgument($"Trying to read variable with wrong dtype. Expected {parameters.dtype.name} got {dtype.name}");
            if (parameters.dtype == DType.@string) throw ctx.InvalidArgument("ResourceGather of a string variable is not supported");
            if (parameters.ndim == 0) throw ctx.InvalidArgument("params must be at least 1 dimensional");
            var limit = parameters.shape.Dims[0];
            var indices = indexValues.ToArray<long>();
            for (var i = 0; i < indices.Length; i++)
                if (indices[i] < 0 || indices[i] >= limit)
                    throw ctx.InvalidArgument($"indices{GatherV2.Coordinates(i, indexValues.shape)} = {indices[i]} is not in [0, {limit})");
            var output = ctx.AllocateUninitializedOutput(0, dtype, Shape.Own([.. indexValues.shape.Dims, .. parameters.shape.Dims[1..]]));
            var row = limit == 0 ? 0 : (int)(parameters.AsBytes().Length / limit);
            var source = parameters.AsBytes();
            var target = output.AsWritableBytes();
            for (var i = 0; i < indices.Length; i++) source.Slice((int)(indices[i] * row), row).CopyTo(target.Slice(i * row, row));
        });
    }

    /// <summary><c>gen_resource_variable_ops.resource_gather(resource, indices, dtype)</c>.</summary>
    public static Tensor Build(Tensor resource, TensorLike indices, DType dtype, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var b = OpBuilder.Begin(name, "ResourceGather", resource, indices);
        var i = b.Convert(indices, "indices");
        return b.Create(Def, [resource, i], new() { { Dtype, dtype }, { Tindices, i.dtype }, { BatchDims, 0L }, { ValidateIndices, true } }).outputs[0];
    }
}
