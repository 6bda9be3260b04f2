using SharpFlow.Framework;

namespace SharpFlow.Ops.Training;

/// <summary>
/// The sparse optimizer updates of resource variables (ResourceSparseApplyAdagrad, ResourceSparseApplyMomentum, ...):
/// the sparse op's inputs with the variable and its slots as <c>resource</c> handles, the dense rule applied to the
/// rows <c>indices</c> in place (a repeated index updated twice, every index checked before any row changes), and no
/// output. One definition per sparse op.
/// </summary>
internal sealed class ResourceSparseApplyOp : OpDef
{
    private static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");

    public static readonly ResourceSparseApplyOp Adadelta = new(SparseApplyAdadelta.Def);
    public static readonly ResourceSparseApplyOp Adagrad = new(SparseApplyAdagrad.Def);
    public static readonly ResourceSparseApplyOp AdagradDA = new(SparseApplyAdagradDA.Def);
    public static readonly ResourceSparseApplyOp CenteredRMSProp = new(SparseApplyCenteredRMSProp.Def);
    public static readonly ResourceSparseApplyOp Ftrl = new(SparseApplyFtrl.Def);
    public static readonly ResourceSparseApplyOp FtrlV2 = new(SparseApplyFtrlV2.Def);
    public static readonly ResourceSparseApplyOp Momentum = new(SparseApplyMomentum.Def);
    public static readonly ResourceSparseApplyOp ProximalAdagrad = new(SparseApplyProximalAdagrad.Def);
    public static readonly ResourceSparseApplyOp ProximalGradientDescent = new(SparseApplyProximalGradientDescent.Def);
    public static readonly ResourceSparseApplyOp RMSProp = new(SparseApplyRMSProp.Def);

    private readonly SparseApplyOp _sparse;

    private ResourceSparseApplyOp(SparseApplyOp sparse) => _sparse = sparse;

    /// <summary>The reference-variable op whose rule this op applies.</summary>
    internal SparseApplyOp Sparse => _sparse;

    /// <summary>Every sparse resource update op, one per sparse op.</summary>
    internal static IReadOnlyList<ResourceSparseApplyOp> All =>
        [Adadelta, Adagrad, AdagradDA, CenteredRMSProp, Ftrl, FtrlV2, Momentum, ProximalAdagrad, ProximalGradientDescent, RMSProp];

    public override string Type => "Resource" + _sparse.Type;

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    // The dense op's integer inputs (AdagradDA's global_step) sit one place later, after indices.
    public override void InferShapes(InferenceContext ctx) =>
        ResourceApplyOp.InferResourceApply(ctx, _sparse.Names, _sparse.Dense.Refs, i => i == _sparse.GradIndex,
            i => i > _sparse.IndicesIndex ? _sparse.Dense.IsInteger(i - 1) : i != _sparse.IndicesIndex && _sparse.Dense.IsInteger(i));

    public override OpKernel CreateKernel(Operation op)
    {
        var useLocking = ResourceApplyOp.UseLocking.Of(op);
        var dtype = T.Of(op);
        var dense = _sparse.Dense.RuleFor(op);
        return OpKernel.From(ctx =>
        {
            using var _ = ResourceApplyOp.LockFirst(ctx, useLocking);
            var refs = ResourceApplyOp.ReadHandles(ctx, _sparse.Dense.Refs, _sparse.Names, dtype);
            if (ctx.Input(_sparse.GradIndex).dtype != dtype) throw ctx.InvalidArgument($"grad has dtype {ctx.Input(_sparse.GradIndex).dtype.name}, but T is {dtype.name}");
            _sparse.ApplyRows(ctx, dense, refs);
        });
    }

    /// <summary>Builds the op from resource handles, the gradient's values, its indices and the hyper-parameters, in TensorFlow's input order.</summary>
    public Operation Apply(IReadOnlyList<Tensor> inputs, bool useLocking, string? name = null, Dictionary<string, object>? extraAttrs = null) =>
        ResourceApplyOp.Build(this, _sparse.Names, _sparse.Dense.Refs, inputs, useLocking, name, extraAttrs);
}
