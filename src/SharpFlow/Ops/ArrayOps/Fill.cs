using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Fill: a tensor of shape <c>dims</c> filled with a scalar <c>value</c>. Also home of <c>tf.zeros</c> and
/// <c>tf.ones</c>, which, as in TensorFlow, make a Const when the shape is known and small (under 1000 elements)
/// and a Fill otherwise.
/// </summary>
internal sealed class Fill : OpDef
{
    public static readonly Fill Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> IndexType = new("index_type", DType.int32);
    private const int SmallConstant = 1000;

    public override string Type => "Fill";

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputShape(1).IsKnownRank && ctx.InputShape(1).ndims != 0)
            throw ctx.Error($"value must be a scalar, got shape {ctx.InputShape(1).ToListString()}");
        if (!ctx.InputDType(0).is_integer) throw ctx.TypeError($"dims must be int32 or int64, got {ctx.InputDType(0).name}");
        ctx.AddOutput(ctx.InputDType(1), ctx.ShapeFromInput(0));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var shape = Shape.FromValue(ctx.Input(0), "dims", ctx.InvalidArgumentOf);
        var value = ctx.Input(1);
        if (value.size != 1) throw ctx.InvalidArgument($"value must be a scalar, got shape {value.shape.ToListString()}");
        var output = ctx.AllocateUninitializedOutput(0, value.dtype, shape);
        FillWith(output, value);
    });

    public override NDArray? ConstantValue(Operation op, int index) => null;

    internal static void FillWith(NDArray output, NDArray scalar)
    {
        var item = scalar.Storage.GetValue(0)!;
        switch (output.dtype.Id)
        {
            case DataType.Float: output.AsSpan<float>().Fill((float)item); break;
            case DataType.Double: output.AsSpan<double>().Fill((double)item); break;
            case DataType.Int32: output.AsSpan<int>().Fill((int)item); break;
            case DataType.Int64: output.AsSpan<long>().Fill((long)item); break;
            case DataType.UInt8: output.AsSpan<byte>().Fill((byte)item); break;
            default: output.AsSpan<bool>().Fill((bool)item); break;
        }
    }

    /// <summary><c>tf.fill(dims, value)</c>.</summary>
    public static Tensor Build(TensorLike dims, TensorLike value, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Fill", dims, value);
        var d = b.Convert(dims, "dims");
        var v = b.Convert(value, "value");
        return b.Create(Def, [d, v], new() { { T, v.dtype }, { IndexType, d.dtype } }).outputs[0];
    }

    /// <summary><c>tf.zeros(shape, dtype)</c> / <c>tf.ones(shape, dtype)</c> (float32 by default).</summary>
    public static Tensor Constant(Shape shape, DType dtype, bool one, string? name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!shape.IsFullyDefined) throw new ValueError($"tf.{(one ? "ones" : "zeros")} needs a fully defined shape, got {shape}; pass a shape tensor for dynamic shapes.");
        using var b = OpBuilder.Begin(Graph.get_default(), name, one ? "ones" : "zeros");
        var scalar = ScalarOf(dtype, one);
        if (shape.NumElements < SmallConstant)
        {
            var value = NDArray.Zeros(dtype, shape);
            FillWith(value, scalar);
            return Const.Create(b.Graph, value, b.Scope);
        }
        var dims = Const.Create(b.Graph, NDArray.FromFlat(shape.Dims, new Shape(shape.ndims)), "shape_as_tensor");
        var v = Const.Create(b.Graph, scalar, "Const");
        return b.Create(Def, [dims, v], new() { { T, dtype }, { IndexType, DType.int32 } }).outputs[0];
    }

    /// <summary><c>tf.zeros(shape_tensor, dtype)</c> for a shape known only at run time.</summary>
    public static Tensor Dynamic(Tensor shape, DType dtype, bool one, string? name)
    {
        using var b = OpBuilder.Begin(name, one ? "ones" : "zeros", shape);
        var v = Const.Create(b.Graph, ScalarOf(dtype, one), "Const");
        return b.Create(Def, [b.Convert(shape, "dims"), v], new() { { T, dtype }, { IndexType, shape.dtype } }).outputs[0];
    }

    internal static NDArray ScalarOf(DType dtype, bool one) =>
        dtype == DType.@bool ? NDArray.Scalar(one) : Literal.ToNDArray(one ? 1 : 0, dtype);

    /// <summary>The filled value receives the sum of the gradient; the dimensions have none.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [null, MathOps.Sum.Build(grads[0]!)];
}
