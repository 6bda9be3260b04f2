using SharpFlow.Framework;
using SharpFlow.Ops.State;

namespace SharpFlow.Ops.Training;

/// <summary>
/// The optimizer update ops of resource variables (ResourceApplyGradientDescent, ResourceApplyAdam, ...), as
/// TensorFlow 1.15's <c>training_ops.cc</c> registers them: the dense op's inputs with the variable and its slots as
/// <c>resource</c> handles (VarHandleOp outputs) instead of references, the same update rule in place, and no output.
/// TensorFlow 2's <c>tf.compat.v1.train</c> optimizers build these, since variables are resource variables there by
/// default, so a V1 graph written by TensorFlow 2 trains with them. One definition per dense op.
/// </summary>
internal sealed class ResourceApplyOp : OpDef
{
    private static readonly OpAttr<DType> TAttr = new("T");
    internal static readonly OpAttr<bool> UseLocking = new("use_locking", false);

    public static readonly ResourceApplyOp Adadelta = new(ApplyAdadelta.Def);
    public static readonly ResourceApplyOp Adagrad = new(ApplyAdagrad.Def);
    public static readonly ResourceApplyOp AdagradDA = new(ApplyAdagradDA.Def);
    public static readonly ResourceApplyOp Adam = new(ApplyAdam.Def);
    public static readonly ResourceApplyOp CenteredRMSProp = new(ApplyCenteredRMSProp.Def);
    public static readonly ResourceApplyOp Ftrl = new(ApplyFtrl.Def);
    public static readonly ResourceApplyOp FtrlV2 = new(ApplyFtrlV2.Def);
    public static readonly ResourceApplyOp GradientDescent = new(ApplyGradientDescent.Def);
    public static readonly ResourceApplyOp Momentum = new(ApplyMomentum.Def);
    public static readonly ResourceApplyOp ProximalAdagrad = new(ApplyProximalAdagrad.Def);
    public static readonly ResourceApplyOp ProximalGradientDescent = new(ApplyProximalGradientDescent.Def);
    public static readonly ResourceApplyOp RMSProp = new(ApplyRMSProp.Def);

    private readonly ApplyOp _dense;

    private ResourceApplyOp(ApplyOp dense) => _dense = dense;

    /// <summary>The reference-variable op whose rule this op applies.</summary>
    internal ApplyOp Dense => _dense;

    /// <summary>Every resource update op, one per dense op.</summary>
    internal static IReadOnlyList<ResourceApplyOp> All =>
        [Adadelta, Adagrad, AdagradDA, Adam, CenteredRMSProp, Ftrl, FtrlV2, GradientDescent, Momentum, ProximalAdagrad, ProximalGradientDescent, RMSProp];

    public override string Type => "Resource" + _dense.Type;

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => InferResourceApply(ctx, _dense.Inputs, _dense.Refs, i => i == _dense.Grad, i => _dense.IsInteger(i));

    /// <summary>
    /// The shape rule shared with the sparse form: the leading <paramref name="refs"/> inputs are resource handles of
    /// variables of dtype <c>T</c> (and of one shape, where the handles come straight from VarHandleOps); every other
    /// input but the integer ones has dtype <c>T</c>; the hyper-parameters are scalars; no outputs.
    /// </summary>
    internal static void InferResourceApply(InferenceContext ctx, string[] names, int refs, Func<int, bool> isTensorInput, Func<int, bool> isInteger)
    {
        if (ctx.Inputs.Count != names.Length) throw ctx.Error($"expects {names.Length} inputs, got {ctx.Inputs.Count}");
        var dtype = TAttr.Of(ctx);
        if (!dtype.is_floating) throw ctx.TypeError($"T must be float32 or float64, got {dtype.name}");
        Shape? varShape = null;
        for (var i = 0; i < refs; i++)
        {
            if (ctx.InputDType(i) != DType.resource) throw ctx.TypeError($"Input '{names[i]}' must be a resource handle, got {ctx.InputDType(i).name}");
            if (VarHandleOp.Producer(ctx.Inputs[i]) is not { } handle) continue;
            if (VarHandleOp.Dtype.Of(handle) != dtype)
                throw ctx.TypeError($"{names[i]} is a variable of dtype {VarHandleOp.Dtype.Of(handle).name}, but T is {dtype.name}");
            var shape = VarHandleOp.ShapeAttr.Of(handle);
            if (varShape is { } known && !known.IsCompatibleWith(shape))
                throw ctx.Error($"var and {names[i]} do not have the same shape {known.ToListString()} {shape.ToListString()}");
            varShape ??= shape;
        }
        for (var i = refs; i < names.Length; i++)
        {
            if (isInteger(i)) continue;
            if (ctx.InputDType(i) != dtype && !(names[i] == "indices" && (ctx.InputDType(i) == DType.int32 || ctx.InputDType(i) == DType.int64)))
                throw ctx.TypeError($"{names[i]} has dtype {ctx.InputDType(i).name}, but T is {dtype.name}");
            var s = ctx.InputShape(i);
            if (isTensorInput(i) || names[i] == "indices") continue;
            if (s.IsKnownRank && s.ndims != 0) throw ctx.Error($"{names[i]} is not a scalar: {s.ToListString()}");
        }
    }

    /// <summary>
    /// The current values of the variables behind the leading handles, checked for dtype and for one shape; locked
    /// through the first when <c>use_locking</c> (the caller disposes the lock).
    /// </summary>
    internal static NDArray[] ReadHandles(OpKernelContext ctx, int count, string[] names, DType dtype)
    {
        var refs = new NDArray[count];
        for (var i = 0; i < count; i++)
        {
            var handle = ResourceVariableHandle.Of(ctx.Input(i), m => ctx.InvalidArgument($"{names[i]}: {m}"));
            refs[i] = handle.Read(ctx, ctx.op.name);
            if (refs[i].dtype != dtype)
                throw ctx.InvalidArgument($"Trying to access resource {handle.Name} with dtype {refs[i].dtype.name} as dtype {dtype.name}");
            if (i > 0 && refs[i].shape != refs[0].shape)
                throw ctx.InvalidArgument($"var and {names[i]} do not have the same shape{refs[0].shape.ToListString()} {refs[i].shape.ToListString()}");
        }
        return refs;
    }

    /// <summary>The lock of the variable behind input 0 when the op has <c>use_locking</c>, else null.</summary>
    internal static IDisposable? LockFirst(OpKernelContext ctx, bool useLocking) =>
        useLocking ? ctx.Variables.Lock(ResourceVariableHandle.Of(ctx.Input(0), ctx.InvalidArgumentOf).Key) : null;

    public override OpKernel CreateKernel(Operation op)
    {
        var useLocking = UseLocking.Of(op);
        var dtype = TAttr.Of(op);
        var rule = _dense.RuleFor(op);
        var names = _dense.Inputs;
        return OpKernel.From(ctx =>
        {
            using var _ = LockFirst(ctx, useLocking);
            var refs = ReadHandles(ctx, _dense.Refs, names, dtype);
            if (ctx.Input(_dense.Grad).dtype != dtype) throw ctx.InvalidArgument($"grad has dtype {ctx.Input(_dense.Grad).dtype.name}, but T is {dtype.name}");
            rule.ApplyFromInputs(ctx, refs);
        });
    }

    /// <summary>Builds the op from resource handles, hyper-parameters and the gradient, in TensorFlow's input order.</summary>
    public Operation Apply(IReadOnlyList<Tensor> inputs, bool useLocking, string? name = null, Dictionary<string, object>? extraAttrs = null) =>
        Build(this, _dense.Inputs, _dense.Refs, inputs, useLocking, name, extraAttrs);

    /// <summary>Builds a resource update op: handles first, the other inputs converted to the variables' dtype.</summary>
    internal static Operation Build(OpDef def, string[] names, int refs, IReadOnlyList<Tensor> inputs, bool useLocking, string? name, Dictionary<string, object>? extraAttrs)
    {
        if (inputs.Count != names.Length) throw new ValueError($"{def.Type} expects {names.Length} inputs, got {inputs.Count}");
        var dtype = (VarHandleOp.Producer(inputs[0]) is { } handle ? VarHandleOp.Dtype.Of(handle) : (DType?)null)
                    ?? inputs.Skip(refs).FirstOrDefault(t => t.dtype.is_floating)?.dtype
                    ?? throw new ValueError($"{def.Type}: cannot tell the variable's dtype");
        using var b = OpBuilder.Begin(name, def.Type, [.. inputs.Select(t => (TensorLike)t)]);
        var converted = new Tensor[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
            converted[i] = i < refs || names[i] == "indices" ? inputs[i] : b.Convert(inputs[i], names[i], inputs[i].dtype.is_integer ? null : dtype);
        // The op type's own attributes (typed writes of its declared attributes), then the common ones.
        var attrs = new Dictionary<string, object>(extraAttrs ?? [], StringComparer.Ordinal) { { TAttr, dtype } };
        if (names.Contains("indices")) ResourceSparseApplyOp.Tindices.Set(attrs, converted[Array.IndexOf(names, "indices")].dtype);
        UseLocking.Set(attrs, useLocking);
        return b.Create(def, converted, attrs);
    }
}
