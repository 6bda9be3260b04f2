using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.DataFlow;

/// <summary>A stack of tensors that lives for one run; what the while-loop gradient saves forward values on.</summary>
internal sealed class RunStack(DType elementType, int maxSize, string name)
{
    private readonly Stack<NDArray> _items = new();

    public DType ElementType { get; } = elementType;

    public void Push(NDArray value, Func<string, Exception> error)
    {
        if (value.dtype != ElementType) throw error($"Invalid type pushed to the stack '{name}': expected {ElementType.name}, got {value.dtype.name}");
        lock (_items)
        {
            if (maxSize >= 0 && _items.Count >= maxSize) throw error($"Stack[{name}] overflowed its max_size ({maxSize})");
            _items.Push(value);
        }
    }

    public NDArray Pop(Func<string, Exception> error)
    {
        lock (_items)
            return _items.TryPop(out var value) ? value : throw error($"Stack[{name}] is empty when calling Pop().");
    }
}

/// <summary>StackV2: creates a stack for this run and outputs its handle (attributes <c>elem_type</c>, <c>stack_name</c>).</summary>
internal sealed class StackV2 : OpDef
{
    public static readonly StackV2 Def = new();

    private static readonly OpAttr<DType> ElemType = new("elem_type");
    private static readonly OpAttr<string> StackName = new("stack_name", "");

    public override string Type => "StackV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.int32) throw ctx.TypeError("max_size must be an int32 scalar");
        ctx.AddOutput(DType.resource, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var elementType = ElemType.Of(op);
        var name = StackName.Of(op);
        return OpKernel.From(ctx =>
        {
            var maxSize = (int)OpValues.Scalar(ctx.Input(0), "max_size", ctx.InvalidArgument);
            var handle = new NDArray(new object[] { new RunStack(elementType, maxSize, name.Length > 0 ? name : ctx.op.name) }, Shape.Scalar);
            ctx.ForwardOutput(0, handle);
        });
    }

    /// <summary>A stack of <paramref name="elementType"/> values without a size limit, in the current context.</summary>
    public static Tensor Build(DType elementType, string name = "Stack")
    {
        using var b = OpBuilder.Begin(Graph.get_default(), name, "Stack");
        var maxSize = b.Convert(-1, "max_size", DType.int32);
        return b.Create(Def, [maxSize], new() { { ElemType, elementType }, { StackName, "" } }).outputs[0];
    }

    /// <summary>The stack behind a handle value.</summary>
    public static RunStack Of(NDArray handle, Func<string, Exception> error) =>
        handle.Storage is object[] { Length: 1 } items && items[0] is RunStack stack
            ? stack
            : throw error("the handle is not a stack");
}

/// <summary>StackPushV2: pushes a copy of <c>elem</c> on the stack and outputs <c>elem</c>.</summary>
internal sealed class StackPushV2 : OpDef
{
    public static readonly StackPushV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<bool> SwapMemory = new("swap_memory", false);

    public override string Type => "StackPushV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError("the first input must be a stack handle");
        ctx.AddOutput(ctx.InputDType(1), ctx.InputShape(1));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var value = ctx.Input(1);
        // The value's buffer goes back to the run's pool after its last reader; the stack keeps its own copy.
        StackV2.Of(ctx.Input(0), ctx.InvalidArgument).Push(value.Copy(), ctx.InvalidArgument);
        ctx.ForwardOutput(0, value);
    });

    /// <summary>A push in the current context, ordered after <paramref name="after"/>.</summary>
    public static Tensor Build(Tensor handle, Tensor value, IEnumerable<Operation> after) =>
        handle.graph.CreateOp(Def, "StackPushV2", [handle, value],
            new Dictionary<string, object> { { T, value.dtype }, { SwapMemory, false } }, after).outputs[0];
}

/// <summary>StackPopV2: pops the newest value off the stack.</summary>
internal sealed class StackPopV2 : OpDef
{
    public static readonly StackPopV2 Def = new();

    private static readonly OpAttr<DType> ElemType = new("elem_type");

    public override string Type => "StackPopV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError("the input must be a stack handle");
        ctx.AddOutput(ElemType.Of(ctx), Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
        ctx.ForwardOutput(0, StackV2.Of(ctx.Input(0), ctx.InvalidArgument).Pop(ctx.InvalidArgument)));

    /// <summary>A pop in the current context.</summary>
    public static Tensor Build(Tensor handle, DType elementType) =>
        handle.graph.CreateOp(Def, "StackPopV2", [handle], new Dictionary<string, object> { { ElemType, elementType } }).outputs[0];
}
