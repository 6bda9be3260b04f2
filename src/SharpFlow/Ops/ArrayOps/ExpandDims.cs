using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>ExpandDims: inserts a dimension of size 1 at <c>axis</c> (negative counts from the end).</summary>
internal sealed class ExpandDims : OpDef
{
    public static readonly ExpandDims Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tdim = new("Tdim", DType.int32);

    public override string Type => "ExpandDims";

    public override void InferShapes(InferenceContext ctx)
    {
        var input = ctx.InputShape(0);
        var axis = ctx.ConstantInput(1);
        if (!input.IsKnownRank || axis is null)
        {
            ctx.AddOutput(ctx.InputDType(0), input.IsKnownRank ? Shape.UnknownDims(input.ndims + 1) : Shape.Unknown);
            return;
        }
        ctx.AddOutput(ctx.InputDType(0), Expand(input.Dims, axis, m => ctx.Error(m)));
    }

    private static Shape Expand(int[] dims, NDArray axisValue, Func<string, Exception> error)
    {
        if (axisValue.size != 1) throw error($"'dim' must be a scalar, got shape {axisValue.shape.ToListString()}");
        var axis = axisValue.ToArray<long>()[0];
        var rank = dims.Length;
        if (axis < -rank - 1 || axis > rank) throw error($"Tried to expand dim index {axis} for tensor with {rank} dimensions.");
        var list = dims.ToList();
        list.Insert((int)(axis < 0 ? axis + rank + 1 : axis), 1);
        return Shape.Own([.. list]);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        ctx.ForwardOutput(0, x.Reshape(Expand(x.shape.Dims, ctx.Input(1), ctx.InvalidArgumentOf)));
    });

    /// <summary><c>tf.expand_dims(input, axis)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike axis, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ExpandDims", input, axis);
        var x = b.Convert(input, "input");
        var a = b.Convert(axis, "dim");
        return b.Create(Def, [x, a], new() { { T, x.dtype }, { Tdim, a.dtype } }).outputs[0];
    }

    /// <summary>The gradient is reshaped back to the input's shape.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [Reshape.Build(grads[0]!, Shapes.Of(op.inputs[0])), null];
}
