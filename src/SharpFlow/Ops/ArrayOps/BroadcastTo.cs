using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// BroadcastTo: the input repeated along new leading axes and axes of size 1 to reach <c>shape</c>, by NumPy's
/// broadcasting rules (<c>tf.broadcast_to</c>). Reduction gradients use it to spread a gradient back.
/// </summary>
internal sealed class BroadcastTo : OpDef
{
    public static readonly BroadcastTo Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);

    public override string Type => "BroadcastTo";

    public override bool BroadcastsInputs => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (!ctx.InputDType(1).is_integer) throw ctx.TypeError($"shape must be int32 or int64, got {ctx.InputDType(1).name}");
        var target = ctx.ShapeFromInput(1);
        var input = ctx.InputShape(0);
        if (target.IsKnownRank && input.IsKnownRank)
        {
            if (input.ndims > target.ndims || Shape.TryBroadcast(input, target) is not { } b || (b.IsKnownRank && !b.IsCompatibleWith(target)))
                throw ctx.Error($"cannot broadcast shape {input.ToListString()} to {target.ToListString()}");
        }
        ctx.AddOutput(ctx.InputDType(0), target);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var dims = Shape.DimsFromValue(ctx.Input(1), "shape", ctx.InvalidArgumentOf);
        var strides = Strides(x.shape.AsSpan(), dims) ?? throw ctx.InvalidArgument($"Unable to broadcast tensor of shape {x.shape.ToListString()} to tensor of shape [{string.Join(",", dims)}]");
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Shape.Own(dims));
        DataMovement.StridedCopy(x, 0, strides, y, 0, DataMovement.Strides(dims), dims);
    });

    /// <summary>The input strides walked by each output axis (0 where the input repeats), or null when it cannot broadcast.</summary>
    internal static int[]? Strides(ReadOnlySpan<int> input, int[] target)
    {
        if (input.Length > target.Length) return null;
        var inStrides = DataMovement.Strides(input);
        var strides = new int[target.Length];
        var lead = target.Length - input.Length;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == target[lead + i]) strides[lead + i] = inStrides[i];
            else if (input[i] == 1) strides[lead + i] = 0;
            else return null;
        }
        return strides;
    }

    /// <summary>The input receives the gradient summed back to its shape by the gradient pass; the shape has none.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [grads[0], null];

    /// <summary><c>tf.broadcast_to(input, shape)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike shape, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "BroadcastTo", input, shape);
        var x = b.Convert(input, "input");
        var s = b.Convert(shape, "shape");
        return b.Create(Def, [x, s], new() { { T, x.dtype }, { Tidx, s.dtype } }).outputs[0];
    }
}
