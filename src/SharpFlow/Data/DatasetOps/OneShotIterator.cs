using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Functions;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// OneShotIterator: an iterator that initialises itself on its first run (<c>make_one_shot_iterator</c>). As in
/// TensorFlow it has no inputs: attribute <c>dataset_factory</c> names the dataset, which the kernel evaluates
/// once, in a session of its own over the dataset's graph (the same graph, or the function body of an imported
/// <c>dataset_factory</c>; the dataset may not depend on feeds or variables).
/// </summary>
internal sealed class OneShotIterator : OpDef
{
    public static readonly OneShotIterator Def = new();

    private static readonly OpAttr<DType[]> OutputTypes = new("output_types");
    private static readonly OpAttr<Shape[]> OutputShapes = new("output_shapes");
    private static readonly OpAttr<DatasetFactory> DatasetFactoryAttr = new("dataset_factory");
    private static readonly OpAttr<string> Container = new("container", "");
    private static readonly OpAttr<string> SharedName = new("shared_name", "");

    public override string Type => "OneShotIterator";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(DType.resource, Shape.Scalar);

    public override OpKernel CreateKernel(Operation op) => new Kernel(op);

    private sealed class Kernel(Operation op) : OpKernel, IDisposable
    {
        private readonly IteratorResource _resource = new(op.name, OutputTypes.Of(op), OutputShapes.Of(op));
        private readonly object _lock = new();
        private bool _initialized;

        public override void Compute(OpKernelContext ctx)
        {
            lock (_lock)
                if (!_initialized)
                {
                    var dataset = DatasetFactoryAttr.Of(op).Dataset;
                    NDArray value;
                    using (var session = new Session(dataset.graph))
                    {
                        try { value = session.run(dataset); }
                        catch (OpError e) { throw new FailedPreconditionError($"Failed to make the dataset of the one-shot iterator: {e.RawMessage}", op.name, e); }
                    }
                    _resource.Initialize(DatasetBase.Of(value, ctx.InvalidArgument), op.name);
                    _initialized = true;
                }
            ctx.ForwardOutput(0, _resource.ToHandle());
        }

        public void Dispose() => _resource.Dispose();
    }

    /// <summary>A one-shot iterator over <paramref name="dataset"/>.</summary>
    public static Tensor Build(Tensor dataset, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(dataset.graph, name, "OneShotIterator");
        return b.Create(Def, [], new()
        {
            { DatasetFactoryAttr, new DatasetFactory(dataset) }, { Container, "" }, { SharedName, "" },
            { OutputTypes, types }, { OutputShapes, shapes },
        }).outputs[0];
    }
}
