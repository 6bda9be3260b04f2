using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.Control;

/// <summary>
/// <c>tf.cond</c>, <c>tf.case</c> and <c>tf.while_loop</c> as TensorFlow 1.x builds them, from Switch, Merge,
/// Enter, Exit, NextIteration and LoopCond, so the graphs look like TensorFlow's and run on the dataflow executor.
/// </summary>
internal static class ControlFlowOps
{
    /// <summary>
    /// <c>tf.cond(pred, true_fn, false_fn)</c>: each branch is built in its own <see cref="CondContext"/> and the
    /// results are joined by Merges (<c>cond/Merge</c>), so only the taken branch's ops run.
    /// </summary>
    public static Tensor[] Cond(TensorLike pred, Func<IReadOnlyList<ITensorOrOperation>> trueFn, Func<IReadOnlyList<ITensorOrOperation>> falseFn, string? name)
    {
        ArgumentNullException.ThrowIfNull(trueFn);
        ArgumentNullException.ThrowIfNull(falseFn);
        using var b = OpBuilder.Begin(name, "cond", pred);
        var graph = b.Graph;
        var p = b.Convert(pred, "pred");
        if (p.dtype != DType.@bool) throw new TypeError($"cond: pred must be a bool tensor, got {p}.");
        if (p.shape.IsKnownRank && p.shape.ndims != 0) throw new ValueError($"cond: pred must be a scalar, got shape {p.shape}.");
        var (pFalse, pTrue) = Switch.Build(p, p);
        var pivotTrue = Identity.Build(pTrue, "switch_t");
        var pivotFalse = Identity.Build(pFalse, "switch_f");
        var predId = Identity.Build(p, "pred_id");
        var outer = graph.ControlFlowContext;

        Tensor[] BuildBranch(CondContext context, Func<IReadOnlyList<ITensorOrOperation>> fn)
        {
            using var _ = graph.EnterContext(context);
            var result = fn() ?? throw new ValueError("cond: a branch function returned null.");
            if (result.Count == 0) throw new ValueError("cond: the branch functions must return at least one tensor or operation.");
            return [.. result.Select(r => context.BuildResult(r ?? throw new ValueError("cond: a branch function returned a null tensor.")))];
        }

        // TensorFlow names the branches' contexts cond_text and cond_text_1 in the cond's scope.
        var contextTrue = new CondContext(predId, pivotTrue, 1, outer, graph.unique_name("cond_text"));
        var resultTrue = BuildBranch(contextTrue, trueFn);
        var contextFalse = new CondContext(predId, pivotFalse, 0, outer, graph.unique_name("cond_text"));
        var resultFalse = BuildBranch(contextFalse, falseFn);
        if (resultTrue.Length != resultFalse.Length)
            throw new ValueError($"Outputs of true_fn and false_fn must have the same structure: {resultTrue.Length} and {resultFalse.Length} values.");
        for (var i = 0; i < resultTrue.Length; i++)
            if (resultTrue[i].dtype != resultFalse[i].dtype)
                throw new ValueError($"Outputs of true_fn and false_fn must have the same type: {resultTrue[i].dtype.name}, {resultFalse[i].dtype.name}");
        var merges = new Tensor[resultTrue.Length];
        for (var i = 0; i < merges.Length; i++) merges[i] = Merge.Build([resultFalse[i], resultTrue[i]]).output;
        // Only top-level conds join the collection; nested ones are written inside their outer context.
        if (outer is null)
        {
            graph.add_to_collection(GraphKeys.COND_CONTEXT, contextTrue);
            graph.add_to_collection(GraphKeys.COND_CONTEXT, contextFalse);
        }
        return merges;
    }

    /// <summary>
    /// TensorFlow's <c>smart_cond</c>: a Python-style bool or a constant predicate picks its function while the graph
    /// is built; a predicate known only at run time builds a <see cref="Cond"/>.
    /// </summary>
    public static Tensor SmartCond(TensorLike pred, Func<Tensor> trueFn, Func<Tensor> falseFn, string? name)
    {
        switch (pred.Value)
        {
            case bool b: return b ? trueFn() : falseFn();
            case Tensor t when t.op.Def.ConstantValue(t.op, t.value_index) is { } value && value.dtype == DType.@bool && value.size == 1:
                return value.ToArray<bool>()[0] ? trueFn() : falseFn();
            case Tensor t when t.dtype != DType.@bool:
                throw new TypeError($"pred must be a bool or a bool tensor, got {t}");
        }
        return Cond(pred, () => [trueFn()], () => [falseFn()], name)[0];
    }

    /// <summary>
    /// <c>tf.case(pred_fn_pairs, default)</c>: the function of the first true predicate, as nested conds in the
    /// given order; without a default the last function is taken when no predicate is true.
    /// </summary>
    public static Tensor[] Case(IReadOnlyList<(TensorLike Pred, Func<IReadOnlyList<ITensorOrOperation>> Fn)> pairs,
        Func<IReadOnlyList<ITensorOrOperation>>? @default, bool exclusive, string? name)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new ValueError("case: pred_fn_pairs must not be empty.");
        using var b = OpBuilder.Begin(name, "case", [.. pairs.Select(p => p.Pred)]);
        var preds = pairs.Select((p, i) => b.Convert(p.Pred, $"pred_{i}")).ToList();
        foreach (var p in preds)
            if (p.dtype != DType.@bool) throw new TypeError($"case: pred must be a bool tensor, got {p}.");
        var fns = pairs.Select(p => p.Fn).ToList();
        if (@default is null)
        {
            @default = fns[^1];
            preds.RemoveAt(preds.Count - 1);
            fns.RemoveAt(fns.Count - 1);
        }
        Func<IReadOnlyList<ITensorOrOperation>> fn = @default;
        for (var i = preds.Count - 1; i >= 0; i--)
        {
            var (pred, action, otherwise) = (preds[i], fns[i], fn);
            fn = () => Cond(pred, action, otherwise, null);
        }
        if (!exclusive || preds.Count < 2) return [.. fn().Cast<Tensor>()];
        // Exclusive: more than one true predicate is an error at run time.
        var count = Sum.Build(Cast.Build(Pack(preds), DType.int32), null);
        var check = CheckCount(count, preds);
        using (b.Graph.control_dependencies([check]))
            return [.. fn().Cast<Tensor>().Select(t => Identity.Build(t))];
    }

    private static Tensor Pack(IReadOnlyList<Tensor> scalars) =>
        ConcatV2.Build([.. scalars.Select(s => (TensorLike)Reshape.Build(s, new[] { 1 }))], 0);

    private static Operation CheckCount(Tensor count, IReadOnlyList<Tensor> preds)
    {
        var ok = LessEqual.Build(count, 1);
        var message = "Input error: exclusive=True: more than 1 conditions (" + string.Join(", ", preds.Select(p => p.name)) + ") evaluated as True";
        return Assert.Build(ok, [message], 3, null);
    }

    /// <summary>
    /// <c>tf.while_loop(cond, body, loop_vars)</c>: a frame of its own, whose loop variables go around
    /// Enter → Merge → Switch → body → NextIteration until <paramref name="cond"/> is false, then leave through
    /// Exits (returned). <paramref name="maximumIterations"/> adds TensorFlow's iteration counter.
    /// </summary>
    public static Tensor[] WhileLoop(Func<Tensor[], Tensor> cond, Func<Tensor[], Tensor[]> body, IReadOnlyList<TensorLike> loopVars,
        IReadOnlyList<Shape?>? shapeInvariants, int parallelIterations, bool backProp, TensorLike? maximumIterations, string? name)
    {
        ArgumentNullException.ThrowIfNull(cond);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(loopVars);
        if (loopVars.Count == 0) throw new ValueError("No loop variables provided");
        if (shapeInvariants is not null && shapeInvariants.Count != loopVars.Count)
            throw new ValueError($"shape_invariants must have one entry per loop variable: {shapeInvariants.Count} for {loopVars.Count}.");
        using var b = OpBuilder.Begin(name, "while", [.. loopVars]);
        var graph = b.Graph;
        var vars = loopVars.Select((v, i) => b.Convert(v, $"loop_var_{i}")).ToArray();
        var invariants = shapeInvariants?.ToArray();
        Tensor? limit = null;
        if (maximumIterations is { } max)
        {
            limit = b.Convert(max, "maximum_iterations");
            if (!limit.dtype.is_integer) throw new TypeError($"maximum_iterations must be an integer tensor, got {limit}.");
            if (limit.shape.IsKnownRank && limit.shape.ndims != 0)
                throw new ValueError($"maximum_iterations must be a scalar, saw shape: {limit.shape}");
            var counter = Const.Create(graph, NDArray.Scalar(0).Cast(limit.dtype), "iteration_counter");
            var (innerCond, innerBody) = (cond, body);
            cond = v => LogicalAnd.Build(Less.Build(v[0], limit), innerCond(v[1..]));
            body = v => [Add.Build(v[0], 1), .. innerBody(v[1..])];
            vars = [counter, .. vars];
            if (invariants is not null) invariants = [Shape.Scalar, .. invariants];
        }
        var context = new WhileContext(graph.ControlFlowContext, parallelIterations, backProp, b.Name) { MaximumIterations = limit };
        var exits = context.BuildLoop(cond, body, vars, invariants);
        // Only top-level loops join the collection; nested ones are written inside their outer context.
        if (context.Outer is null) graph.add_to_collection(GraphKeys.WHILE_CONTEXT, context);
        return maximumIterations is null ? exits : exits[1..];
    }
}
