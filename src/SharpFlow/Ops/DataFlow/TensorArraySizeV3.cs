using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArraySizeV3: the current number of elements (int32).</summary>
internal sealed class TensorArraySizeV3 : TensorArrayOp
{
    public static readonly TensorArraySizeV3 Def = new();

    public override string Type => "TensorArraySizeV3";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        ctx.AddOutput(DType.int32, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var size = ctx.AllocateUninitializedOutput(0, DType.int32, Shape.Scalar);
        size.AsSpan<int>()[0] = RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument).Size;
    });

    public static Tensor Build(Tensor handle, Tensor flow)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArraySize");
        return b.Create(Def, [handle, flow]).outputs[0];
    }
}
