namespace SharpFlow.Framework;

/// <summary>
/// The part a control-flow primitive plays in the dataflow executor (TensorFlow 1.x's <c>Switch</c>,
/// <c>Merge</c>, <c>Enter</c>, <c>Exit</c>, <c>NextIteration</c>, <c>LoopCond</c> and <c>ControlTrigger</c>).
/// A graph that contains none of them runs on the static plan.
/// </summary>
public enum ControlFlowRole
{
    /// <summary>An ordinary op: it runs when all its inputs are there, and is dead when any of them is.</summary>
    None,
    /// <summary>Forwards its data to output 1 when the predicate is true, else to output 0; the other output is dead.</summary>
    Switch,
    /// <summary>Forwards the first live input that arrives; dead only when every input is dead.</summary>
    Merge,
    /// <summary>Moves a value into a child frame (a while loop's iteration 0, or every iteration when constant).</summary>
    Enter,
    /// <summary>Moves a value out of a loop frame into its parent.</summary>
    Exit,
    /// <summary>Moves a value to the next iteration of its frame.</summary>
    NextIteration,
    /// <summary>A while loop's condition (a boolean identity).</summary>
    LoopCond,
    /// <summary>A control edge that fires even when its inputs are dead.</summary>
    ControlTrigger,
}

/// <summary>
/// A control-flow construct under construction (TensorFlow 1.x's <c>ControlFlowContext</c>: a branch of a
/// <c>cond</c> or the body of a <c>while_loop</c>). While a context is current, every op added to the graph takes
/// its inputs from outside the context through <see cref="AddValue"/> (a <c>Switch</c> for a branch, an
/// <c>Enter</c> for a loop), so its ops run only when the branch is taken, or once per iteration. Build-time
/// state only: nothing of it is read at run time.
/// </summary>
public abstract class ControlFlowContext
{
    /// <summary>The context this one is nested in, or null at the top level.</summary>
    public ControlFlowContext? Outer { get; protected init; }

    /// <summary>
    /// The contexts created inside this one, in creation order (TensorFlow's <c>_nested_contexts</c>: written as
    /// <c>nested_contexts</c> of this context's CondContextDef or WhileContextDef).
    /// </summary>
    internal List<ControlFlowContext> NestedContexts { get; } = [];

    /// <summary>
    /// TensorFlow's <c>_external_values</c>: the names of tensors from outside that this context has taken in, with
    /// the tensor that stands for each inside (written as the ValuesDef's <c>external_values</c>).
    /// </summary>
    internal Dictionary<string, Tensor> ExternalValues { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Names TensorFlow's <c>_values</c> holds besides the outputs of the context's own ops (values taken in from
    /// outside, a branch's predicate and pivot): with those outputs, the ValuesDef's <c>values</c>.
    /// </summary>
    internal HashSet<string> SeenValues { get; } = new(StringComparer.Ordinal);

    /// <summary>Registers this context with its outer one (TensorFlow's ControlFlowContext constructor).</summary>
    protected void RegisterWithOuter() => Outer?.NestedContexts.Add(this);

    /// <summary>The name scope the context's ops are created in (<c>while</c>, <c>cond/cond_true</c>).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The tensor that stands for <paramref name="value"/> inside this context: the value itself when it is
    /// produced inside, else a (cached) <c>Switch</c> or <c>Enter</c> of it.
    /// </summary>
    public abstract Tensor AddValue(Tensor value);

    /// <summary>
    /// The control input an op created in this context without data inputs needs so that it runs only when the
    /// context does (the branch's or the loop's pivot), or null.
    /// </summary>
    public abstract Operation? PivotFor(Operation? firstControlInput);

    /// <summary>True when <paramref name="op"/> was created in this context or one nested inside it.</summary>
    public bool Contains(Operation op)
    {
        for (var c = op.Context; c is not null; c = c.Outer)
            if (ReferenceEquals(c, this)) return true;
        return false;
    }

    /// <summary>The innermost while-loop context at or above this one.</summary>
    public virtual ControlFlowContext? EnclosingWhile => Outer?.EnclosingWhile;

    /// <summary>
    /// Rewrites the inputs of an op about to be created in this context: data inputs produced outside go through
    /// <see cref="AddValue"/> (ref inputs, which name a variable, are left alone); control inputs from outside a
    /// loop are replaced by in-loop identities of their outputs, or dropped.
    /// </summary>
    internal virtual void PrepareInputs(OpDef def, Tensor[] inputs, List<Operation> controlInputs)
    {
        for (var i = 0; i < inputs.Length; i++)
            if (!def.IsRefInput(i)) inputs[i] = AddValue(inputs[i]);
        if (inputs.Length == 0 && PivotFor(controlInputs.Count > 0 ? controlInputs[0] : null) is { } pivot && !controlInputs.Any(c => Contains(c)))
            controlInputs.Add(pivot);
    }
}
