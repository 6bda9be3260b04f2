using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Reshape: the same elements with another shape; one dimension may be -1 and is then inferred. The output
/// shares the input's buffer.
/// </summary>
internal sealed class Reshape : OpDef
{
    public static readonly Reshape Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tshape = new("Tshape", DType.int32);

    public override string Type => "Reshape";

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (!ctx.InputDType(1).is_integer) throw ctx.TypeError($"shape must be int32 or int64, got {ctx.InputDType(1).name}");
        var input = ctx.InputShape(0);
        var requested = ctx.ConstantInput(1);
        if (requested is null)
        {
            // The entries known at build time (TensorFlow's MakeShapeFromShapeTensor): tf.stack([tf.shape(x)[0], 12]).
            ctx.AddOutput(ctx.InputDType(0), ctx.ShapeFromInput(1));
            return;
        }
        ctx.AddOutput(ctx.InputDType(0), Resolve(requested, input, m => ctx.Error(m), staticShape: true));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var shape = Resolve(ctx.Input(1), x.shape, ctx.InvalidArgumentOf, staticShape: false);
        ctx.ForwardOutput(0, x.Reshape(shape));
    });

    public override NDArray? ConstantValue(Operation op, int index)
    {
        var v = op.inputs[0].op.Def.ConstantValue(op.inputs[0].op, op.inputs[0].value_index);
        return v is not null && op.outputs[0].shape.IsFullyDefined ? v.Reshape(op.outputs[0].shape) : null;
    }

    /// <summary>The concrete (or static) output shape, inferring a -1 dimension from the element count.</summary>
    private static Shape Resolve(NDArray requested, Shape input, Func<string, Exception> error, bool staticShape)
    {
        var dims = Shape.DimsFromValue(requested, "shape", error, allowUnknown: true);
        var unknown = -1;
        long known = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (unknown >= 0) throw error($"can only infer one dimension, got {requested.shape.ToListString()} with several -1");
                unknown = i;
            }
            else if (dims[i] < 0) throw error($"size {i} must be non-negative, not {dims[i]}");
            else known = checked(known * dims[i]);
        }
        var count = input.NumElements; // -1 when not fully known
        if (count < 0)
        {
            if (staticShape) return new Shape(dims);
            throw error("the input's shape must be known");
        }
        if (unknown >= 0)
        {
            if (known == 0 || count % known != 0)
                throw error($"Input to reshape is a tensor with {count} values, but the requested shape requires a multiple of {known}");
            dims[unknown] = (int)(count / known);
        }
        else if (known != count)
            throw error($"Input to reshape is a tensor with {count} values, but the requested shape has {known}");
        return Shape.Interned(dims);
    }

    /// <summary><c>tf.reshape(tensor, shape)</c>.</summary>
    public static Tensor Build(TensorLike tensor, TensorLike shape, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Reshape", tensor, shape);
        var x = b.Convert(tensor, "tensor");
        var s = b.Convert(shape, "shape");
        return b.Create(Def, [x, s], new() { { T, x.dtype }, { Tshape, s.dtype } }).outputs[0];
    }

    /// <summary>The gradient is reshaped back to the input's shape.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [Build(grads[0]!, Shapes.Of(op.inputs[0])), null];
}
