using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.DataFlow;

namespace SharpFlow.Ops.Control;

/// <summary>
/// What the gradient of one forward while loop needs (TensorFlow 1.x's <c>GradLoopState</c>): a counter added to
/// the forward loop, the backprop loop that runs as many iterations backwards, and the forward values the
/// gradient ops read, saved per iteration on stacks (pushed in the forward loop, popped in the backprop loop).
/// </summary>
internal sealed class GradLoopState
{
    private readonly Dictionary<Tensor, Tensor> _historyMap = new(TensorComparer.Instance);
    private Operation? _forwardSync;
    private Operation? _gradSync;

    public GradLoopState(WhileContext forward, GradLoopState? outer, ControlFlowContext? callerContext)
    {
        ForwardContext = forward;
        CallerContext = callerContext;
        OuterGradState = outer;
        ForwardLoopExits = [.. forward.LoopExits];
        PendingExitsCount = ForwardLoopExits.Count;
        var graph = forward.Pivot!.graph;
        var outerForward = outer?.ForwardContext ?? forward.Outer;

        Tensor count;
        using (graph.EnterContext(outerForward))
            (count, ForwardIndex) = forward.AddForwardLoopCounter(outer);

        if (outer is not null)
        {
            // A nested loop runs once per outer iteration: remember each run's iteration count.
            var history = outer.AddForwardAccumulator(count);
            using (graph.EnterContext(outer.GradContext))
            {
                GradContext = new WhileContext(forward, this, graph.ControlFlowContext);
                var realCount = outer.AddBackpropAccumulatedValue(history, count);
                GradIndex = GradContext.AddBackpropLoopCounter(realCount, outer);
            }
        }
        else
        {
            using (graph.EnterContext(outerForward))
            {
                GradContext = new WhileContext(forward, this, outerForward);
                GradIndex = GradContext.AddBackpropLoopCounter(count, null);
            }
        }
    }

    /// <summary>
    /// The context <c>tf.gradients</c> was called in: leaving a backprop loop returns there, and the stacks are
    /// created there (TensorFlow's <c>curr_ctxt</c>).
    /// </summary>
    public ControlFlowContext? CallerContext { get; }

    /// <summary>The loop being differentiated.</summary>
    public WhileContext ForwardContext { get; }

    /// <summary>The grad state of the loop enclosing it, for nested loops.</summary>
    public GradLoopState? OuterGradState { get; }

    /// <summary>The backprop loop.</summary>
    public WhileContext GradContext { get; }

    /// <summary>The forward counter's NextIteration: pushes are ordered before it.</summary>
    public Tensor ForwardIndex { get; }

    /// <summary>The backprop counter's NextIteration: pops are ordered before it.</summary>
    public Tensor GradIndex { get; }

    /// <summary>The forward loop's exits; all of them take part in the backprop.</summary>
    public List<Tensor> ForwardLoopExits { get; }

    /// <summary>Exits not yet reached by the gradient pass.</summary>
    public int PendingExitsCount { get; set; }

    /// <summary>Exits reached whose gradients wait until all exits are reached.</summary>
    public List<Tensor> DeferredExits { get; } = [];

    /// <summary>Exits nothing differentiated depends on.</summary>
    public List<Tensor> UnusedExits { get; } = [];

    /// <summary>A loop Switch visited once → the backprop Merge its second visit completes.</summary>
    public Dictionary<Operation, Tensor> SwitchMap { get; } = [];

    /// <summary>A trigger after the pushes made inside conds of the forward loop (they may be dead).</summary>
    private Operation ForwardSync
    {
        get
        {
            if (_forwardSync is null)
            {
                var graph = ForwardIndex.graph;
                _forwardSync = ControlTrigger.CreateIn(ForwardContext, graph, "f_sync");
                ForwardIndex.op.AddControlInput(_forwardSync);
            }
            return _forwardSync;
        }
    }

    /// <summary>Orders <paramref name="op"/> before this backprop loop's next iteration.</summary>
    public void GradSyncAddControlInput(Operation op) => GradSync.AddControlInput(op);

    /// <summary>A trigger after the pops of one backprop iteration, before the next.</summary>
    private Operation GradSync
    {
        get
        {
            if (_gradSync is null)
            {
                _gradSync = ControlTrigger.CreateIn(GradContext, GradIndex.graph, "b_sync");
                GradIndex.op.AddControlInput(_gradSync);
            }
            return _gradSync;
        }
    }

    /// <summary>
    /// Pushes <paramref name="value"/> on a new stack in every forward iteration (in the branch it lives in when it
    /// is inside a cond) and returns the stack's handle (TensorFlow's <c>AddForwardAccumulator</c>).
    /// </summary>
    public Tensor AddForwardAccumulator(Tensor value, bool deadBranch = false)
    {
        var graph = value.graph;
        Tensor handle;
        using (graph.control_dependencies(null))
            handle = StackV2.Build(value.dtype, "f_acc");
        var enterHandle = ForwardContext.AddValue(handle);
        var valueContext = value.op.OutputContext();
        var counterAdd = ForwardIndex.op.inputs[0].op;
        Operation push;
        using (graph.control_dependencies(null))
        {
            if (ReferenceEquals(valueContext, ForwardContext))
            {
                using (graph.EnterContext(ForwardContext))
                    push = StackPushV2.Build(enterHandle, value, [counterAdd]).op;
                ForwardIndex.op.AddControlInput(push);
            }
            else
            {
                if (valueContext is not CondContext cond)
                    throw new InternalError($"The value {value} to save for the gradient is neither in its loop nor in a cond of it.");
                if (deadBranch)
                {
                    using (graph.EnterContext(cond.Outer))
                        push = StackPushV2.Build(enterHandle, value, [counterAdd]).op;
                    push.Context = cond;
                }
                else
                {
                    using (graph.EnterContext(cond))
                        push = StackPushV2.Build(enterHandle, value, [counterAdd]).op;
                }
                ForwardSync.AddControlInput(push);
            }
        }
        return handle;
    }

    /// <summary>
    /// Pops the saved value of <paramref name="value"/> in the backprop loop, guarded by the cond's predicate when
    /// it was saved inside a cond (TensorFlow's <c>AddBackpropAccumulatedValue</c>).
    /// </summary>
    public Tensor AddBackpropAccumulatedValue(Tensor historyValue, Tensor value, bool deadBranch = false)
    {
        var graph = value.graph;
        var historyContext = historyValue.op.Context;
        CondContext? cond = null;
        for (var c = value.op.Context; c is not null && !ReferenceEquals(c, historyContext); c = c.Outer)
            if (c is CondContext cc)
            {
                cond = cc;
                break;
            }
        Tensor pop;
        using (graph.control_dependencies(null))
        using (graph.EnterContext(GradContext))
        {
            if (cond is not null)
            {
                Tensor? pred = null;
                for (var s = this; pred is null && s is not null; s = s.OuterGradState)
                    pred = s._historyMap.GetValueOrDefault(cond.Pred);
                pred ??= cond.Pred;
                var branch = deadBranch ? 1 - cond.Branch : cond.Branch;
                var (f, t) = Switch.Build(historyValue, pred);
                historyValue = branch == 1 ? t : f;
            }
            pop = StackPopV2.Build(historyValue, value.dtype);
            pop.ResetShape(value.shape);
        }
        GradSync.AddControlInput(pop.op);
        return pop;
    }

    /// <summary>
    /// The value of <paramref name="value"/> (a forward-loop tensor) for the current backprop iteration: a loop
    /// invariant or a constant directly, anything else from its stack (TensorFlow's <c>GetRealValue</c>).
    /// </summary>
    public Tensor GetRealValue(Tensor value)
    {
        if (_historyMap.TryGetValue(value, out var known)) return known;
        Tensor? real = null;
        Tensor? history = null;
        var current = value;
        var state = this;
        var graph = value.graph;
        while (true)
        {
            if (ControlFlowUtil.LoopConstantEnter(current) is { } enter)
            {
                current = enter.inputs[0];
                state = state.OuterGradState;
                if (state is null)
                {
                    real = GradContext.AddValue(current);
                    break;
                }
            }
            else if (current.op.Def is Const && current.op.Def.ConstantValue(current.op, current.value_index) is { } constant)
            {
                real = Const.Create(graph, constant, "Const");
                break;
            }
            else
            {
                using (graph.EnterContext(CallerContext))
                    history = state.AddForwardAccumulator(current);
                break;
            }
        }
        if (real is null)
        {
            real = state!.AddBackpropAccumulatedValue(history!, current);
            if (!ReferenceEquals(state, this)) real = GradContext.AddValue(real);
        }
        _historyMap[value] = real;
        return real;
    }

    /// <summary>The cond predicate's value for the current backprop iteration (saved in the forward loop).</summary>
    public Tensor HistoryOfPredicate(Tensor pred)
    {
        if (_historyMap.TryGetValue(pred, out var known)) return known;
        var graph = pred.graph;
        Tensor history;
        using (graph.EnterContext(CallerContext))
            history = AddForwardAccumulator(pred);
        var real = AddBackpropAccumulatedValue(history, pred);
        _historyMap[pred] = real;
        return real;
    }
}
