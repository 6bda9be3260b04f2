using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArrayV3: a new array of <c>size</c> elements for this run; outputs its handle and its flow.</summary>
internal sealed class TensorArrayV3 : TensorArrayOp
{
    public static readonly TensorArrayV3 Def = new();

    private static readonly OpAttr<DType> Dtype = new("dtype");
    private static readonly OpAttr<Shape> ElementShape = new("element_shape");
    private static readonly OpAttr<bool> DynamicSize = new("dynamic_size", false);
    private static readonly OpAttr<bool> ClearAfterRead = new("clear_after_read", true);
    private static readonly OpAttr<string> TensorArrayName = new("tensor_array_name", "");
    internal static readonly OpAttr<bool> IdenticalElementShapes = new("identical_element_shapes", false);

    public override string Type => "TensorArrayV3";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.int32) throw ctx.TypeError("size must be an int32 scalar");
        ctx.AddOutput(DType.resource, Shape.Scalar);
        ctx.AddOutput(DType.float32, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var dtype = Dtype.Of(op);
        var elementShape = ElementShape.Of(op);
        var dynamicSize = DynamicSize.Of(op);
        var clearAfterRead = ClearAfterRead.Of(op);
        var name = TensorArrayName.Of(op);
        return OpKernel.From(ctx =>
        {
            var size = OpValues.Scalar(ctx.Input(0), "size", ctx.InvalidArgument);
            if (size < 0) throw ctx.InvalidArgument($"Size should be >= 0, got {size}");
            var array = new RunTensorArray(name.Length > 0 ? name : ctx.op.name, dtype, (int)size, dynamicSize, clearAfterRead, elementShape, isGrad: false);
            ctx.ForwardOutput(0, RunTensorArray.Handle(array));
            Flow(ctx, 1);
        });
    }

    /// <summary>The op behind <c>tf.TensorArray(dtype, size, ...)</c>.</summary>
    public static (Tensor Handle, Tensor Flow) Build(TensorLike size, DType dtype, Shape elementShape, bool dynamicSize, bool clearAfterRead,
        string tensorArrayName, string? name)
    {
        using var b = OpBuilder.Begin(name, "TensorArray", size);
        var s = b.Convert(size, "size", DType.int32);
        var op = b.Create(Def, [s], new()
        {
            { Dtype, dtype }, { ElementShape, elementShape }, { DynamicSize, dynamicSize }, { ClearAfterRead, clearAfterRead },
            { IdenticalElementShapes, false }, { TensorArrayName, tensorArrayName },
        });
        return (op.outputs[0], op.outputs[1]);
    }
}
