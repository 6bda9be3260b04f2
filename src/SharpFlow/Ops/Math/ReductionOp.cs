using SharpFlow.Framework;


namespace SharpFlow.Ops.Math;

/// <summary>
/// The shared shape rule of reductions (Sum, Mean, Max, Min, Prod): input <c>input</c> and the axes to reduce
/// (<c>reduction_indices</c>, an int32 tensor, usually constant), attribute <c>keep_dims</c>. Negative axes count
/// from the end; no axes given reduces everything.
/// </summary>
internal abstract class ReductionOp : OpDef
{
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
        var keepDims = ctx.Attr<bool>("keep_dims");
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
        var keepDims = op.Attr<bool>("keep_dims");
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            var flags = Flags(ctx.Input(1), x.ndim, message => ctx.InvalidArgument(message));
            var z = ctx.AllocateOutput(0, x.dtype, Shape.Own(OutputDims(x.shape.AsSpan(), flags, keepDims)));
            Compute(x, flags, z);
        });
    }

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
            axes = Array.Const.Create(b.Graph, NDArray.FromFlat(Enumerable.Range(0, x.shape.ndims).ToArray(), new Shape(x.shape.ndims)), "Const");
        else
            axes = Array.Range.Build(0, Array.Rank.Build(x), 1);
        return b.Create(this, [x, axes], new() { ["T"] = x.dtype, ["Tidx"] = axes.dtype, ["keep_dims"] = keepDims }).outputs[0];
    }
}
