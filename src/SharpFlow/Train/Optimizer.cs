using SharpFlow.Framework;
using SharpFlow.Gradients;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.State;

namespace SharpFlow.Train;

/// <summary>
/// The base of TensorFlow 1.x's <c>tf.train</c> optimizers: <see cref="compute_gradients"/> differentiates a loss
/// with respect to the trainable variables, <see cref="apply_gradients"/> adds one update op per variable (an
/// <c>Apply*</c> op updating the variable and its slots in place) and optionally increments the global step, and
/// <see cref="minimize"/> does both. Slot variables (Adam's <c>m</c> and <c>v</c>, ...) are named
/// <c>var/OptimizerName</c>, <c>var/OptimizerName_1</c>, are not trainable and are initialized by
/// <c>tf.global_variables_initializer()</c>.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, Dictionary<Variable, Variable>> _slots = [];
    private readonly Dictionary<(Graph, string), Variable> _nonSlots = [];
    private readonly List<(string Name, TensorLike Value)> _hyperParameters = [];
    private readonly Dictionary<string, Tensor> _hyperTensors = [];

    /// <summary>Creates the optimizer.</summary>
    protected Optimizer(bool useLocking, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        UseLocking = useLocking;
        Name = name;
    }

    /// <summary>Whether updates take the variable's lock.</summary>
    protected bool UseLocking { get; }

    /// <summary>The optimizer's name: the scope of its ops and the suffix of its slot variables.</summary>
    protected string Name { get; }

    /// <summary>The optimizer's name (<c>Adam</c>).</summary>
    public string get_name() => Name;

    /// <summary>
    /// Adds the ops that minimize <paramref name="loss"/>: gradients, then updates. When
    /// <paramref name="global_step"/> is given it is incremented after the updates, and the returned op is that
    /// increment.
    /// </summary>
    public Operation minimize(Tensor loss, Variable? global_step = null, IEnumerable<Variable>? var_list = null,
        string? name = null, Tensor? grad_loss = null)
    {
        var gradsAndVars = compute_gradients(loss, var_list, grad_loss);
        if (gradsAndVars.All(gv => gv.grad is null))
            throw new ValueError($"No gradients provided for any variable, check your graph for ops that do not support gradients, between variables [{string.Join(", ", gradsAndVars.Select(gv => $"\"{gv.var}\""))}] and loss {loss}.");
        return apply_gradients(gradsAndVars, global_step, name);
    }

    /// <summary>
    /// The gradients of <paramref name="loss"/> with respect to <paramref name="var_list"/> (by default the
    /// trainable variables), as (gradient, variable) pairs; the gradient is null for a variable the loss does not
    /// depend on (integer variables never get one). A variable that gets a gradient must be float.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "TensorFlow's API: an instance method of the optimizer.")]
    public List<(Tensor? grad, Variable var)> compute_gradients(Tensor loss, IEnumerable<Variable>? var_list = null, Tensor? grad_loss = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        CheckFloat(loss, loss.op.type);
        var variables = (var_list ?? loss.graph.get_collection(GraphKeys.TRAINABLE_VARIABLES).OfType<Variable>()).Distinct().ToList();
        if (variables.Count == 0) throw new ValueError("No variables to optimize.");
        var grads = GradientPass.Build([loss], [.. variables], grad_loss is null ? null : [grad_loss], null, null);
        // As TensorFlow: only the variables that received a gradient must be float; an integer variable the loss does
        // not reach (the book's trainable `global_step = tf.Variable(0)`) just gets none.
        for (var i = 0; i < variables.Count; i++)
            if (grads[i] is not null) CheckFloat(variables[i], variables[i].op.name);
        return [.. variables.Select((v, i) => (grads[i], v))];
    }

    private static void CheckFloat(Tensor t, string what)
    {
        if (!t.dtype.is_floating)
            throw new ValueError($"Invalid type tf.{t.dtype.name} for {what}, expected: [tf.float32, tf.float64].");
    }

    /// <summary>
    /// Adds the update ops for the given (gradient, variable) pairs (pairs without a gradient are skipped), in a
    /// name scope <paramref name="name"/> (default: the optimizer's name). Returns the op that runs all updates,
    /// or the global-step increment that depends on them.
    /// </summary>
    public Operation apply_gradients(IEnumerable<(Tensor? grad, Variable var)> grads_and_vars, Variable? global_step = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(grads_and_vars);
        var pairs = grads_and_vars.ToList();
        if (pairs.Count == 0) throw new ValueError("No variables provided.");
        var withGrads = pairs.Where(p => p.grad is not null).Select(p => (grad: p.grad!, p.var)).ToList();
        if (withGrads.Count == 0)
            throw new ValueError($"No gradients provided for any variable: ({string.Join(", ", pairs.Select(p => $"(None, {p.var})"))}).");
        foreach (var (g, v) in withGrads)
        {
            if (!ReferenceEquals(g.graph, v.graph)) throw new ValueError($"{g} must be from the same graph as {v}.");
            if (g.dtype != v.dtype) throw new ValueError($"Gradient {g} has dtype {g.dtype.name} but variable {v.op.name} has {v.dtype.name}.");
        }
        var graph = withGrads[0].var.graph;
        using var graphScope = graph.as_default();

        using (graph.control_dependencies(null))
            CreateSlots([.. withGrads.Select(p => p.var)]);

        var updates = new List<Operation>();
        using (graph.name_scope(string.IsNullOrEmpty(name) ? Name : name, out var scope))
        {
            foreach (var (hyperName, value) in _hyperParameters) _hyperTensors[hyperName] = ToTensor(graph, value, hyperName);
            Prepare(graph);
            foreach (var (g, v) in withGrads)
                using (graph.name_scope("update_" + v.op.name))
                    updates.Add(g is IndexedSlices slices ? ApplySparseDuplicateIndices(slices, v) : ApplyDense(g, v));
            if (global_step is null) return Finish(updates, scope.TrimEnd('/') + "/");
            var finish = Finish(updates, "update");
            using (graph.control_dependencies([finish]))
                return AssignAdd.Build(global_step, 1, useLocking: false, name: scope).op;
        }
    }

    /// <summary>Creates the slot variables the update rule needs (default: none).</summary>
    protected virtual void CreateSlots(IReadOnlyList<Variable> varList) { }

    /// <summary>Builds extra tensors the updates share, in the update scope, after the hyper-parameters (default: none).</summary>
    protected virtual void Prepare(Graph graph) { }

    /// <summary>
    /// Declares a hyper-parameter (in the constructor): each <see cref="apply_gradients"/> makes it a tensor named
    /// <paramref name="name"/> in its scope (a constant, or the given tensor), in declaration order.
    /// </summary>
    protected void HyperParameter(string name, TensorLike value) => _hyperParameters.Add((name, value));

    /// <summary>The tensor of a declared hyper-parameter in the current <see cref="apply_gradients"/>.</summary>
    protected Tensor Hyper(string name) => _hyperTensors[name];

    /// <summary>The tensor of a declared hyper-parameter, in the variable's dtype.</summary>
    protected Tensor Hyper(string name, Variable var) => As(_hyperTensors[name], var);

    /// <summary>Adds the update op of one variable.</summary>
    protected abstract Operation ApplyDense(Tensor grad, Variable var);

    /// <summary>
    /// Adds the update of a variable whose gradient is sparse (an <see cref="IndexedSlices"/>, from
    /// <c>tf.gather</c> or <c>embedding_lookup</c>). As TensorFlow's <c>_apply_sparse_duplicate_indices</c>: the rows of
    /// repeated indices are summed first (<c>unique</c> + <c>unsorted_segment_sum</c>), then
    /// <see cref="ApplySparse"/> updates those rows.
    /// </summary>
    protected virtual Operation ApplySparseDuplicateIndices(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        var (unique, positions) = Unique.Build(grad.indices);
        var rows = Shape_.Build(unique)[0];
        var summed = Ops.MathOps.UnsortedSegmentSum.Build(grad.values, positions, rows);
        return ApplySparse(new IndexedSlices(summed, unique, grad.dense_shape, grad.shape), var);
    }

    /// <summary>
    /// Adds the update of the rows <c>grad.indices</c> (unique) of a variable. The built-in optimizers use
    /// TensorFlow's <c>SparseApply*</c> kernels; an optimizer that does not override this applies the dense form.
    /// </summary>
    protected virtual Operation ApplySparse(IndexedSlices grad, Variable var) => ApplyDense(grad, var);

    /// <summary>Groups the update ops into one op named <paramref name="name"/> (a scope name ends in <c>/</c>).</summary>
    protected virtual Operation Finish(IReadOnlyList<Operation> updateOps, string name) =>
        NoOp.Group([.. updateOps], name);

    /// <summary>The slot <paramref name="name"/> of <paramref name="var"/>, or null.</summary>
    public Variable? get_slot(Variable var, string name) =>
        _slots.TryGetValue(name, out var map) && map.TryGetValue(var, out var slot) ? slot : null;

    /// <summary>The names of the slots this optimizer created, sorted.</summary>
    public List<string> get_slot_names() => [.. _slots.Keys.OrderBy(k => k, StringComparer.Ordinal)];

    /// <summary>The variables the optimizer created: its slots and non-slot variables (Adam's beta powers).</summary>
    public List<Variable> variables() =>
        [.. _nonSlots.Values.OrderBy(v => v.name, StringComparer.Ordinal), .. _slots.Values.SelectMany(m => m.Values).OrderBy(v => v.name, StringComparer.Ordinal)];

    /// <summary>Creates (once) a slot of zeros shaped like <paramref name="var"/>.</summary>
    protected Variable ZerosSlot(Variable var, string slotName) => SlotWithValue(var, slotName, 0.0);

    /// <summary>Creates (once) a slot shaped like <paramref name="var"/>, filled with <paramref name="value"/>.</summary>
    protected Variable SlotWithValue(Variable var, string slotName, double value)
    {
        ArgumentNullException.ThrowIfNull(var);
        if (!_slots.TryGetValue(slotName, out var map)) _slots[slotName] = map = [];
        if (map.TryGetValue(var, out var existing)) return existing;
        var graph = var.graph;
        using (graph.name_scope(null))
        {
            var slot = Variable.Create(null, () =>
            {
                var scalar = Literal.ToNDArray(value, var.dtype);
                if (var.shape.IsFullyDefined)
                    return Fill.Build(Shapes.Const(graph, var.shape.Dims, "shape"), Const.Create(graph, scalar, "Const"));
                return Fill.Build(Shape_.Build(var.initialized_value()), Const.Create(graph, scalar, "Const"));
            }, trainable: false, collections: null, validateShape: var.shape.IsFullyDefined, name: var.op.name + "/" + Name, dtype: var.dtype);
            map[var] = slot;
            return slot;
        }
    }

    /// <summary>Creates (once per graph) a non-trainable scalar variable of the optimizer (Adam's <c>beta1_power</c>).</summary>
    protected Variable NonSlotVariable(Graph graph, string name, double initialValue)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (_nonSlots.TryGetValue((graph, name), out var v)) return v;
        v = Variable.Create(Literal.ToNDArray(initialValue, DType.float32), null, trainable: false, collections: null, validateShape: true, name: name, dtype: DType.float32);
        _nonSlots[(graph, name)] = v;
        return v;
    }

    /// <summary>A hyper-parameter as a tensor: a given tensor, or a constant named <paramref name="name"/>.</summary>
    private static Tensor ToTensor(Graph graph, TensorLike value, string name)
    {
        if (value.Value is Tensor t) return t.AsInput();
        return Const.Create(graph, Literal.ToNDArray(value.Value, DType.float32), name);
    }

    /// <summary><paramref name="t"/> in the variable's dtype.</summary>
    protected static Tensor As(Tensor t, Variable var)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(var);
        return t.dtype == var.dtype ? t : Ops.MathOps.Cast.Build(t, var.dtype);
    }
}
