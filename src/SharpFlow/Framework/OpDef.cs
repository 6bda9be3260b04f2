namespace SharpFlow.Framework;

/// <summary>
/// What an op type is: its TensorFlow name, its shape and dtype rule (run when the op is added to a graph) and
/// the factory of its kernel (run once per session). Each op type is one subclass in one file under <c>Ops/</c>,
/// together with the functions that build it.
/// </summary>
public abstract class OpDef
{
    /// <summary>TensorFlow's op type name: <c>Add</c>, <c>MatMul</c>, <c>VariableV2</c>.</summary>
    public abstract string Type { get; }

    /// <summary>
    /// The attributes the op type declares (TensorFlow's <c>OpDef.attr</c>): by default the static
    /// <see cref="OpAttr"/> fields of its class and base classes. When an op is built or imported, a declared
    /// attribute of the wrong type is refused, and an imported NodeDef that leaves out one with a default gets it.
    /// </summary>
    public virtual IReadOnlyList<OpAttr> Attrs => OpAttr.DeclaredBy(GetType());

    /// <summary>
    /// True for ops whose output is not a function of their inputs (random numbers, variables): they produce a new
    /// value on every run and are never folded into constants.
    /// </summary>
    public virtual bool IsStateful => false;

    /// <summary>The part the op plays in control flow; <see cref="ControlFlowRole.None"/> for ordinary ops.</summary>
    public virtual ControlFlowRole ControlFlow => ControlFlowRole.None;

    /// <summary>True when input <paramref name="index"/> is a variable reference the kernel writes, not a value it reads.</summary>
    public virtual bool IsRefInput(int index) => false;

    /// <summary>
    /// True when output <paramref name="index"/> is a variable reference (TensorFlow's <c>float_ref</c>: a variable,
    /// or the variable an assignment or optimizer update wrote), not a value computed by the op.
    /// </summary>
    public virtual bool IsRefOutput(int index) => false;

    /// <summary>
    /// Checks the inputs and attributes and declares the outputs' dtypes and static shapes. Problems are reported
    /// with <see cref="InferenceContext.Error"/>, which names the op.
    /// </summary>
    public abstract void InferShapes(InferenceContext ctx);

    /// <summary>Creates the kernel that computes <paramref name="op"/> in one session.</summary>
    public abstract OpKernel CreateKernel(Operation op);

    /// <summary>
    /// The value of output <paramref name="index"/> when it is known without running the graph (a constant, the
    /// shape of a fully defined tensor), else null. Shape rules use it to read shapes and axes given as tensors.
    /// </summary>
    public virtual NDArray? ConstantValue(Operation op, int index) => null;

    /// <summary>
    /// When output <paramref name="index"/> is a shape vector whose entries are only partly known at build time
    /// (<c>tf.shape(x)</c> of a <c>(?, 3)</c> tensor), that partial shape; else null. Shape rules of ops that take
    /// shapes as tensors use it, as TensorFlow's <c>constant_value_as_shape</c>.
    /// </summary>
    public virtual Shape? PartialShapeValue(Operation op, int index) => null;

    /// <summary>
    /// True for ops that have no gradient (comparisons, shapes, random numbers, variable updates): the gradient
    /// pass gives their inputs no gradient. An op type either overrides <see cref="Gradient"/> or says this.
    /// </summary>
    public virtual bool NotDifferentiable => false;

    /// <summary>
    /// True for the few ops that take string tensors (summaries, Identity, Reshape, Shape); every other op refuses
    /// them when it is built, since the numeric kernels cannot move byte strings.
    /// </summary>
    public virtual bool AcceptsStrings => false;

    /// <summary>
    /// True when the op broadcasts its inputs against each other (<c>Add</c>, <c>Mul</c>): its gradient rule returns
    /// gradients of the output's shape and the gradient pass sums them back to each input's shape.
    /// </summary>
    public virtual bool BroadcastsInputs => false;

    /// <summary>
    /// The gradient rule: builds ops that compute the gradients of the op's inputs from <paramref name="grads"/>,
    /// the gradients of its outputs (for ops with several outputs, null for an output nothing depends on).
    /// Returns one entry per input, null where an input has no gradient. Rules build ordinary ops, so gradients
    /// can be differentiated again.
    /// </summary>
    public virtual Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        throw new LookupError($"No gradient defined for operation '{op.name}' (op type: {op.type})");
}
