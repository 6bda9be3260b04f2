using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.State;

/// <summary>
/// The shared rule of TensorFlow 1.x's ref-variable scatters (ScatterUpdate, ScatterAdd, ScatterSub, ScatterMul,
/// ScatterDiv, ScatterMin, ScatterMax): row <c>indices[i...]</c> of the variable is combined with
/// <c>updates[i..., ...]</c> in place, in index order (so repeated indices accumulate, and ScatterUpdate keeps the
/// last), and the op outputs the variable. <c>updates.shape</c> is <c>indices.shape + ref.shape[1:]</c>, or a scalar
/// that every row takes. TensorFlow registers no gradient for them.
/// </summary>
internal abstract class ScatterOp : VariableScatterOp
{
    private static readonly OpAttr<bool> UseLocking = new("use_locking");
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");

    public override void InferShapes(InferenceContext ctx)
    {
        CheckInputs(ctx);
        var (reference, indices, updates) = (ctx.InputShape(0), ctx.InputShape(1), ctx.InputShape(2));
        if (reference.IsKnownRank && reference.ndims < 1) throw ctx.Error("Shape must be at least rank 1 but is rank 0 (ref)");
        if (reference.IsKnownRank && indices.IsKnownRank && updates.IsKnownRank && updates.ndims != 0)
        {
            var expected = new Shape([.. indices.Dims, .. reference.Dims[1..]]);
            if (!updates.IsCompatibleWith(expected))
                throw ctx.Error($"updates.shape must be indices.shape + ref.shape[1:] = {expected.ToListString()} or [], got updates.shape {updates.ToListString()}, indices.shape {indices.ToListString()}, ref.shape {reference.ToListString()}");
        }
        ctx.AddOutput(ctx.InputDType(0), reference);
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
            if (current.ndim < 1) throw ctx.InvalidArgument($"params must be at least 1-D, got shape {current.shape.ToListString()}");
            var scalar = updates.ndim == 0;
            if (!scalar && !updates.shape.AsSpan().SequenceEqual([.. indices.shape.AsSpan(), .. current.shape.AsSpan()[1..]]))
                throw ctx.InvalidArgument($"Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], got updates.shape {updates.shape.ToListString()}, indices.shape {indices.shape.ToListString()}, params.shape {current.shape.ToListString()}");
            var rows = current.shape[0];
            var values = indices.ToArray<long>();
            var positions = new int[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] < 0 || values[i] >= rows)
                    throw ctx.InvalidArgument($"indices{GatherV2.Coordinates(i, indices.shape)} = {values[i]} is not in [0, {rows})");
                positions[i] = (int)values[i];
            }
            var slice = rows == 0 ? 0 : (int)(current.size / rows);
            try
            {
                ScatterKernels.Apply(current, updates, positions, slice, scalar, mode);
            }
            catch (DivideByZeroException)
            {
                throw ctx.InvalidArgument("Integer division by zero");
            }
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
