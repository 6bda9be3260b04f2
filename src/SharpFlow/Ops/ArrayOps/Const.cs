using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Const: a value stored in the graph (attribute <c>value</c>). <c>tf.constant</c> follows TensorFlow 1.x: a
/// scalar with a shape fills it; a list shorter than the shape repeats its last element; a longer one is an error.
/// </summary>
internal sealed class Const : OpDef
{
    public static readonly Const Def = new();

    internal static readonly OpAttr<NDArray> Value = new("value");
    internal static readonly OpAttr<DType> Dtype = new("dtype");

    public override string Type => "Const";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var value = Value.Of(ctx);
        ctx.AddOutput(value.dtype, value.shape);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var value = Value.Of(op);
        ConstantValues.Register(value); // kernels that prepack constant weights recognise it (ConstantOperand)
        return OpKernel.From(ctx => ctx.ForwardOutput(0, value));
    }

    public override NDArray? ConstantValue(Operation op, int index) => Value.Of(op);

    /// <summary>A constant holding <paramref name="value"/> (not copied; callers pass a value they own).</summary>
    public static Tensor Create(Graph graph, NDArray value, string name = "Const")
    {
        var op = graph.CreateOp(Def, name, [], new Dictionary<string, object> { { Value, value }, { Dtype, value.dtype } });
        return op.outputs[0];
    }

    /// <summary><c>tf.constant(value, dtype, shape, name, verify_shape)</c>.</summary>
    public static Tensor Build(object value, DType? dtype = null, Shape? shape = null, string name = "Const", bool verifyShape = false)
    {
        var array = Literal.ToNDArray(value, dtype);
        if (shape is not null)
        {
            if (!shape.IsFullyDefined) throw new ValueError($"tf.constant needs a fully defined shape, got {shape}.");
            if (verifyShape && array.shape != shape)
                throw new TypeError($"Expected Tensor's shape: {shape}, got {array.shape}.");
            array = Fit(array, shape);
        }
        return Create(Graph.get_default(), array, name);
    }

    private static NDArray Fit(NDArray array, Shape shape)
    {
        var needed = NDArray.CheckedCount(shape, array.dtype);
        if (array.size == needed) return array.Reshape(shape);
        if (array.size > needed)
            throw new ValueError($"Too many elements provided. Needed at most {needed}, but received {array.size}");
        if (array.size == 0)
            throw new ValueError($"Cannot fill a constant of shape {shape} from an empty value.");
        var result = NDArray.Zeros(array.dtype, shape);
        var storage = result.Storage;
        System.Array.Copy(array.Storage, storage, array.size);
        var last = array.Storage.GetValue(array.size - 1);
        for (var i = array.size; i < needed; i++) storage.SetValue(last, i);
        return result;
    }
}
