using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>
/// What the TensorArray ops share: a resource handle as input 0 and a float32 <c>flow</c> scalar that orders the
/// reads and writes of one array (TensorFlow threads it through every op so the graph's data edges carry the order).
/// </summary>
internal abstract class TensorArrayOp : OpDef
{
    public override bool IsStateful => true;

    /// <summary>Checks that input 0 is a handle.</summary>
    protected static void CheckHandle(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError($"input 0 must be a TensorArray handle, got {ctx.InputDType(0).name}");
    }

    /// <summary>A float32 scalar output standing for the array's state after the op (<c>flow_out</c>).</summary>
    protected static void Flow(OpKernelContext ctx, int output)
    {
        var flow = ctx.AllocateUninitializedOutput(output, DType.float32, Shape.Scalar);
        flow.AsSpan<float>()[0] = 0;
    }

    /// <summary>The indices of a gather or scatter, as a vector.</summary>
    protected static long[] Indices(OpKernelContext ctx, int input)
    {
        var indices = ctx.Input(input);
        if (indices.ndim != 1) throw ctx.InvalidArgument($"Expected indices to be a vector, but received shape: {indices.shape.ToListString()}");
        return indices.ToArray<long>();
    }

    /// <summary>Creates one op of this type in the current context.</summary>
    protected Operation Create(Graph graph, string name, Tensor[] inputs, Dictionary<string, object> attrs)
    {
        using var b = OpBuilder.Begin(graph, name, Type);
        return b.Create(this, inputs, attrs);
    }
}
