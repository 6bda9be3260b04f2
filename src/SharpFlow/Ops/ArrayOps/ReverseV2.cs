using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>ReverseV2 (<c>tf.reverse</c>): the input with the order of elements reversed along each axis in <c>axis</c>.</summary>
internal sealed class ReverseV2 : OpDef
{
    public static readonly ReverseV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);

    public override string Type => "ReverseV2";

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(1) != DType.int32 && ctx.InputDType(1) != DType.int64) throw ctx.TypeError($"axis must be int32 or int64, got {ctx.InputDType(1).name}");
        var input = ctx.InputShape(0);
        var axes = ctx.InputShape(1);
        if (axes.IsKnownRank && axes.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {axes.ndims} for axis ({axes.ToListString()})");
        if (input.IsKnownRank && input.ndims > 8) throw ctx.Error($"reverse does not work on tensors with more than 8 dimensions");
        if (ctx.ConstantInput(1) is { } value && input.IsKnownRank) Axes(value, input.ndims, m => ctx.Error(m));
        ctx.AddOutput(ctx.InputDType(0), input);
    }

    /// <summary>Which dimensions are reversed, with TensorFlow's checks (range, repeats).</summary>
    private static bool[] Axes(NDArray value, int rank, Func<string, Exception> error)
    {
        var axes = value.ToArray<long>();
        var reversed = new bool[rank];
        for (var i = 0; i < axes.Length; i++)
        {
            var a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) throw error($"'axis'[{i}] = {axes[i]} is out of valid range [0, {rank - 1}]");
            if (reversed[a]) throw error($"axis {a} specified more than once.");
            reversed[a] = true;
        }
        return reversed;
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (ctx.Input(1).ndim != 1) throw ctx.InvalidArgument($"'dims' must be 1-dimension, not {ctx.Input(1).ndim}");
        var reversed = Axes(ctx.Input(1), x.ndim, ctx.InvalidArgumentOf);
        var dims = x.shape.AsSpan();
        var strides = DataMovement.Strides(dims);
        var offset = 0;
        for (var i = 0; i < dims.Length; i++)
            if (reversed[i] && dims[i] > 0)
            {
                offset += (dims[i] - 1) * strides[i];
                strides[i] = -strides[i];
            }
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        DataMovement.StridedCopy(x, offset, strides, y, 0, DataMovement.Strides(dims), dims);
    });

    /// <summary>TensorFlow's <c>_ReverseV2Grad</c>: the gradient reversed along the same axes.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [Build(grads[0]!, op.inputs[1]), null];

    /// <summary><c>tf.reverse(tensor, axis)</c>.</summary>
    public static Tensor Build(TensorLike tensor, TensorLike axis, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ReverseV2", tensor, axis);
        var x = b.Convert(tensor, "tensor");
        var a = b.Convert(axis, "axis");
        return b.Create(Def, [x, a], new() { { T, x.dtype }, { Tidx, a.dtype } }).outputs[0];
    }
}
