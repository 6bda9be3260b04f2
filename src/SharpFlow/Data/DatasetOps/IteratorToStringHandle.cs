using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>IteratorToStringHandle: a string that names the iterator, for feedable iterators (<c>string_handle()</c>).</summary>
internal sealed class IteratorToStringHandle : OpDef
{
    public static readonly IteratorToStringHandle Def = new();

    public override string Type => "IteratorToStringHandle";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError("resource_handle must be an iterator handle");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        ctx.ForwardOutput(0, NDArray.FromStrings([IteratorResource.Of(ctx.Input(0), ctx.InvalidArgument).StringHandle])));

    /// <summary>The string handle of <paramref name="iterator"/>.</summary>
    public static Tensor Build(Tensor iterator, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "IteratorToStringHandle", iterator);
        return b.Create(Def, [b.Convert(iterator, "resource_handle")]).outputs[0];
    }
}
