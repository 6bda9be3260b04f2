using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>TensorArrayCloseV3: releases the array; later uses are errors.</summary>
internal sealed class TensorArrayCloseV3 : TensorArrayOp
{
    public static readonly TensorArrayCloseV3 Def = new();

    public override string Type => "TensorArrayCloseV3";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => CheckHandle(ctx);

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument).Closed = true);

    public static Operation Build(Tensor handle)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArrayClose");
        return b.Create(Def, [handle]);
    }
}
