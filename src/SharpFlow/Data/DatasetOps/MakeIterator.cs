using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>MakeIterator: starts a new pass of the iterator over the dataset (an iterator's <c>initializer</c>).</summary>
internal sealed class MakeIterator : OpDef
{
    public static readonly MakeIterator Def = new();

    public override string Type => "MakeIterator";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError("dataset must be a dataset");
        if (ctx.InputDType(1) != DType.resource) throw ctx.TypeError("iterator must be an iterator handle");
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        IteratorResource.Of(ctx.Input(1), ctx.InvalidArgument).Initialize(DatasetBase.Of(ctx.Input(0), ctx.InvalidArgument), op.name));

    /// <summary>The initializer op.</summary>
    public static Operation Build(Tensor dataset, Tensor iterator, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MakeIterator", dataset, iterator);
        return b.Create(Def, [b.Convert(dataset, "dataset"), b.Convert(iterator, "iterator")]);
    }
}
