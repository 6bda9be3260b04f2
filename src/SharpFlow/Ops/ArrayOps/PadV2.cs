using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// PadV2: <see cref="Pad"/> with <c>constant_values</c>, a scalar of the input's dtype, in place of zeros
/// (<c>tf.pad(tensor, paddings, constant_values=v)</c>). The ONNX importer pads max pooling's input with minus
/// infinity through it, which the graph optimizer folds into the pooling's padding.
/// </summary>
internal sealed class PadV2 : OpDef
{
    public static readonly PadV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tpaddings = new("Tpaddings", DType.int32);

    public override string Type => "PadV2";

    public override void InferShapes(InferenceContext ctx)
    {
        var value = ctx.InputShape(2);
        if (value.IsKnownRank && value.ndims != 0) throw ctx.Error($"constant_values must be a scalar, got shape {value.ToListString()}");
        if (ctx.InputDType(2) != ctx.InputDType(0))
            throw ctx.TypeError($"constant_values must have the input's dtype {ctx.InputDType(0).name}, got {ctx.InputDType(2).name}");
        Pad.Def.InferShapes(ctx);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var p = ctx.Input(1);
        var value = ctx.Input(2);
        if (value.ndim != 0) throw ctx.InvalidArgument($"constant_values must be a scalar. Shape of constant_values: {value.shape.ToListString()}");
        if (p.ndim != 2 || p.shape[0] != x.ndim || p.shape[1] != 2)
            throw ctx.InvalidArgument($"paddings must be a matrix of shape [{x.ndim},2], got {p.shape.ToListString()}");
        var pads = p.ToArray<long>();
        var dims = new int[x.ndim];
        for (var i = 0; i < x.ndim; i++)
        {
            if (pads[2 * i] < 0 || pads[2 * i + 1] < 0) throw ctx.InvalidArgument($"Paddings must be non-negative: {pads[2 * i]} {pads[2 * i + 1]}");
            dims[i] = checked((int)(x.shape[i] + pads[2 * i] + pads[2 * i + 1]));
        }
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Shape.Own(dims));
        Fill.FillWith(y, value);
        var yStrides = DataMovement.Strides(dims);
        var offset = 0L;
        for (var i = 0; i < x.ndim; i++) offset += pads[2 * i] * yStrides[i];
        DataMovement.StridedCopy(x, 0, DataMovement.Strides(x.shape.AsSpan()), y, (int)offset, yStrides, x.shape.AsSpan());
    });

    /// <summary>TensorFlow's <c>_PadGrad</c>: the input's block of the gradient; none for the paddings and the value.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [.. Pad.Def.Gradient(op, grads), null];

    /// <summary><c>tf.pad(tensor, paddings, constant_values=value)</c>.</summary>
    public static Tensor Build(TensorLike tensor, TensorLike paddings, TensorLike constantValues, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Pad", tensor, paddings, constantValues);
        var x = b.Convert(tensor, "input");
        var p = b.Convert(paddings, "paddings");
        var v = b.Convert(constantValues, "constant_values", x.dtype);
        return b.Create(Def, [x, p, v], new() { { T, x.dtype }, { Tpaddings, p.dtype } }).outputs[0];
    }
}
