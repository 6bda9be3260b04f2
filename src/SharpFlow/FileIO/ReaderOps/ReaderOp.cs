using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.FileIO.ReaderOps;

/// <summary>What the ops that take a reader handle share.</summary>
internal abstract class ReaderOp : OpDef
{
    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    /// <summary>Checks that input <paramref name="index"/> is a scalar resource handle.</summary>
    protected static void CheckHandle(InferenceContext ctx, int index, string what)
    {
        if (ctx.InputDType(index) != DType.resource) throw ctx.TypeError($"{what} must be a {what.Split('_')[0]} handle (resource), got {ctx.InputDType(index).name}");
        if (ctx.InputShape(index).ndims > 0) throw ctx.Error($"{what} must be a scalar, got shape {ctx.InputShape(index)}");
    }

    /// <summary>The reader behind input 0.</summary>
    protected static ReaderResource Reader(OpKernelContext ctx) => ReaderResource.Of(ctx.Input(0), ctx.InvalidArgument);

    /// <summary>A string array of the given byte strings.</summary>
    protected static NDArray Strings(IEnumerable<byte[]> values, Shape shape) => new(values.ToArray(), shape);
}
