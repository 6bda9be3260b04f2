using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// DatasetToSingleElement (<c>tf.data.experimental.get_single_element</c>): the components of a dataset's only
/// element; an empty dataset or one of more elements is an InvalidArgumentError, as in TensorFlow.
/// </summary>
internal sealed class DatasetToSingleElement : OpDef
{
    public static readonly DatasetToSingleElement Def = new();

    private static readonly OpAttr<DType[]> OutputTypes = new("output_types");
    private static readonly OpAttr<Shape[]> OutputShapes = new("output_shapes");

    public override string Type => "DatasetToSingleElement";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError($"dataset must be a dataset (got {ctx.InputDType(0).name})");
        var types = OutputTypes.Of(ctx);
        var shapes = OutputShapes.Of(ctx);
        for (var i = 0; i < types.Length; i++) ctx.AddOutput(types[i], shapes[i]);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        using var it = DatasetBase.Of(ctx.Input(0), ctx.InvalidArgument).MakeIterator();
        var element = it.Next() ?? throw ctx.InvalidArgument("Dataset was empty.");
        if (it.Next() is not null) throw ctx.InvalidArgument("Dataset had more than one element.");
        if (element.Length != op.outputs.Count)
            throw ctx.InvalidArgument($"Number of components does not match: expected {op.outputs.Count} but the element has {element.Length}.");
        for (var i = 0; i < element.Length; i++) ctx.ForwardOutput(i, element[i]);
    });

    /// <summary>The element's components.</summary>
    public static Tensor[] Build(Tensor dataset, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "DatasetToSingleElement", dataset);
        return [.. b.Create(Def, [b.Convert(dataset, "dataset")], new() { { OutputTypes, types }, { OutputShapes, shapes } }).outputs];
    }
}
