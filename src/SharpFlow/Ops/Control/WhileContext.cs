using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.Control;

/// <summary>
/// A while loop under construction (TensorFlow 1.x's <c>WhileContext</c>): its frame name, its loop variables'
/// Enter/Merge/Switch/NextIteration/Exit chains, and the pivots the ops of the body hang on. Values from outside
/// enter each iteration through a constant Enter. A backprop loop (<see cref="GradState"/> set) takes the values
/// of its forward loop from the stacks the forward loop filled. Public so that a graph's loops can be read
/// (<see cref="Operation.Context"/>; an exporter such as ONNX's maps each loop to a <c>Loop</c> node); built only by
/// <c>tf.while_loop</c>, its gradient, and importing a MetaGraphDef.
/// </summary>
public sealed class WhileContext : ControlFlowContext
{
    private static readonly OpAttr<bool> IsConstant = new("is_constant");

    private readonly Dictionary<Tensor, Tensor> _external = new(TensorComparer.Instance);
    private readonly string _name;

    /// <summary>A forward loop, in the current name scope (whose name is the frame's name).</summary>
    internal WhileContext(ControlFlowContext? outer, int parallelIterations, bool backProp, string name)
    {
        if (parallelIterations <= 0) throw new ValueError("`parallel_iterations` must be a positive integer.");
        Outer = outer;
        ParallelIterations = parallelIterations;
        BackProp = backProp;
        _name = name;
        RegisterWithOuter();
    }

    /// <summary>The backprop loop of <paramref name="forward"/>.</summary>
    internal WhileContext(WhileContext forward, GradLoopState gradState, ControlFlowContext? outer)
    {
        Outer = outer;
        ParallelIterations = forward.ParallelIterations;
        BackProp = forward.BackProp;
        GradState = gradState;
        _name = forward.Pivot!.graph.unique_name(forward.Name + "_grad");
        RegisterWithOuter();
    }

    /// <summary>
    /// A loop rebuilt from a WhileContextDef (TensorFlow's <c>WhileContext.from_proto</c>, as
    /// <c>import_meta_graph</c> does): its pivots, Enters and Exits are the imported graph's tensors.
    /// </summary>
    internal static WhileContext FromImport(ControlFlowContext? outer, string name, int parallelIterations, bool backProp,
        Tensor pivot, Tensor pivotForPred, Tensor pivotForBody, IEnumerable<Tensor> enters, IEnumerable<Tensor> exits, Tensor? maximumIterations)
    {
        var context = new WhileContext(outer, parallelIterations, backProp, name)
        {
            Pivot = pivot, PivotForPred = pivotForPred, PivotForBody = pivotForBody, MaximumIterations = maximumIterations,
        };
        context._loopEnters.AddRange(enters);
        context._loopExits.AddRange(exits);
        return context;
    }

    /// <summary>The <c>maximum_iterations</c> tensor the loop was built with, or null.</summary>
    public Tensor? MaximumIterations { get; internal set; }

    /// <summary>An imported loop's cache of an outside tensor and its Enter (from its ValuesDef).</summary>
    internal void RestoreExternal(Tensor outside, Tensor inside)
    {
        if (!ReferenceEquals(outside, inside)) _external[outside] = inside;
    }

    /// <summary>The frame name, unique in the graph.</summary>
    /// <inheritdoc/>
    public override string Name => _name;

    /// <summary>How many iterations may run at once (kept in the graph; this executor runs them in order).</summary>
    public int ParallelIterations { get; }

    /// <summary>False when the loop was built with <c>back_prop=false</c>: no gradient flows through it.</summary>
    public bool BackProp { get; }

    /// <summary>The grad state of a backprop loop; null for a forward loop.</summary>
    internal GradLoopState? GradState { get; }

    /// <summary>The loop condition (LoopCond): the predicate of the loop's switches.</summary>
    public Tensor? Pivot { get; private set; }

    /// <summary>The first loop variable's Merge: the control pivot while the condition is built.</summary>
    internal Tensor? PivotForPred { get; private set; }

    /// <summary>The first loop variable inside the body: the control pivot of the body's input-less ops.</summary>
    internal Tensor? PivotForBody { get; private set; }

    private readonly List<Tensor> _loopEnters = [];
    private readonly List<Tensor> _loopExits = [];

    /// <summary>The loop variables' Enters (TensorFlow's <c>loop_enters</c>), in loop-variable order.</summary>
    public IReadOnlyList<Tensor> LoopEnters => _loopEnters;

    /// <summary>The loop variables' Exits (TensorFlow's <c>loop_exits</c>): the loop's results, in loop-variable order.</summary>
    public IReadOnlyList<Tensor> LoopExits => _loopExits;

    /// <summary>Records an Enter a gradient added to this backprop loop (an accumulator's, from its forward Exit).</summary>
    internal void AddLoopEnter(Tensor enter) => _loopEnters.Add(enter);

    /// <summary>Records an Exit a gradient added to this backprop loop (a gradient leaving it, from its forward Enter).</summary>
    internal void AddLoopExit(Tensor exit) => _loopExits.Add(exit);

    /// <inheritdoc/>
    public override ControlFlowContext EnclosingWhile => this;

    /// <inheritdoc/>
    public override Operation? PivotFor(Operation? firstControlInput) => (PivotForBody ?? PivotForPred)?.op;

    /// <inheritdoc/>
    public override Tensor AddValue(Tensor value)
    {
        if (Contains(value.op)) return value;
        if (_external.TryGetValue(value, out var known)) return known;
        if (GradState is { } gradState && ForwardContextOf(value.op) == gradState.ForwardContext)
        {
            var real = gradState.GetRealValue(value);
            _external[value] = real;
            SeenValues.Add(value.name);
            ExternalValues[value.name] = real;
            return real;
        }
        var outer = Outer?.AddValue(value) ?? value;
        if (_external.TryGetValue(outer, out known)) return known;
        var enter = Enter.CreateIn(this, outer, isConstant: true);
        _external[value] = enter;
        _external[outer] = enter;
        SeenValues.Add(value.name);
        ExternalValues[value.name] = enter;
        return enter;
    }

    private static WhileContext? ForwardContextOf(Operation op)
    {
        var context = ControlFlowUtil.WhileContextOf(op);
        if (ControlFlowUtil.IsLoopExit(op)) context = context?.Outer?.EnclosingWhile as WhileContext;
        return context;
    }

    /// <summary>
    /// Besides taking outside data through Enters, an op of the loop cannot wait for an op outside it: such control
    /// inputs become in-loop identities of their first outputs, or are dropped (TensorFlow's
    /// <c>_RemoveExternalControlEdges</c>).
    /// </summary>
    internal override void PrepareInputs(OpDef def, Tensor[] inputs, List<Operation> controlInputs)
    {
        var external = controlInputs.Where(c => !Contains(c)).ToList();
        foreach (var c in external) controlInputs.Remove(c);
        for (var i = 0; i < inputs.Length; i++)
            if (!def.IsRefInput(i)) inputs[i] = AddValue(inputs[i]);
        // An op fed only by loop invariants would run in every iteration, even the one that exits: it waits for
        // the pivot (TensorFlow's _MaybeAddControlDependency).
        if (controlInputs.Count == 0 && inputs.All(x => x.op.Def.ControlFlow == ControlFlowRole.Enter && IsConstant.Of(x.op))
            && PivotFor(null) is { } pivot)
            controlInputs.Add(pivot);
        foreach (var c in external)
            if (c.outputs.Count > 0)
                controlInputs.Add(Identity.Build(c.outputs[0]).op);
    }

    /// <summary>
    /// Builds the loop (TensorFlow's <c>BuildLoop</c>): Enter and Merge per variable, the condition and its
    /// LoopCond, a Switch per variable, the body on the Switches' true outputs through Identities, the
    /// NextIteration back edges and the Exits. Returns the Exits.
    /// </summary>
    internal Tensor[] BuildLoop(Func<Tensor[], Tensor> cond, Func<Tensor[], Tensor[]> body, Tensor[] loopVars, Shape?[]? shapeInvariants)
    {
        var graph = loopVars[0].graph;
        var realVars = loopVars.Select(v => Outer?.AddValue(v) ?? v).ToArray();
        var enters = new Tensor[realVars.Length];
        for (var i = 0; i < realVars.Length; i++)
        {
            enters[i] = Enter.CreateIn(this, realVars[i], isConstant: false);
            if (shapeInvariants?[i] is { } invariant)
            {
                if (!invariant.IsCompatibleWith(realVars[i].shape))
                    throw new ValueError($"The shape invariant specified for {realVars[i].name} is not compatible with the initial shape of the loop variable. It enters the loop with shape {realVars[i].shape}, but the specified shape invariant is {invariant}.");
                enters[i].ResetShape(invariant);
            }
        }
        _loopEnters.AddRange(enters);
        var merges = enters.Select(e => Merge.CreateIn(this, [e, e]).outputs[0]).ToArray();
        for (var i = 0; i < merges.Length; i++) merges[i].ResetShape(enters[i].shape);
        PivotForPred = merges[0];

        using (graph.EnterContext(this))
        {
            var c = cond(merges);
            if (c is null) throw new ValueError("The while loop's cond must return a boolean tensor.");
            if (c.dtype != DType.@bool) throw new TypeError($"The while loop's cond must return a bool tensor, got {c}.");
            if (c.shape.IsKnownRank && c.shape.ndims != 0) throw new ValueError($"Shape must be rank 0 but is rank {c.shape.ndims} for the loop condition {c}.");
            Pivot = LoopCond.Build(c);
            var switches = merges.Select(m => Switch.CreateIn(this, m, Pivot)).ToArray();
            var bodyVars = switches.Select(s => Identity.Build(s.outputs[1])).ToArray();
            PivotForBody = bodyVars[0];
            var result = body(bodyVars) ?? throw new ValueError("The while loop's body must return the loop variables.");
            if (result.Length != merges.Length)
                throw new ValueError($"Number of inputs and outputs of body must match loop_vars: {merges.Length}, {result.Length}");
            for (var i = 0; i < merges.Length; i++)
            {
                if (result[i] is null) throw new ValueError($"The while loop's body returned null for loop variable {i}.");
                if (result[i].dtype != merges[i].dtype)
                    throw new TypeError($"The while loop's body returned a {result[i].dtype.name} value for loop variable {i}, which is {merges[i].dtype.name}.");
                AddNextAndBackEdge(merges[i], result[i], enforceShapeInvariant: true);
            }
            var exits = switches.Select(s => Exit.CreateIn(this, s.outputs[0]).outputs[0]).ToArray();
            _loopExits.AddRange(exits);
            return exits;
        }
    }

    /// <summary>
    /// Closes a loop variable's cycle: a NextIteration of <paramref name="value"/> becomes the Merge's second input,
    /// after checking that its shape keeps to the Merge's (TensorFlow's <c>_AddNextAndBackEdge</c>).
    /// </summary>
    internal static Tensor AddNextAndBackEdge(Tensor merge, Tensor value, bool enforceShapeInvariant)
    {
        var next = NextIteration.Build(value);
        if (enforceShapeInvariant && !ShapeLessThanOrEqual(value.shape, merge.shape))
        {
            var input = merge.op.inputs[0].op.inputs[0];
            throw new ValueError($"Input tensor '{input.name}' enters the loop with shape {merge.shape}, but has shape {value.shape} after one iteration. To allow the shape to vary across iterations, use the `shape_invariants` argument of tf.while_loop to specify a less-specific shape.");
        }
        merge.op.UpdateBackEdge(1, next);
        return next;
    }

    private static bool ShapeLessThanOrEqual(Shape specific, Shape general)
    {
        if (!general.IsKnownRank) return true;
        if (!specific.IsKnownRank || specific.ndims != general.ndims) return false;
        for (var i = 0; i < general.ndims; i++)
            if (general[i] >= 0 && specific[i] != general[i]) return false;
        return true;
    }

    /// <summary>
    /// A counter of the loop's iterations, added to the forward loop for its gradient: returns the count (an Exit)
    /// and the counter's NextIteration (TensorFlow's <c>AddForwardLoopCounter</c>).
    /// </summary>
    internal (Tensor Count, Tensor Next) AddForwardLoopCounter(GradLoopState? outerGradState)
    {
        var graph = Pivot!.graph;
        Tensor n;
        using (graph.control_dependencies(null))
            n = Const.Create(graph, NDArray.Scalar(0), "f_count");
        SeenValues.Add(n.name);
        var enter = Enter.CreateIn(this, n, isConstant: false, "f_count");
        _loopEnters.Add(enter);
        using (graph.EnterContext(this))
        using (graph.control_dependencies(null))
        {
            var merge = Merge.CreateIn(this, [enter, enter]).outputs[0];
            var sw = Switch.CreateIn(this, merge, Pivot);
            var index = Add.Build(sw.outputs[1], 1);
            var next = NextIteration.Build(index);
            merge.op.UpdateBackEdge(1, next);
            var total = Exit.CreateIn(this, sw.outputs[0], "f_count").outputs[0];
            _loopExits.Add(total);
            return (total, next);
        }
    }

    /// <summary>
    /// The backprop loop's counter, from <paramref name="count"/> down to zero; its condition is the backprop
    /// loop's pivot. Returns the counter's NextIteration (TensorFlow's <c>AddBackpropLoopCounter</c>).
    /// </summary>
    internal Tensor AddBackpropLoopCounter(Tensor count, GradLoopState? outerGradState)
    {
        var graph = count.graph;
        Tensor one;
        using (graph.control_dependencies(null))
            one = Const.Create(graph, NDArray.Scalar(1), "b_count");
        SeenValues.Add(count.name);
        var enter = Enter.CreateIn(this, count, isConstant: false, "b_count");
        _loopEnters.Add(enter);
        using (graph.EnterContext(this))
        using (graph.control_dependencies(null))
        {
            var merge = Merge.CreateIn(this, [enter, enter]).outputs[0];
            PivotForPred = merge;
            Pivot = LoopCond.Build(GreaterEqual.Build(merge, one), "b_count");
            var sw = Switch.CreateIn(this, merge, Pivot);
            var index = Sub.Build(sw.outputs[1], one);
            PivotForBody = index;
            var next = NextIteration.Build(index);
            merge.op.UpdateBackEdge(1, next);
            var finalZero = Exit.CreateIn(this, sw.outputs[0], "b_count").outputs[0];
            _loopExits.Add(finalZero);
            if (outerGradState is not null)
            {
                // The pops of an inner loop's i-th run come before those of its (i+1)-th.
                outerGradState.GradSyncAddControlInput(finalZero.op);
            }
            return next;
        }
    }

    /// <summary>
    /// The gradient of a loop invariant: the sum of its gradients over all backprop iterations, in an accumulator
    /// loop variable of this backprop loop (TensorFlow's <c>AddBackpropAccumulator</c>).
    /// </summary>
    internal Tensor AddBackpropAccumulator(Operation enterOp, Tensor grad)
    {
        var graph = grad.graph;
        Tensor acc;
        using (graph.EnterContext(Outer))
        using (graph.control_dependencies(null))
        {
            if (grad.shape.IsFullyDefined) acc = Fill.Constant(grad.shape, grad.dtype, one: false, "b_acc");
            else if (Outer is WhileContext { GradState: { } } && GradState!.OuterGradState is { } outerState)
            {
                Tensor zerosShape;
                using (graph.EnterContext(GradState.ForwardContext.Outer))
                    zerosShape = Shape_.Build(enterOp.inputs[0]);
                var history = outerState.AddForwardAccumulator(zerosShape);
                var realShape = outerState.AddBackpropAccumulatedValue(history, zerosShape);
                acc = Fill.Dynamic(realShape, grad.dtype, one: false, "b_acc");
            }
            else acc = Fill.Dynamic(Shape_.Build(enterOp.inputs[0]), grad.dtype, one: false, "b_acc");
        }
        SeenValues.Add(acc.name);
        var enter = Enter.CreateIn(this, acc, isConstant: false, "b_acc");
        _loopEnters.Add(enter);
        using (graph.EnterContext(this))
        using (graph.control_dependencies(null))
        {
            var merge = Merge.CreateIn(this, [enter, enter], "b_acc").outputs[0];
            var sw = Switch.CreateIn(this, merge, Pivot!);
            var sum = Add.Build(sw.outputs[1], grad);
            var next = NextIteration.Build(sum);
            merge.op.UpdateBackEdge(1, next);
            var result = Exit.CreateIn(this, sw.outputs[0], "b_acc").outputs[0];
            _loopExits.Add(result);
            return result;
        }
    }
}
