using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Identity: its input, unchanged (a variable's <c>read</c> snapshot is one).</summary>
internal sealed class Identity : OpDef
{
    public static readonly Identity Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Identity";

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, ctx.Input(0)));

    public override NDArray? ConstantValue(Operation op, int index) =>
        op.inputs[0].op.Def.ConstantValue(op.inputs[0].op, op.inputs[0].value_index);

    /// <summary><c>tf.identity(input, name)</c>.</summary>
    public static Tensor Build(TensorLike input, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Identity", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { T, x.dtype } }).outputs[0];
    }

    /// <summary>An Identity of a tensor taken as is (a variable's ref output, not its snapshot).</summary>
    internal static Tensor OfRef(Tensor input, string name, IEnumerable<Operation>? controlInputs = null) =>
        input.graph.CreateOp(Def, name, [input], new Dictionary<string, object> { { T, input.dtype } }, controlInputs).outputs[0];

    /// <summary>The gradient passes through unchanged.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [grads[0]];
}
