using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArraySplitV3: writes consecutive pieces of <c>value</c>'s first axis, of the given <c>lengths</c>, as the elements.</summary>
internal sealed class TensorArraySplitV3 : TensorArrayOp
{
    public static readonly TensorArraySplitV3 Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "TensorArraySplitV3";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        if (ctx.InputDType(2) != DType.int64) throw ctx.TypeError("lengths must be an int64 vector");
        ctx.AddOutput(DType.float32, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var array = RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument);
        var value = ctx.Input(1);
        var lengths = ctx.Input(2).ToArray<long>();
        if (value.ndim == 0) throw ctx.InvalidArgument("Expected value to be at least a vector, but received shape: []");
        if (lengths.Sum() != value.shape[0])
            throw ctx.InvalidArgument($"Expected sum of lengths to be equal to values.shape[0], but sum of lengths is {lengths.Sum()} and value's shape is: {value.shape.ToListString()}");
        var tail = value.shape.AsSpan()[1..].ToArray();
        var start = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            var n = (int)lengths[i];
            array.Write(i, value[start..(start + n)].Reshape(new Shape([n, .. tail])), ctx.InvalidArgument);
            start += n;
        }
        Flow(ctx, 0);
    });

    /// <summary>The value's gradient is the gradient array concatenated (TensorFlow's <c>_TensorArraySplitGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        if (grads[0] is not { } flow) return [null, null, null, null];
        var (gradHandle, gradFlow) = TensorArrayGradV3.Build(op.inputs[0], flow, TensorArrayGradV3.GradSource(flow));
        var value = op.inputs[1];
        var rest = value.shape.IsKnownRank ? new Shape(value.shape.AsSpan()[1..].ToArray()) : Shape.Unknown;
        var grad = TensorArrayConcatV3.Build(gradHandle, gradFlow, value.dtype, rest).Value;
        grad.SetShape(value.shape);
        return [null, grad, null, flow];
    }

    public static Tensor Build(Tensor handle, Tensor value, TensorLike lengths, Tensor flow)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArraySplit");
        var l = b.Convert(lengths, "lengths", DType.int64);
        return b.Create(Def, [handle, value, l, flow], new() { { T, value.dtype } }).outputs[0];
    }
}
