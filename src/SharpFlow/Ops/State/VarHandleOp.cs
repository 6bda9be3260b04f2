using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>
/// What a resource-variable handle carries at run time: the VarHandleOp whose session value it names (the first
/// VarHandleOp of the graph with the same <c>container</c> and <c>shared_name</c>, so handles that share a name share
/// the value, as in TensorFlow's resource manager), the variable's TensorFlow name and container, and its declared
/// dtype and shape.
/// </summary>
internal sealed record ResourceVariableHandle(Operation Key, string Name, string Container, DType DType, Shape Shape)
{
    /// <summary>The handle behind a resource tensor's value, or an InvalidArgumentError.</summary>
    public static ResourceVariableHandle Of(NDArray value, Func<string, Exception> error) =>
        value.Storage is object[] { Length: 1 } items && items[0] is ResourceVariableHandle handle
            ? handle
            : throw error("the input is not a resource variable handle");

    /// <summary>
    /// TensorFlow's message for a variable that holds no value (ReadVariableOp's FailedPrecondition, with the resource
    /// manager's NotFound inside).
    /// </summary>
    public string UninitializedMessage =>
        $"Error while reading resource variable {Name} from Container: {Container}. This could mean that the variable was uninitialized. " +
        $"Not found: Resource {Container}/{Name}/N10tensorflow3VarE does not exist.";

    /// <summary>The variable's value in this run's session, or a FailedPreconditionError naming <paramref name="opName"/>.</summary>
    public NDArray Read(OpKernelContext ctx, string opName) =>
        ctx.Variables.Read(Key) ?? throw new FailedPreconditionError(UninitializedMessage, opName);
}

/// <summary>
/// VarHandleOp (TensorFlow 1.15's resource variables, <c>tf.Variable(..., use_resource=True)</c>): outputs a scalar
/// <c>resource</c> handle to a variable of <c>dtype</c> and <c>shape</c> that lives in each session under
/// <c>container</c>/<c>shared_name</c>. ReadVariableOp, AssignVariableOp and their kin use the value through it.
/// </summary>
internal sealed class VarHandleOp : OpDef
{
    public static readonly VarHandleOp Def = new();

    internal static readonly OpAttr<DType> Dtype = new("dtype");
    internal static readonly OpAttr<Shape> ShapeAttr = new("shape");
    private static readonly OpAttr<string> ContainerAttr = new("container", "");
    private static readonly OpAttr<string> SharedName = new("shared_name", "");

    public override string Type => "VarHandleOp";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        _ = Dtype.Of(ctx);
        _ = ShapeAttr.Of(ctx);
        ctx.AddOutput(DType.resource, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var handle = HandleOf(op);
        return OpKernel.From(ctx => ctx.ForwardOutput(0, new NDArray(new object[] { handle }, Shape.Scalar)));
    }

    /// <summary>The run-time handle of a VarHandleOp.</summary>
    public static ResourceVariableHandle HandleOf(Operation op)
    {
        var container = ContainerAttr.Of(op);
        var sharedName = SharedName.Of(op);
        var key = op;
        if (sharedName.Length > 0)
            key = op.graph.get_operations().FirstOrDefault(o => o.type == "VarHandleOp"
                      && ContainerAttr.Of(o) == container && SharedName.Of(o) == sharedName) ?? op;
        return new ResourceVariableHandle(key, sharedName.Length > 0 ? sharedName : op.name, container.Length > 0 ? container : "localhost",
            Dtype.Of(op), ShapeAttr.Of(op));
    }

    /// <summary>The VarHandleOp behind a handle tensor when it is one directly (for static shapes), else null.</summary>
    public static Operation? Producer(Tensor handle) => handle.op.Def is VarHandleOp ? handle.op : null;

    /// <summary><c>gen_resource_variable_ops.var_handle_op(dtype, shape, container, shared_name)</c>.</summary>
    public static Tensor Build(DType dtype, Shape shape, string container = "", string sharedName = "", string? name = null)
    {
        using var b = OpBuilder.Begin(name, "VarHandleOp");
        return b.Create(Def, [], new() { { Dtype, dtype }, { ShapeAttr, shape }, { ContainerAttr, container }, { SharedName, sharedName } }).outputs[0];
    }
}
