using System.Numerics;
using SharpFlow.Framework;
using SharpFlow.Ops.State;

namespace SharpFlow.Ops.Training;

/// <summary>
/// The shared rule of the optimizer update ops (ApplyGradientDescent, ApplyAdam, ...): the first
/// <see cref="RefCount"/> inputs are the variable and its slots, updated in place; one input is the gradient,
/// of the variable's shape; the rest are scalar hyper-parameters. The op outputs the updated variable. Each
/// op file gives the input names and the update rule of TensorFlow's CPU kernel, computed in the variable's
/// dtype.
/// </summary>
internal abstract class ApplyOp : OpDef
{
    private static readonly OpAttr<bool> UseLocking = new("use_locking");
    internal static readonly OpAttr<DType> TAttr = new("T");
    private Func<int, bool>? _isGrad;

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    /// <summary>TensorFlow's input names, in order.</summary>
    protected abstract string[] InputNames { get; }

    /// <summary>How many leading inputs are variables updated in place (the variable and its slots).</summary>
    protected abstract int RefCount { get; }

    /// <summary>The index of the gradient input.</summary>
    protected abstract int GradIndex { get; }

    /// <summary>
    /// Updates the variable and slots in place. <paramref name="scalars"/> holds the hyper-parameters in input
    /// order (every input that is neither a reference nor the gradient).
    /// </summary>
    /// <remarks>
    /// The rule sees spans over the same elements of the variable and each slot: all of them for the dense op, one
    /// row at a time for its sparse form (<see cref="SparseApplyOp"/>), so each rule is written once.
    /// </remarks>
    protected abstract void Update<T>(SlotSpans<T> refs, T[] scalars, ReadOnlySpan<T> grad) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>TensorFlow's input names, in order (the sparse form inserts <c>indices</c> after the gradient).</summary>
    internal string[] Inputs => InputNames;

    /// <summary>How many leading inputs are variables updated in place.</summary>
    internal int Refs => RefCount;

    /// <summary>The index of the gradient input.</summary>
    internal int Grad => GradIndex;

    /// <summary>Whether input <paramref name="index"/> is an integer scalar.</summary>
    internal bool IsInteger(int index) => IsIntegerInput(index);

    /// <summary>Checks the hyper-parameter values.</summary>
    internal void Check(double[] scalars, Func<string, Exception> error) => Validate(scalars, error);

    /// <summary>Applies the rule to the elements <c>[offset, offset + grad.Length)</c> of the variable and its slots.</summary>
    internal void UpdateRange<T>(NDArray[] refs, int offset, T[] scalars, ReadOnlySpan<T> grad) where T : unmanaged, IFloatingPointIeee754<T> =>
        Update(new SlotSpans<T>(refs, offset, grad.Length), scalars, grad);

    /// <summary>Extra checks of the hyper-parameter values (all in double), for messages naming the op.</summary>
    protected virtual void Validate(double[] scalars, Func<string, Exception> error) { }

    public override bool IsRefInput(int index) => index < RefCount;

    public override bool IsRefOutput(int index) => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var names = InputNames;
        if (ctx.Inputs.Count != names.Length) throw ctx.Error($"expects {names.Length} inputs, got {ctx.Inputs.Count}");
        for (var i = 0; i < RefCount; i++) VariableV2.Of(ctx.Inputs[i], $"{Type} \"{ctx.OpName}\"");
        var dtype = ctx.InputDType(0);
        if (!dtype.is_floating) throw ctx.TypeError($"var must be float32 or float64, got {dtype.name}");
        var shape = ctx.InputShape(0);
        for (var i = 0; i < names.Length; i++)
        {
            if (i == 0 || IsIntegerInput(i)) continue;
            if (ctx.InputDType(i) != dtype)
                throw ctx.TypeError($"{names[i]} has dtype {ctx.InputDType(i).name}, but var has {dtype.name}");
            var s = ctx.InputShape(i);
            if (i < RefCount || i == GradIndex)
            {
                if (!s.IsCompatibleWith(shape))
                    throw ctx.Error($"var and {names[i]} do not have the same shape {shape.ToListString()} {s.ToListString()}");
            }
            else if (s.IsKnownRank && s.ndims != 0)
                throw ctx.Error($"{names[i]} is not a scalar: {s.ToListString()}");
        }
        ctx.AddOutput(dtype, shape);
    }

    /// <summary>Whether input <paramref name="index"/> is an integer scalar (AdagradDA's global step).</summary>
    protected virtual bool IsIntegerInput(int index) => false;

    /// <summary>
    /// The rule an op of this type runs, chosen by its attributes (ApplyMomentum's <c>use_nesterov</c>): an op
    /// imported from a GraphDef is found by its type alone, so the variant must come from the node's attributes.
    /// </summary>
    internal virtual ApplyOp RuleFor(Operation op) => this;

    public override OpKernel CreateKernel(Operation op)
    {
        var variables = op.inputs.Take(RefCount).Select(t => VariableV2.Of(t, op.name)).ToArray();
        var useLocking = UseLocking.Of(op);
        var names = InputNames;
        var rule = RuleFor(op);
        UpdateScratch? spare = null; // a training step's update ops each read a few values: reuse the arrays they go into
        return OpKernel.From(ctx =>
        {
            using var _ = useLocking ? ctx.Variables.Lock(variables[0]) : null;
            // Taken, not shared: a concurrent run of this op (Hogwild-style, without use_locking) makes its own.
            var scratch = Interlocked.Exchange(ref spare, null) ?? new UpdateScratch(variables.Length);
            try
            {
                var refs = ReadRefs(ctx, variables, names, scratch.Refs);
                rule.ApplyFromInputs(ctx, refs, scratch);
                ctx.ForwardOutput(0, refs[0]);
            }
            finally
            {
                Array.Clear(scratch.Refs);
                spare = scratch;
            }
        });
    }

    /// <summary>The arrays one update reads its variables and hyper-parameters into, kept by the kernel between runs.</summary>
    internal sealed class UpdateScratch(int refs)
    {
        public NDArray[] Refs { get; } = new NDArray[refs];

        public double[]? Scalars;

        public float[]? Floats;

        public double[]? Doubles;
    }

    /// <summary>
    /// Applies this rule to <paramref name="refs"/> (the variable and its slots, of one shape) from the op's gradient
    /// and hyper-parameter inputs, which follow TensorFlow's input order; the resource form shares it.
    /// </summary>
    internal void ApplyFromInputs(OpKernelContext ctx, NDArray[] refs, UpdateScratch? scratch = null)
    {
        var names = InputNames;
        var grad = ctx.Input(GradIndex);
        if (grad.shape != refs[0].shape)
            throw ctx.InvalidArgument($"var and {names[GradIndex]} do not have the same shape{refs[0].shape.ToListString()} {grad.shape.ToListString()}");
        var values = ReadScalars(ctx, names, RefCount, _isGrad ??= i => i == GradIndex, scratch);
        Validate(values, ctx.InvalidArgumentOf);
        if (refs[0].dtype == DType.float32)
            UpdateRange(refs, 0, Typed(values, ref (scratch ?? new UpdateScratch(0)).Floats), grad.AsReadOnlySpan<float>());
        else UpdateRange(refs, 0, Typed(values, ref (scratch ?? new UpdateScratch(0)).Doubles), grad.AsReadOnlySpan<double>());
    }

    /// <summary>The current values of the variable and its slots, which must all have the variable's shape.</summary>
    internal static NDArray[] ReadRefs(OpKernelContext ctx, Operation[] variables, string[] names, NDArray[]? into = null)
    {
        var refs = into ?? new NDArray[variables.Length];
        for (var i = 0; i < refs.Length; i++)
            refs[i] = ctx.Variables.Read(variables[i])
                      ?? throw new FailedPreconditionError(VariableV2.UninitializedMessage(variables[i]), ctx.op.name);
        for (var i = 1; i < refs.Length; i++)
            if (refs[i].shape != refs[0].shape)
                throw ctx.InvalidArgument($"var and {names[i]} do not have the same shape{refs[0].shape.ToListString()} {refs[i].shape.ToListString()}");
        return refs;
    }

    /// <summary>The scalar hyper-parameters from input <paramref name="first"/> on (all in double), skipping the tensor inputs.</summary>
    internal static double[] ReadScalars(OpKernelContext ctx, string[] names, int first, Func<int, bool> skip, UpdateScratch? scratch = null)
    {
        // A run's update ops each read their hyper-parameters: count them first and read each value in place
        // (no list, no converted copy of each scalar).
        var count = 0;
        for (var i = first; i < names.Length; i++)
            if (!skip(i)) count++;
        var scalars = scratch?.Scalars is { } kept && kept.Length == count ? kept : new double[count];
        if (scratch is not null) scratch.Scalars = scalars;
        var k = 0;
        for (var i = first; i < names.Length; i++)
        {
            if (skip(i)) continue;
            var v = ctx.Input(i);
            if (v.ndim != 0) throw ctx.InvalidArgument($"{names[i]} is not a scalar: {v.shape.ToListString()}");
            scalars[k++] = v.dtype == DType.float32 ? v.AsReadOnlySpan<float>()[0]
                : v.dtype == DType.float64 ? v.AsReadOnlySpan<double>()[0]
                : v.Cast(DType.float64).AsReadOnlySpan<double>()[0];
        }
        return scalars;
    }

    /// <summary>The hyper-parameters in the variable's type.</summary>
    internal static T[] Typed<T>(double[] scalars) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[]? typed = null;
        return Typed(scalars, ref typed);
    }

    /// <summary>The hyper-parameters in the variable's type, in <paramref name="kept"/> when it has their count.</summary>
    private static T[] Typed<T>(double[] scalars, ref T[]? kept) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var typed = kept is { } k && k.Length == scalars.Length ? k : kept = new T[scalars.Length];
        for (var i = 0; i < scalars.Length; i++) typed[i] = T.CreateChecked(scalars[i]);
        return typed;
    }

    /// <summary>Builds the op from variable references, hyper-parameters and the gradient, in TensorFlow's input order.</summary>
    public Tensor Apply(IReadOnlyList<Tensor> inputs, bool useLocking, string? name, Dictionary<string, object>? extraAttrs = null) =>
        Build(this, InputNames, RefCount, -1, inputs, useLocking, name, extraAttrs);

    /// <summary>
    /// Builds a dense or sparse update op: the first <paramref name="refCount"/> inputs are taken as references, the
    /// others converted; attributes <c>T</c>, <c>use_locking</c> and, with <paramref name="indicesIndex"/>, <c>Tindices</c>.
    /// </summary>
    internal static Tensor Build(OpDef def, string[] names, int refCount, int indicesIndex, IReadOnlyList<Tensor> inputs, bool useLocking, string? name,
        Dictionary<string, object>? extraAttrs)
    {
        if (inputs.Count != names.Length) throw new ValueError($"{def.Type} expects {names.Length} inputs, got {inputs.Count}");
        using var b = OpBuilder.Begin(name, def.Type, [.. inputs.Select(t => (TensorLike)t)]);
        var converted = new Tensor[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
            converted[i] = i < refCount ? inputs[i].op.outputs[inputs[i].value_index] : b.Convert(inputs[i], names[i]);
        // The op type's own attributes (typed writes of its declared attributes), then the common ones.
        var attrs = new Dictionary<string, object>(extraAttrs ?? [], StringComparer.Ordinal) { { TAttr, converted[0].dtype } };
        if (indicesIndex >= 0) SparseApplyOp.Tindices.Set(attrs, converted[indicesIndex].dtype);
        UseLocking.Set(attrs, useLocking);
        return b.Create(def, converted, attrs).outputs[0];
    }
}

/// <summary>
/// The same run of elements of a variable and each of its slots, as spans: what an update rule works on. Indexing
/// gives the span of input <c>i</c> (0 the variable, then the slots in input order).
/// </summary>
internal readonly ref struct SlotSpans<T>(NDArray[] refs, int offset, int length) where T : unmanaged
{
    private readonly NDArray[] _refs = refs;

    /// <summary>The elements of the variable (0) or a slot.</summary>
    public Span<T> this[int index] => _refs[index].AsSpan<T>().Slice(offset, length);
}
