using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>
/// VariableV2: a reference to a mutable value kept by each session (attributes <c>shape</c>, <c>dtype</c>). It
/// outputs the session's current value; reading it before an initializer ran is a FailedPreconditionError
/// raised where the value is used.
/// </summary>
internal sealed class VariableV2 : OpDef
{
    public static readonly VariableV2 Def = new();

    private static readonly OpAttr<DType> Dtype = new("dtype");
    internal static readonly OpAttr<Shape> ShapeAttr = new("shape");
    internal static readonly OpAttr<string> Container = new("container", "");
    internal static readonly OpAttr<string> SharedName = new("shared_name", "");

    public override string Type => "VariableV2";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override bool IsRefOutput(int index) => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(Dtype.Of(ctx), ShapeAttr.Of(ctx));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        if (ctx.Variables.Read(ctx.op) is { } value) ctx.ForwardOutput(0, value);
    });

    /// <summary>The message TensorFlow gives for an uninitialized variable.</summary>
    public static string UninitializedMessage(Operation variableOp) => $"Attempting to use uninitialized value {variableOp.name}";

    /// <summary>Creates the op with exactly <paramref name="name"/>.</summary>
    public static Operation Create(Graph graph, string name, Shape shape, DType dtype) =>
        graph.CreateOp(Def, name.EndsWith('/') ? name : name + "/", [],
            new Dictionary<string, object> { { ShapeAttr, shape }, { Dtype, dtype }, { Container, "" }, { SharedName, "" } });

    /// <summary>The VariableV2 op behind a reference input, or a build-time error naming <paramref name="consumer"/>.</summary>
    public static Operation Of(Tensor reference, string consumer)
    {
        var op = reference.op;
        if (op.Def is not VariableV2)
            throw new TypeError($"{consumer} needs a variable reference as its first input, got {reference} from a {op.type} op.");
        return op;
    }
}
