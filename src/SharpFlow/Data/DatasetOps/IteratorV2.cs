using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// IteratorV2: the handle of an iterator (attributes <c>shared_name, container, output_types,
/// output_shapes</c>). Its kernel owns the session's iterator state, which <c>MakeIterator</c> initialises and
/// <c>IteratorGetNext</c> reads; the session's close disposes it.
/// </summary>
internal sealed class IteratorV2 : OpDef
{
    public static readonly IteratorV2 Def = new();

    private static readonly OpAttr<DType[]> OutputTypes = new("output_types");
    private static readonly OpAttr<Shape[]> OutputShapes = new("output_shapes");
    private static readonly OpAttr<string> SharedName = new("shared_name");
    private static readonly OpAttr<string> Container = new("container");

    public override string Type => "IteratorV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(DType.resource, Shape.Scalar);

    public override OpKernel CreateKernel(Operation op) =>
        new ResourceKernel(new IteratorResource(op.name, OutputTypes.Of(op), OutputShapes.Of(op)));

    /// <summary>A kernel that outputs its resource's handle and disposes it with the session.</summary>
    private sealed class ResourceKernel(IteratorResource resource) : OpKernel, IDisposable
    {
        public override void Compute(OpKernelContext ctx) => ctx.ForwardOutput(0, resource.ToHandle());

        public void Dispose() => resource.Dispose();
    }

    /// <summary>An iterator handle for elements of <paramref name="types"/> and <paramref name="shapes"/>.</summary>
    public static Tensor Build(DType[] types, Shape[] shapes, string sharedName = "", string? name = null)
    {
        using var b = OpBuilder.Begin(Graph.get_default(), name, "Iterator");
        return b.Create(Def, [], new() { { SharedName, sharedName }, { Container, "" }, { OutputTypes, types }, { OutputShapes, shapes } }).outputs[0];
    }
}
