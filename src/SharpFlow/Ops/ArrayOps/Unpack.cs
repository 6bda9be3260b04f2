using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Unpack (<c>tf.unstack</c>): the <c>num</c> slices of a tensor along <c>axis</c>, each without that dimension.</summary>
internal sealed class Unpack : OpDef
{
    public static readonly Unpack Def = new();

    private static readonly OpAttr<long> Num = new("num");
    private static readonly OpAttr<long> AxisAttr = new("axis", 0);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Unpack";

    public override void InferShapes(InferenceContext ctx)
    {
        var num = (int)Num.Of(ctx);
        var input = ctx.InputShape(0);
        Shape output = Shape.Unknown;
        if (input.IsKnownRank)
        {
            var axis = Pack.Axis(AxisAttr.Of(ctx), input.ndims, m => ctx.Error(m));
            if (input[axis] >= 0 && input[axis] != num) throw ctx.Error($"Dimension must be {num} but is {input[axis]}");
            var dims = input.Dims.ToList();
            dims.RemoveAt(axis);
            output = Shape.Own([.. dims]);
        }
        for (var i = 0; i < num; i++) ctx.AddOutput(ctx.InputDType(0), output);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var (num, axisAttr) = ((int)Num.Of(op), AxisAttr.Of(op));
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            var axis = Pack.Axis(axisAttr, x.ndim, ctx.InvalidArgumentOf);
            if (x.shape[axis] != num)
                throw ctx.InvalidArgument($"Input shape axis {axis} must equal {num}, got shape {x.shape.ToListString()}");
            var dims = x.shape.Dims.ToList();
            dims.RemoveAt(axis);
            var outDims = dims.ToArray();
            var strides = DataMovement.Strides(x.shape.AsSpan());
            var walk = strides.Where((_, d) => d != axis).ToArray();
            var outStrides = DataMovement.Strides(outDims);
            for (var i = 0; i < num; i++)
            {
                var y = ctx.AllocateUninitializedOutput(i, x.dtype, Shape.Own((int[])outDims.Clone()));
                DataMovement.StridedCopy(x, i * strides[axis], walk, y, 0, outStrides, outDims);
            }
        });
    }

    /// <summary>
    /// <c>tf.unstack(tf.shape(x))[i]</c> when dimension i of x is known (TensorFlow's <c>TryInferFromShapes</c>).
    /// </summary>
    public override NDArray? ConstantValue(Operation op, int index)
    {
        var source = op.inputs[0];
        if (source.op.Def is not Shape_ || AxisAttr.Of(op) != 0) return null;
        var shape = source.op.inputs[0].shape;
        if (!shape.IsKnownRank || index >= shape.ndims || shape[index] < 0) return null;
        return Literal.ToNDArray(shape[index], source.dtype);
    }

    /// <summary>
    /// TensorFlow's <c>_UnpackGrad</c>: the outputs' gradients stacked back along the axis (zeros for outputs
    /// nothing depends on).
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var parts = new TensorLike[grads.Count];
        for (var i = 0; i < grads.Count; i++) parts[i] = grads[i] ?? ZerosLike.Def.Apply(op.outputs[i], null, true, null);
        return [Pack.Build(parts, AxisAttr.Of(op))];
    }

    /// <summary><c>tf.unstack(value, num, axis)</c>; <paramref name="num"/> defaults to the static size of the axis.</summary>
    public static Tensor[] Build(TensorLike value, int? num = null, long axis = 0, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "unstack", value);
        var x = b.Convert(value, "value");
        if (num is null)
        {
            var s = x.shape;
            if (!s.IsKnownRank) throw new ValueError($"Cannot infer num from shape {s}");
            if (axis < -s.ndims || axis >= s.ndims) throw new ValueError($"axis = {axis} not in [{-s.ndims}, {s.ndims})");
            var a = (int)(axis < 0 ? axis + s.ndims : axis);
            if (s[a] < 0) throw new ValueError($"Cannot infer num from shape {s}");
            num = s[a];
        }
        return [.. b.Create(Def, [x], new() { { T, x.dtype }, { Num, (long)num.Value }, { AxisAttr, axis } }).outputs];
    }
}
