using SharpFlow.Framework;


namespace SharpFlow.Ops.MathOps;

/// <summary>
/// The shared shape rule of reductions (Sum, Mean, Max, Min, Prod): input <c>input</c> and the axes to reduce
/// (<c>reduction_indices</c>, an int32 tensor, usually constant), attribute <c>keep_dims</c>. Negative axes count
/// from the end; no axes given reduces everything.
/// </summary>
internal abstract class ReductionOp : OpDef
{
    private static readonly OpAttr<bool> KeepDims = new("keep_dims");
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);

    /// <summary>Whether the reduction is defined for <paramref name="dtype"/>.</summary>
    protected virtual bool Accepts(DType dtype) => dtype.IsNumeric;

    /// <summary>Computes <paramref name="z"/> from <paramref name="x"/>, reducing the flagged axes.</summary>
    protected abstract void Compute(NDArray x, bool[] reduce, NDArray z);

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (!Accepts(dtype)) throw ctx.TypeError($"dtype {dtype.name} is not supported");
        if (!ctx.InputDType(1).is_integer) throw ctx.TypeError($"reduction_indices must be int32 or int64, got {ctx.InputDType(1).name}");
        var input = ctx.InputShape(0);
        var keepDims = KeepDims.Of(ctx);
        var axes = ctx.ConstantInput(1);
        if (!input.IsKnownRank || axes is null)
        {
            ctx.AddOutput(dtype, keepDims && input.IsKnownRank ? Shape.UnknownDims(input.ndims) : Shape.Unknown);
            return;
        }
        var flags = Flags(axes, input.ndims, message => ctx.Error(message));
        ctx.AddOutput(dtype, Shape.Own(OutputDims(input.AsSpan(), flags, keepDims)));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var keepDims = KeepDims.Of(op);
        ReductionPlan? last = null; // the previous run's plan: a training step reduces the same shapes each time
        return OpKernel.From(ctx =>
        {
            var (x, axes) = (ctx.Input(0), ctx.Input(1));
            var plan = last;
            if (plan is null || !plan.Matches(x.shape, axes))
                last = plan = new ReductionPlan(x.shape, AxesOf(axes), Flags(axes, x.ndim, ctx.InvalidArgumentOf), keepDims);
            var z = ctx.AllocateOutput(0, x.dtype, plan.Output);
            Compute(x, plan.Flags, z);
        });
    }

    /// <summary>
    /// The flags and output shape of one input shape and axes value, kept by the kernel between runs (immutable, so
    /// concurrent runs may share it).
    /// </summary>
    private sealed class ReductionPlan(Shape input, long[] axes, bool[] flags, bool keepDims)
    {
        public bool[] Flags { get; } = flags;

        public Shape Output { get; } = Shape.Own(OutputDims(input.AsSpan(), flags, keepDims));

        public bool Matches(Shape shape, NDArray value)
        {
            if (!shape.Equals(input) || value.size != axes.Length) return false;
            for (var i = 0; i < axes.Length; i++)
                if (AxisAt(value, i) != axes[i]) return false;
            return true;
        }
    }

    private static long AxisAt(NDArray axes, int i) => axes.dtype == DType.int32 ? axes.AsReadOnlySpan<int>()[i]
        : axes.dtype == DType.int64 ? axes.AsReadOnlySpan<long>()[i] : axes.ToArray<long>()[i];

    private static long[] AxesOf(NDArray axes) => axes.ToArray<long>();

    private static bool[] Flags(NDArray axes, int rank, Func<string, Exception> error)
    {
        if (axes.ndim > 1) throw error($"reduction_indices must be a scalar or a vector, got shape {axes.shape.ToListString()}");
        var flags = new bool[rank];
        foreach (var raw in axes.ToArray<long>())
        {
            if (raw < -rank || raw >= rank)
                throw error($"Invalid reduction dimension {raw} for input with {rank} dimensions.");
            flags[raw < 0 ? raw + rank : raw] = true;
        }
        return flags;
    }

    private static int[] OutputDims(ReadOnlySpan<int> input, bool[] flags, bool keepDims)
    {
        var dims = new List<int>(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (!flags[i]) dims.Add(input[i]);
            else if (keepDims) dims.Add(1);
        }
        return [.. dims];
    }

    /// <summary>
    /// Whether TensorFlow's OpDef has the type attribute <c>T</c> (the bool-only All and Any have none, and a GraphDef
    /// node with an attribute its OpDef lacks is refused by TensorFlow's importer).
    /// </summary>
    protected virtual bool HasTypeAttr => true;

    /// <summary>
    /// Builds the reduction: <paramref name="axis"/> null reduces every axis (a constant list when the rank is
    /// known, else <c>range(rank(x))</c> computed at run time).
    /// </summary>
    public Tensor Apply(TensorLike input, TensorLike? axis, bool keepDims, string? name, string defaultName)
    {
        using var b = OpBuilder.Begin(name, defaultName, input, axis ?? default);
        var x = b.Convert(input, "input");
        Tensor axes;
        if (axis is { } a) axes = b.Convert(a, "reduction_indices");
        else if (x.shape.IsKnownRank)
            axes = ArrayOps.Const.Create(b.Graph, NDArray.FromFlat(Enumerable.Range(0, x.shape.ndims).ToArray(), new Shape(x.shape.ndims)), "Const");
        else
            axes = ArrayOps.Range.Build(0, ArrayOps.Rank.Build(x), 1);
        return b.Create(this, [x, axes], HasTypeAttr
            ? new() { { T, x.dtype }, { Tidx, axes.dtype }, { KeepDims, keepDims } }
            : new() { { Tidx, axes.dtype }, { KeepDims, keepDims } }).outputs[0];
    }

    /// <summary>The reduced axes when they are constant and the input's rank is known, else null.</summary>
    internal static bool[]? StaticFlags(Operation op)
    {
        var (x, axes) = (op.inputs[0], op.inputs[1]);
        var value = axes.op.Def.ConstantValue(axes.op, axes.value_index);
        if (value is null || !x.shape.IsKnownRank) return null;
        return Flags(value, x.shape.ndims, m => new ValueError(m));
    }

    /// <summary>
    /// The input's shape with the reduced axes set to 1 (TensorFlow's <c>reduced_shape</c>): a constant when
    /// everything is known, otherwise computed at run time from <c>shape(x)</c> and the axes.
    /// </summary>
    internal static Tensor KeptShape(Operation op)
    {
        var (x, axes) = (op.inputs[0], op.inputs[1]);
        var graph = op.graph;
        if (StaticFlags(op) is { } flags)
        {
            if (x.shape.IsFullyDefined)
                return Shapes.Const(graph, x.shape.Dims.Select((d, i) => flags[i] ? 1 : d).ToArray(), "reduced_shape");
            var keep = Shapes.Const(graph, flags.Select(f => f ? 0 : 1).ToArray(), "keep");
            var ones = Shapes.Const(graph, flags.Select(f => f ? 1 : 0).ToArray(), "ones");
            return Add.Build(Mul.Build(ArrayOps.Shape_.Build(x), keep), ones);
        }
        var shape = ArrayOps.Shape_.Build(x);
        var rank = ArrayOps.Rank.Build(x);
        var normalized = FloorMod.Build(Add.Build(Cast.Build(ArrayOps.Reshape.Build(axes, new[] { -1 }), DType.int32), rank), rank);
        var reduced = Minimum.Build(Sum.Build(ArrayOps.OneHot.Build(normalized, rank, 1, 0), 0), 1);
        return Sub.Build(shape, Mul.Build(Sub.Build(shape, 1), reduced));
    }

    /// <summary>The gradient of the output spread back over the reduced axes: <c>broadcast_to(reshape(g, kept), shape(x))</c>.</summary>
    internal static Tensor SpreadGradient(Operation op, Tensor g) =>
        ArrayOps.BroadcastTo.Build(ArrayOps.Reshape.Build(g, KeptShape(op)), Shapes.Of(op.inputs[0]));

    /// <summary>
    /// The gradient of Max and Min: shared equally among the elements equal to the result
    /// (TensorFlow's <c>_MinOrMaxGrad</c>).
    /// </summary>
    internal static Tensor?[] MinOrMaxGradient(Operation op, Tensor g)
    {
        var x = op.inputs[0];
        var kept = KeptShape(op);
        var y = ArrayOps.Reshape.Build(op.outputs[0], kept);
        var gk = ArrayOps.Reshape.Build(g, kept);
        var indicators = Cast.Build(Equal.Build(y, x), g.dtype);
        var selected = ArrayOps.Reshape.Build(Sum.Build(indicators, op.inputs[1]), kept);
        return [Mul.Build(RealDiv.Build(indicators, selected), gk), null];
    }
}
