using System.Numerics;
using SharpFlow.Framework;
using SharpFlow.Ops.State;

namespace SharpFlow.Ops.Training;

/// <summary>
/// The sparse form of an optimizer update op (SparseApplyAdagrad, ...), as TensorFlow's <c>training_ops.cc</c>:
/// the gradient holds only the rows <c>indices</c> of the variable (an IndexedSlices' values), and the dense op's
/// rule is applied to those rows of the variable and its slots, one index after another, so a repeated index is
/// updated twice as TensorFlow's kernels do. Inputs are the dense op's with <c>indices</c> right after the
/// gradient; every index is checked before any row changes.
/// </summary>
internal abstract class SparseApplyOp : OpDef
{
    private static readonly OpAttr<bool> UseLocking = new("use_locking");
    internal static readonly OpAttr<DType> Tindices = new("Tindices");

    /// <summary>The dense op whose rule this op applies row by row.</summary>
    internal abstract ApplyOp Dense { get; }

    private string[]? _names;

    /// <summary>TensorFlow's input names: the dense op's with <c>indices</c> after <c>grad</c>.</summary>
    internal string[] Names => _names ??= [.. Dense.Inputs.Take(GradIndex + 1), "indices", .. Dense.Inputs.Skip(GradIndex + 1)];

    internal int GradIndex => Dense.Grad;

    internal int IndicesIndex => Dense.Grad + 1;

    /// <summary>The dense op's input index of sparse input <paramref name="index"/> (-1 for <c>indices</c>).</summary>
    private int DenseIndex(int index) => index < IndicesIndex ? index : index == IndicesIndex ? -1 : index - 1;

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool IsRefInput(int index) => index < Dense.Refs;

    public override bool IsRefOutput(int index) => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var names = Names;
        if (ctx.Inputs.Count != names.Length) throw ctx.Error($"expects {names.Length} inputs, got {ctx.Inputs.Count}");
        for (var i = 0; i < Dense.Refs; i++) VariableV2.Of(ctx.Inputs[i], $"{Type} \"{ctx.OpName}\"");
        var dtype = ctx.InputDType(0);
        if (!dtype.is_floating) throw ctx.TypeError($"var must be float32 or float64, got {dtype.name}");
        var shape = ctx.InputShape(0);
        for (var i = 1; i < names.Length; i++)
        {
            if (i == IndicesIndex || Dense.IsInteger(DenseIndex(i))) continue;
            if (ctx.InputDType(i) != dtype)
                throw ctx.TypeError($"{names[i]} has dtype {ctx.InputDType(i).name}, but var has {dtype.name}");
            var s = ctx.InputShape(i);
            if (i < Dense.Refs)
            {
                if (!s.IsCompatibleWith(shape))
                    throw ctx.Error($"var and {names[i]} do not have the same shape {shape.ToListString()} {s.ToListString()}");
            }
            else if (i != GradIndex && s.IsKnownRank && s.ndims != 0)
                throw ctx.Error($"{names[i]} is not a scalar: {s.ToListString()}");
        }
        var indicesType = ctx.InputDType(IndicesIndex);
        if (indicesType != DType.int32 && indicesType != DType.int64)
            throw ctx.TypeError($"indices must be int32 or int64, got {indicesType.name}");
        var indices = ctx.InputShape(IndicesIndex);
        if (indices.IsKnownRank && indices.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {indices.ndims} for indices");
        var grad = ctx.InputShape(GradIndex);
        if (grad.IsKnownRank)
        {
            if (grad.ndims == 0) throw ctx.Error("Shape must be at least rank 1 but is rank 0 for grad");
            if (indices.IsKnownRank && !new Shape(indices[0]).IsCompatibleWith(new Shape(grad[0])))
                throw ctx.Error($"Dimensions must be equal, but are {Dim(indices[0])} and {Dim(grad[0])} for indices and grad");
            // The rows of grad match the variable's rows after the first dimension.
            var rows = new Shape([-1, .. grad.Dims.Skip(1)]);
            if (!rows.IsCompatibleWith(shape))
                throw ctx.Error($"var and grad do not have the same shape after the first dimension {shape.ToListString()} {grad.ToListString()}");
            if (shape.IsKnownRank) shape = shape.MergeWith(rows);
        }
        ctx.AddOutput(dtype, shape);
    }

    private static string Dim(int d) => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override OpKernel CreateKernel(Operation op)
    {
        var variables = op.inputs.Take(Dense.Refs).Select(t => VariableV2.Of(t, op.name)).ToArray();
        var useLocking = UseLocking.Of(op);
        var names = Names;
        var dense = Dense.RuleFor(op);
        return OpKernel.From(ctx =>
        {
            using var _ = useLocking ? ctx.Variables.Lock(variables[0]) : null;
            var refs = ApplyOp.ReadRefs(ctx, variables, names);
            ApplyRows(ctx, dense, refs);
            ctx.ForwardOutput(0, refs[0]);
        });
    }

    /// <summary>
    /// Applies <paramref name="dense"/>'s rule to the rows <c>indices</c> of <paramref name="refs"/> (the variable and
    /// its slots, already checked to share one shape) from this op's gradient, indices and hyper-parameter inputs.
    /// </summary>
    internal void ApplyRows(OpKernelContext ctx, ApplyOp dense, NDArray[] refs)
    {
        var names = Names;
        var var = refs[0];
        if (var.ndim < 1) throw ctx.InvalidArgument("var must be at least 1 dimensional");
        var grad = ctx.Input(GradIndex);
        var indices = ctx.Input(IndicesIndex);
        if (indices.ndim != 1) throw ctx.InvalidArgument("indices must be one-dimensional");
        if (grad.ndim != var.ndim) throw ctx.InvalidArgument($"var and grad do not have the same rank: {var.shape.ToListString()} {grad.shape.ToListString()}");
        var rowSize = 1;
        for (var d = 1; d < var.ndim; d++)
        {
            if (var.shape[d] != grad.shape[d]) throw ctx.InvalidArgument($"var and grad must match in dimension {d}");
            rowSize *= (int)var.shape[d];
        }
        var n = (int)indices.shape[0];
        if (grad.shape[0] != n) throw ctx.InvalidArgument("grad must be the same size as indices in the first dimension.");
        var values = ApplyOp.ReadScalars(ctx, names, Dense.Refs, i => i == GradIndex || i == IndicesIndex);
        dense.Check(values, ctx.InvalidArgumentOf);
        // Every index is checked before the first row changes, so a bad index leaves the variable as it was.
        var rows = new long[n];
        var firstDim = var.shape[0];
        for (var i = 0; i < n; i++)
        {
            rows[i] = indices.dtype == DType.int32 ? indices.AsReadOnlySpan<int>()[i] : indices.AsReadOnlySpan<long>()[i];
            if (rows[i] < 0 || rows[i] >= firstDim)
                throw ctx.InvalidArgument($"Index {rows[i]} at offset {i} in indices is out of range");
        }
        if (var.dtype == DType.float32) Run<float>(dense, refs, values, grad, rows, rowSize);
        else Run<double>(dense, refs, values, grad, rows, rowSize);
    }

    private static void Run<T>(ApplyOp dense, NDArray[] refs, double[] scalars, NDArray grad, long[] rows, int rowSize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var typed = ApplyOp.Typed<T>(scalars);
        var g = grad.AsReadOnlySpan<T>();
        for (var i = 0; i < rows.Length; i++)
            dense.UpdateRange(refs, checked((int)(rows[i] * rowSize)), typed, g.Slice(i * rowSize, rowSize));
    }

    /// <summary>
    /// Builds the op from the variable and slot references, the gradient's values, its indices and the
    /// hyper-parameters, in TensorFlow's input order.
    /// </summary>
    public Tensor Apply(IReadOnlyList<Tensor> inputs, bool useLocking, string? name = null, Dictionary<string, object>? extraAttrs = null) =>
        ApplyOp.Build(this, Names, Dense.Refs, IndicesIndex, inputs, useLocking, name, extraAttrs);
}
