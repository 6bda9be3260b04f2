using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.Control;

/// <summary>
/// The while loops one <c>tf.gradients</c> call differentiates through (TensorFlow 1.x's <c>ControlFlowState</c>):
/// one <see cref="GradLoopState"/> per forward loop, the backprop loop contexts the gradient ops are built in, and
/// the zeros that stand for missing gradients inside loops and conds.
/// </summary>
internal sealed class ControlFlowState
{
    private readonly Dictionary<WhileContext, GradLoopState> _map = [];
    private readonly ControlFlowContext? _caller;

    private ControlFlowState(ControlFlowContext? caller) => _caller = caller;

    /// <summary>
    /// A state when the ops between xs and ys contain loop exits, else null; every exit of such a loop joins the
    /// ops to differentiate (TensorFlow's <c>MaybeCreateControlFlowState</c>).
    /// </summary>
    public static ControlFlowState? MaybeCreate(List<Operation> betweenList, HashSet<Operation> between)
    {
        ControlFlowState? state = null;
        for (var i = 0; i < betweenList.Count; i++)
        {
            var op = betweenList[i];
            if (!ControlFlowUtil.IsLoopExit(op)) continue;
            state ??= new ControlFlowState(op.graph.ControlFlowContext);
            state.AddWhileContext(op, betweenList, between);
        }
        return state;
    }

    private void AddWhileContext(Operation exit, List<Operation> betweenList, HashSet<Operation> between)
    {
        var forward = ControlFlowUtil.WhileContextOf(exit)!;
        if (_map.ContainsKey(forward)) return;
        var outerForward = forward.Outer?.EnclosingWhile as WhileContext;
        var outer = outerForward is null ? null : _map.GetValueOrDefault(outerForward);
        var state = new GradLoopState(forward, outer, _caller);
        _map[forward] = state;
        foreach (var loopExit in state.ForwardLoopExits)
            if (between.Add(loopExit.op)) betweenList.Add(loopExit.op);
    }

    /// <summary>The grad state of the loop <paramref name="op"/> is in (before: an exit counts as outside its loop).</summary>
    public GradLoopState? GradStateOf(Operation op, bool before)
    {
        WhileContext? forward;
        if (before && ControlFlowUtil.IsLoopExit(op)) forward = op.Context?.Outer?.EnclosingWhile as WhileContext;
        else forward = ControlFlowUtil.WhileContextOf(op);
        return forward is null ? null : _map.GetValueOrDefault(forward);
    }

    /// <summary>Enters the backprop loop of <paramref name="op"/>'s loop (if any) until disposed.</summary>
    public IDisposable EnterGradWhileContext(Operation op, bool before)
    {
        var state = GradStateOf(op, before);
        return state is null ? new Graph.Scope(() => { }) : op.graph.EnterContext(state.GradContext);
    }

    /// <summary>
    /// Exits nothing depends on count as reached; when all of a loop's exits are reached, the unused ones are
    /// returned so they get zero gradients (TensorFlow's <c>ProcessUnusedLoopExits</c>).
    /// </summary>
    public List<Tensor> ProcessUnusedLoopExits(Dictionary<Operation, int> pending, HashSet<Operation> toOps)
    {
        var exits = new List<Tensor>();
        foreach (var state in _map.Values)
        {
            foreach (var y in state.ForwardLoopExits)
            {
                if (pending.GetValueOrDefault(y.op) != 0) continue;
                state.PendingExitsCount--;
                if (!toOps.Contains(y.op)) state.UnusedExits.Add(y);
                if (state.PendingExitsCount == 0) exits.AddRange(state.UnusedExits);
            }
            foreach (var y in state.ForwardContext.LoopEnters)
                if (pending.GetValueOrDefault(y.op) == 0) pending[y.op] = 1;
        }
        return exits;
    }

    /// <summary>Zeros for an exit with no gradient, built outside the loop.</summary>
    public Tensor ZerosLikeForExit(Tensor value)
    {
        var outerForward = value.op.Context?.Outer?.EnclosingWhile as WhileContext;
        var outer = outerForward is null ? null : _map.GetValueOrDefault(outerForward);
        if (outer is not null)
        {
            // The exit of a nested loop: zeros in the outer backprop loop, shaped from the saved forward value.
            if (value.shape.IsFullyDefined)
            {
                using (value.graph.EnterContext(outer.GradContext))
                    return Fill.Constant(value.shape, value.dtype, one: false, null);
            }
            Tensor shape;
            using (value.graph.EnterContext(outer.ForwardContext))
                shape = Shape_.Build(value);
            var history = outer.AddForwardAccumulator(shape);
            using (value.graph.EnterContext(outer.GradContext))
            {
                var real = outer.AddBackpropAccumulatedValue(history, shape);
                return Fill.Dynamic(real, value.dtype, one: false, null);
            }
        }
        return value.shape.IsFullyDefined
            ? Fill.Constant(value.shape, value.dtype, one: false, null)
            : ArrayOps.ZerosLike.Def.Apply(value, null, optimize: false, null);
    }

    /// <summary>
    /// Zeros standing for the missing gradient of output <paramref name="index"/> of <paramref name="op"/> (built in
    /// its backprop loop, guarded like the op when it is a cond's switch); null for a loop switch.
    /// </summary>
    public Tensor? ZerosLike(Operation op, int index)
    {
        if (ControlFlowUtil.IsLoopSwitch(op)) return null;
        var deadBranch = op.Def.ControlFlow == ControlFlowRole.Switch;
        var forward = ControlFlowUtil.WhileContextOf(op);
        var state = forward is null ? null : _map.GetValueOrDefault(forward);
        if (state is null) return ZerosLikeOutsideLoop(op, index);
        var graph = op.graph;
        var value = op.outputs[index];
        var shape = value.shape;
        if (shape.IsFullyDefined)
        {
            var zeros = Fill.Constant(shape, value.dtype, one: false, null);
            if (deadBranch && op.Context is CondContext cond)
            {
                var pred = state.HistoryOfPredicate(cond.Pred);
                var (f, t) = Switch.Build(zeros, pred);
                zeros = cond.Branch == 1 ? f : t;
            }
            return zeros;
        }
        Tensor zerosShape;
        if (deadBranch && op.Context is CondContext c)
        {
            Tensor switched;
            using (graph.EnterContext(c.Outer))
            {
                var sw = Switch.CreateIn(c.Outer, op.inputs[0], c.Pred);
                switched = sw.outputs[1 - c.Branch];
                zerosShape = Shape_.Build(switched);
            }
            switched.op.Context = c;
            zerosShape.op.Context = c;
        }
        else
        {
            using (graph.EnterContext(op.Context))
                zerosShape = Shape_.Build(value);
        }
        Tensor history;
        using (graph.EnterContext(_caller))
            history = state.AddForwardAccumulator(zerosShape, deadBranch);
        var real = state.AddBackpropAccumulatedValue(history, zerosShape, deadBranch);
        return Fill.Dynamic(real, value.dtype, one: false, null);
    }

    /// <summary>
    /// Zeros for output <paramref name="index"/> of an op outside any differentiated loop; for a cond's switch,
    /// built behind a switch of its own so they exist only when the other branch is taken (TensorFlow's
    /// <c>ZerosLikeOutsideLoop</c>).
    /// </summary>
    public static Tensor ZerosLikeOutsideLoop(Operation op, int index)
    {
        var value = op.outputs[index];
        if (op.Def.ControlFlow != ControlFlowRole.Switch || op.Context is not CondContext cond)
            return ArrayOps.ZerosLike.Def.Apply(value, null, optimize: false, null);
        var graph = op.graph;
        var switched = Switch.Build(op.inputs[0], cond.Pred);
        var branchValue = 1 - cond.Branch == 1 ? switched.True : switched.False;
        var pivot = Identity.Build(branchValue);
        var zerosShape = Shape_.Build(branchValue);
        using (graph.control_dependencies([pivot]))
            return Fill.Dynamic(zerosShape, value.dtype, one: false, null);
    }

    /// <summary>
    /// Closes the backprop loops: a loop variable whose next value does not depend on its current one gets zeros
    /// as its gradient after the first backprop iteration (TensorFlow's <c>PostProcessing</c>).
    /// </summary>
    public void PostProcessing()
    {
        foreach (var state in _map.Values)
            foreach (var merge in state.SwitchMap.Values)
            {
                var mergeOp = merge.op;
                if (!ReferenceEquals(mergeOp.inputs[0], mergeOp.inputs[1]) && !TensorComparer.Instance.Equals(mergeOp.inputs[0], mergeOp.inputs[1])) continue;
                var input = mergeOp.inputs[0];
                var graph = input.graph;
                Tensor next;
                if (input.shape.IsFullyDefined)
                {
                    using (graph.EnterContext(state.GradContext))
                        next = NextIteration.Build(Fill.Constant(input.shape, input.dtype, one: false, null));
                }
                else
                {
                    Tensor zeros;
                    using (graph.EnterContext(state.GradContext.Outer))
                        zeros = Fill.Dynamic(Shape_.Build(input.op.inputs[0]), input.dtype, one: false, null);
                    using (graph.EnterContext(state.GradContext))
                        next = NextIteration.Build(zeros);
                }
                mergeOp.UpdateBackEdge(1, next);
            }
    }
}
