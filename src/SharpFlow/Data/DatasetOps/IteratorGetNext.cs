using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>IteratorGetNext: the next element's components; <c>OutOfRangeError</c> ("End of sequence") at the end.</summary>
internal sealed class IteratorGetNext : OpDef
{
    public static readonly IteratorGetNext Def = new();

    private static readonly OpAttr<DType[]> OutputTypes = new("output_types");
    private static readonly OpAttr<Shape[]> OutputShapes = new("output_shapes");

    public override string Type => "IteratorGetNext";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError("iterator must be an iterator handle");
        var types = OutputTypes.Of(ctx);
        var shapes = OutputShapes.Of(ctx);
        for (var i = 0; i < types.Length; i++) ctx.AddOutput(types[i], shapes[i]);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var element = IteratorResource.Of(ctx.Input(0), ctx.InvalidArgument).GetNext(op.name);
        if (element.Length != op.outputs.Count)
            throw ctx.InvalidArgument($"Number of components does not match: expected {op.outputs.Count} but the element has {element.Length}.");
        for (var i = 0; i < element.Length; i++)
        {
            if (element[i].dtype != op.outputs[i].dtype)
                throw ctx.InvalidArgument($"Data type mismatch at component {i}: expected {op.outputs[i].dtype.name} but got {element[i].dtype.name}.");
            ctx.ForwardOutput(i, element[i]);
        }
    });

    /// <summary>The next-element tensors of <paramref name="iterator"/>.</summary>
    public static Tensor[] Build(Tensor iterator, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "IteratorGetNext", iterator);
        return [.. b.Create(Def, [b.Convert(iterator, "iterator")], new() { { OutputTypes, types }, { OutputShapes, shapes } }).outputs];
    }
}
