using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.State;

/// <summary>
/// The shared rule of ScatterNdUpdate, ScatterNdAdd and ScatterNdSub: each row of <c>indices</c> (its last
/// dimension r) names a slice <c>ref[i0, ..., ir-1]</c> of the variable, combined in place with the matching slice
/// of <c>updates</c> (<c>updates.shape = indices.shape[:-1] + ref.shape[r:]</c>); the op outputs the variable.
/// TensorFlow registers no gradient for them.
/// </summary>
internal abstract class ScatterNdUpdateOp : VariableScatterOp
{
    private static readonly OpAttr<bool> UseLocking = new("use_locking");
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");

    public override void InferShapes(InferenceContext ctx)
    {
        CheckInputs(ctx);
        var (input, indices, updates) = (ctx.InputShape(0), ctx.InputShape(1), ctx.InputShape(2));
        if (indices.IsKnownRank && indices.ndims < 1) throw ctx.Error("Shape must be at least rank 1 but is rank 0 (indices)");
        if (updates.IsKnownRank && updates.ndims < 1) throw ctx.Error("Shape must be at least rank 1 but is rank 0 (updates)");
        if (input.IsFullyDefined && input.NumElements == 0 && ((indices.IsFullyDefined && indices.NumElements > 0) || (updates.IsFullyDefined && updates.NumElements > 0)))
            throw ctx.Error("Indices and updates specified for empty input");
        if (input.IsKnownRank && indices.IsKnownRank && updates.IsKnownRank && indices[indices.ndims - 1] >= 0)
        {
            var outer = indices.ndims - 1;
            var r = indices[outer];
            if (updates.ndims < outer || !new Shape(indices.Dims[..outer]).IsCompatibleWith(new Shape(updates.Dims[..outer])))
                throw ctx.Error($"The outer {outer} dimensions of indices.shape={indices.ToListString()} must match the outer {outer} dimensions of updates.shape={updates.ToListString()}");
            if (r > input.ndims || !new Shape(input.Dims[r..]).IsCompatibleWith(new Shape(updates.Dims[outer..])))
                throw ctx.Error($"The inner {input.ndims - r} dimensions of input.shape={input.ToListString()} must match the inner {updates.ndims - outer} dimensions of updates.shape={updates.ToListString()}");
        }
        ctx.AddOutput(ctx.InputDType(0), input);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var variable = VariableV2.Of(op.inputs[0], op.name);
        var useLocking = UseLocking.Of(op);
        var mode = Mode;
        return OpKernel.From(ctx =>
        {
            var (indices, updates) = (ctx.Input(1), ctx.Input(2));
            using var _ = useLocking ? ctx.Variables.Lock(variable) : null;
            var current = ctx.Variables.Read(variable)
                          ?? throw new FailedPreconditionError(VariableV2.UninitializedMessage(variable), ctx.op.name);
            var shape = current.shape;
            if (shape.ndims < 1) throw ctx.InvalidArgument($"Output must be at least 1-D, got shape: {shape.ToListString()}");
            if (indices.ndim < 1) throw ctx.InvalidArgument($"Indices shape must have rank at least one. Found:{indices.shape.ToListString()}");
            if (updates.ndim < 1) throw ctx.InvalidArgument($"Updates shape must have rank at least one. Found:{updates.shape.ToListString()}");
            if (current.size == 0 && (indices.size > 0 || updates.size > 0))
                throw ctx.InvalidArgument($"Indices and updates specified for empty output shape");
            var r = indices.shape[indices.ndim - 1];
            var batch = indices.ndim - 1;
            if (r > shape.ndims || !updates.shape.AsSpan().SequenceEqual([.. indices.shape.AsSpan()[..^1], .. shape.AsSpan()[r..]]))
                throw ctx.InvalidArgument($"Must have updates.shape = indices.shape[:batch_dim] + params_shape[slice_dim:], got updates.shape: {updates.shape.ToListString()}, indices.shape: {indices.shape.ToListString()}, params_shape: {shape.ToListString()}, slice_dim: {r}, and batch_dim: {batch}");
            var positions = NdIndices.Offsets(indices, shape, "indices", "param shape", ctx.InvalidArgumentOf);
            if (positions.Length > 0)
                ScatterKernels.Apply(current, updates, positions, (int)(updates.size / positions.Length), scalar: false, mode);
            ctx.ForwardOutput(0, current);
        });
    }

    /// <summary>Builds the op on a variable reference.</summary>
    public Tensor Apply(Tensor reference, TensorLike indices, TensorLike updates, bool useLocking, string? name)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var b = OpBuilder.Begin(name, Type, reference, indices, updates);
        var i = b.Convert(indices, "indices");
        var u = b.Convert(updates, "updates", reference.dtype);
        var refTensor = reference.op.outputs[reference.value_index];
        return b.Create(this, [refTensor, i, u], new() { { T, u.dtype }, { Tindices, i.dtype }, { UseLocking, useLocking } }).outputs[0];
    }
}
