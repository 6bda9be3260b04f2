using SharpFlow.Framework;

using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.State;

namespace SharpFlow;

/// <summary>
/// A TensorFlow 1.x variable (<c>tf.Variable</c>, <c>tf.get_variable</c>): a VariableV2 op whose value lives in
/// each session, an <see cref="initializer"/> (the <c>Assign</c> of its initial value) and a snapshot
/// (<c>name/read</c>) that stands for it whenever it is used as an op input. A variable is itself the tensor
/// <c>name:0</c>, so it can be fetched, fed to ops and combined with operators.
/// </summary>
public sealed class Variable : Tensor
{
    private static readonly OpAttr<DType> Dtype = new("dtype");
    private static readonly OpAttr<Shape> ShapeAttr = new("shape");

    private readonly Tensor _snapshot;
    private readonly Tensor _reference;

    private Variable(Operation variableOp, Tensor initialValue, Operation initializerOp, Tensor snapshot, bool trainable)
        : base(variableOp, 0, IsResourceOp(variableOp) ? Dtype.Of(variableOp) : variableOp.outputs[0].dtype,
            IsResourceOp(variableOp) ? ShapeAttr.Of(variableOp) : variableOp.outputs[0].shape)
    {
        _reference = variableOp.outputs[0];
        initial_value = initialValue;
        initializer = initializerOp;
        _snapshot = snapshot;
        this.trainable = trainable;
    }

    /// <summary>The op that assigns the initial value (run it, or <c>tf.global_variables_initializer()</c>).</summary>
    public Operation initializer { get; internal set; }

    /// <summary>The tensor computing the initial value.</summary>
    public Tensor initial_value { get; internal set; }

    /// <summary>Whether optimizers train it (it is in <c>TRAINABLE_VARIABLES</c>).</summary>
    public bool trainable { get; }

    /// <summary>The snapshot tensor <c>name/read</c> that reads the variable.</summary>
    public Tensor value() => _snapshot;

    /// <summary>A new read of the variable (an Identity named <c>read</c>).</summary>
    public Tensor read_value() => IsResourceOp(op) ? ReadVariableOp.Build(_reference, dtype, "read") : Identity.OfRef(_reference, op.name + "/read");

    internal override Tensor AsInput() => _snapshot;

    /// <summary>Refines the variable's static shape, and that of the tensors that stand for it.</summary>
    public override void SetShape(Shape newShape)
    {
        base.SetShape(newShape);
        _reference.SetShape(newShape);
        _snapshot.SetShape(newShape);
    }

    /// <summary>
    /// The variable's value once it is initialized, else its initial value: use it to initialize another variable
    /// from this one (<c>tf.Variable(w.initialized_value() * 2)</c>).
    /// </summary>
    public Tensor initialized_value()
    {
        using (graph.control_dependencies(null))
            return InitializedValue.Build(_reference, initial_value);
    }

    /// <summary>An op that assigns <paramref name="value"/> and outputs the new value (<c>v.assign(x)</c>).</summary>
    public Tensor assign(TensorLike value, bool use_locking = false, string? name = null) =>
        IsResourceOp(op) ? ResourceUpdate(AssignVariableOp.Build(_reference, value, dtype, name)) : Assign.Build(_reference, value, validateShape: true, useLocking: use_locking, name: name);

    /// <summary>An op that adds <paramref name="delta"/> and outputs the new value.</summary>
    public Tensor assign_add(TensorLike delta, bool use_locking = false, string? name = null) =>
        IsResourceOp(op) ? ResourceUpdate(AssignAddVariableOp.Build(_reference, delta, dtype, name)) : AssignAdd.Build(_reference, delta, use_locking, name);

    /// <summary>An op that subtracts <paramref name="delta"/> and outputs the new value.</summary>
    public Tensor assign_sub(TensorLike delta, bool use_locking = false, string? name = null) =>
        IsResourceOp(op) ? ResourceUpdate(AssignSubVariableOp.Build(_reference, delta, dtype, name)) : AssignSub.Build(_reference, delta, use_locking, name);

    private static bool IsResourceOp(Operation op) => op.type == "VarHandleOp";

    // A resource variable's update, as TensorFlow's ResourceVariable.assign(read_value=True): the value read after it.
    private Tensor ResourceUpdate(Operation update)
    {
        using (graph.control_dependencies([update]))
            return ReadVariableOp.Build(_reference, dtype);
    }

    /// <summary>TensorFlow's repr: <c>&lt;tf.Variable 'Variable:0' shape=(2, 2) dtype=float32_ref&gt;</c>.</summary>
    public override string ToString() => $"<tf.Variable '{name}' shape={shape} dtype={dtype.name}{(IsResourceOp(op) ? "" : "_ref")}>";

    /// <summary>
    /// The variable object of ops already in a graph (TensorFlow's <c>RefVariable(variable_def=...)</c>, or
    /// <c>ResourceVariable(variable_def=...)</c> for a VarHandleOp, as <c>import_meta_graph</c> rebuilds the variables
    /// of a MetaGraphDef): its VariableV2 or VarHandleOp op, its initializer, its
    /// snapshot and its initial value. It joins no collection.
    /// </summary>
    internal static Variable FromGraph(Operation variableOp, Operation initializer, Tensor snapshot, Tensor initialValue, bool trainable)
    {
        if (variableOp.type is not ("VariableV2" or "Variable" or "VarHandleOp"))
            throw new ValueError($"'{variableOp.name}' is a {variableOp.type} op, not a VariableV2 or VarHandleOp");
        return new Variable(variableOp, initialValue, initializer, snapshot, trainable);
    }

    /// <summary>
    /// Creates a variable as TensorFlow 1.x's <c>RefVariable</c> does: in a unique name scope (<c>Variable</c>,
    /// <c>Variable_1</c>, ...) it converts the initial value (a constant <c>initial_value</c> for plain values),
    /// adds the VariableV2 op, its <c>Assign</c> initializer and its <c>read</c> snapshot, then joins the
    /// collections (GLOBAL_VARIABLES, and TRAINABLE_VARIABLES when trainable). Variables are created outside any
    /// control-dependency scope.
    /// </summary>
    internal static Variable Create(TensorLike? initialValue, Func<Tensor>? initialValueFn, bool trainable,
        IEnumerable<string>? collections, bool validateShape, string? name, DType? dtype)
    {
        var graph = initialValue is { Value: Tensor t } ? t.graph : Graph.get_default();
        using var deps = graph.control_dependencies(null);
        // Like TensorFlow's init_scope: a variable made while a cond or loop body is built (an RNN cell's first
        // call inside dynamic_rnn) lives outside it, and the loop reads it through an Enter.
        using var outside = graph.EnterContext(null);
        using var b = OpBuilder.Begin(graph, name, "Variable");
        Tensor initial;
        if (initialValueFn is not null)
        {
            using (graph.name_scope("Initializer"))
            {
                var produced = initialValueFn();
                initial = dtype is { } d && produced.dtype != d ? Ops.MathOps.Cast.Build(produced, d) : produced;
            }
        }
        else
        {
            var value = initialValue ?? throw new ValueError("initial_value must be specified.");
            initial = b.Convert(value, "initial_value", value.Value is Tensor ? null : dtype);
            if (dtype is { } d && initial.dtype != d)
                throw new ValueError($"Tensor conversion requested dtype {d.name} for Tensor with dtype {initial.dtype.name}: {initial}");
        }
        if (validateShape && !initial.shape.IsFullyDefined)
            throw new ValueError($"initial_value must have a shape specified: {initial}");

        var variableOp = VariableV2.Create(graph, b.Scope, validateShape ? initial.shape : Shape.Unknown, initial.dtype);
        var reference = variableOp.outputs[0];
        var assign = Assign.Build(reference, initial, validateShape, useLocking: true, name: "Assign");
        var snapshot = Identity.OfRef(reference, "read");
        var variable = new Variable(variableOp, initial, assign.op, snapshot, trainable);

        var names = (collections ?? [GraphKeys.GLOBAL_VARIABLES]).ToList();
        if (trainable && !names.Contains(GraphKeys.TRAINABLE_VARIABLES)) names.Add(GraphKeys.TRAINABLE_VARIABLES);
        graph.add_to_collections(names, variable);
        return variable;
    }
}
