using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>
/// One branch of a <c>tf.cond</c> (TensorFlow 1.x's <c>CondContext</c>): values from outside enter through a
/// Switch on the predicate, taking output <see cref="Branch"/>, so the branch's ops are dead when it is not taken;
/// ops without inputs get a control input from the branch's pivot. Public so that a graph's control flow can be
/// read (<see cref="Operation.Context"/>; an exporter such as ONNX's maps each branch to a subgraph); built only
/// by <c>tf.cond</c> and by importing a MetaGraphDef.
/// </summary>
public sealed class CondContext : ControlFlowContext
{
    private readonly Dictionary<Tensor, Tensor> _external = new(TensorComparer.Instance);
    private readonly string _name;

    internal CondContext(Tensor pred, Tensor pivot, int branch, ControlFlowContext? outer, string name)
    {
        Pred = pred;
        Pivot = pivot;
        Branch = branch;
        Outer = outer;
        _name = name;
        RegisterWithOuter();
        // TensorFlow's CondContext knows its predicate (external, standing for itself) and its pivot.
        SeenValues.Add(pred.name);
        ExternalValues[pred.name] = pred;
        SeenValues.Add(pivot.name);
    }

    /// <summary>The predicate (the cond's <c>pred_id</c>).</summary>
    public Tensor Pred { get; }

    /// <summary>The branch's pivot: <c>switch_t</c> or <c>switch_f</c>, alive only when the branch is taken.</summary>
    public Tensor Pivot { get; }

    /// <summary>1 for the true branch, 0 for the false one: the Switch output the branch takes.</summary>
    public int Branch { get; }

    /// <inheritdoc/>
    public override string Name => _name;

    /// <inheritdoc/>
    public override Tensor AddValue(Tensor value)
    {
        if (Contains(value.op)) return value;
        if (_external.TryGetValue(value, out var known)) return known;
        var outer = Outer?.AddValue(value) ?? value;
        if (_external.TryGetValue(outer, out known)) return known;
        var result = Switch.CreateIn(this, outer, Pred).outputs[Branch];
        _external[value] = result;
        _external[outer] = result;
        SeenValues.Add(value.name);
        if (!ReferenceEquals(outer, value))
        {
            SeenValues.Add(outer.name);
            ExternalValues[outer.name] = outer;
        }
        ExternalValues[value.name] = result;
        return result;
    }

    /// <summary>
    /// An imported context's cache of outside tensors and the tensors that stand for them inside (from its
    /// ValuesDef), so new ops of the branch reuse the imported Switches.
    /// </summary>
    internal void RestoreExternal(Tensor outside, Tensor inside)
    {
        if (!ReferenceEquals(outside, inside)) _external[outside] = inside;
    }

    /// <inheritdoc/>
    public override Operation? PivotFor(Operation? firstControlInput) => Pivot.op;

    /// <summary>
    /// A branch's result as the Merge takes it: a tensor of the branch as is, an outside tensor through the
    /// branch's Switch, an operation as the pivot with a control dependency on it (TensorFlow's
    /// <c>_BuildCondTensor</c>).
    /// </summary>
    internal Tensor BuildResult(ITensorOrOperation value)
    {
        if (value is Operation op)
        {
            using (Pivot.graph.control_dependencies([op]))
                return ArrayOps.Identity.Build(Pivot);
        }
        return AddValue((Tensor)value);
    }
}
