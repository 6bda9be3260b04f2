using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>AddN: the element-wise sum of a list of tensors of one dtype and one shape (no broadcasting).</summary>
internal sealed class AddN : OpDef
{
    public static readonly AddN Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<int> N = new("N");

    public override string Type => "AddN";

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.Inputs.Count == 0) throw ctx.Error("needs at least one input");
        var dtype = ctx.InputDType(0);
        if (!dtype.IsNumeric) throw ctx.TypeError($"dtype {dtype.name} is not supported");
        var shape = ctx.InputShape(0);
        for (var i = 1; i < ctx.Inputs.Count; i++)
        {
            if (ctx.InputDType(i) != dtype) throw ctx.TypeError($"all inputs must have dtype {dtype.name}; input {i} has {ctx.InputDType(i).name}");
            if (!shape.IsCompatibleWith(ctx.InputShape(i)))
                throw ctx.Error($"all inputs must have the same shape; input 0 is {shape.ToListString()}, input {i} is {ctx.InputShape(i).ToListString()}");
            shape = shape.MergeWith(ctx.InputShape(i));
        }
        ctx.AddOutput(dtype, shape);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var first = ctx.Input(0);
        for (var i = 1; i < ctx.InputCount; i++)
            if (ctx.Input(i).shape != first.shape)
                throw ctx.InvalidArgument($"Inputs to operation {ctx.op.name} of type AddN must have the same size and shape.  Input 0: {first.shape.ToListString()} != input {i}: {ctx.Input(i).shape.ToListString()}");
        var z = ctx.AllocateOutput(0, first.dtype, first.shape);
        CastKernel.Cast(first, z);
        for (var i = 1; i < ctx.InputCount; i++) ElementwiseKernels.Binary<AddOperator>(z, ctx.Input(i), z);
    });

    /// <summary><c>tf.add_n(inputs)</c>; a single input is returned as is.</summary>
    public static Tensor Build(IReadOnlyList<TensorLike> inputs, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ValueError("inputs must be a non-empty list of tensors.");
        var array = inputs.ToArray();
        using var b = OpBuilder.Begin(name, "AddN", array);
        var names = Enumerable.Range(0, array.Length).Select(i => $"inputs_{i}").ToArray();
        var tensors = b.SameType("AddN", array, names);
        if (tensors.Length == 1)
            return name is null ? tensors[0] : b.Graph.CreateOp(ArrayOps.Identity.Def, b.Scope, [tensors[0]], new Dictionary<string, object> { { ArrayOps.Identity.T, tensors[0].dtype } }).outputs[0];
        return b.Create(Def, tensors, new() { { T, tensors[0].dtype }, { N, tensors.Length } }).outputs[0];
    }

    /// <summary>Every input receives the output's gradient.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [.. Enumerable.Repeat(grads[0], op.inputs.Count)];
}
