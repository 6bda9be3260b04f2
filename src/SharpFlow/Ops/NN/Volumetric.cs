using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// The attributes the 3-D ops share (<c>strides</c>, <c>dilations</c> or <c>ksize</c> of 5 entries, <c>padding</c>,
/// <c>data_format</c> NDHWC), their checks, the output shape and the run-time geometry.
/// </summary>
internal sealed record Volumetric(int[] Strides, int[] Dilations, string Padding, int[]? Ksize)
{
    public static Volumetric ForConv(int[] strides, string padding, int[]? dilations) => new(strides, dilations ?? [1, 1, 1, 1, 1], padding, null);

    public static Volumetric ForPool(int[] ksize, int[] strides, string padding) => new(strides, [1, 1, 1, 1, 1], padding, ksize);

    private static readonly OpAttr<int[]> StridesAttr = new("strides");
    private static readonly OpAttr<int[]> DilationsAttr = new("dilations", [1, 1, 1, 1, 1]);
    private static readonly OpAttr<string> PaddingAttr = new("padding");
    private static readonly OpAttr<int[]> KsizeAttr = new("ksize");
    private static readonly OpAttr<string> DataFormatAttr = new("data_format", "NDHWC");
    private static readonly OpAttr<DType> TAttr = new("T");

    public static Volumetric Of(Operation op) => Of(op.attrs, op.type, op.name, op.Def);

    public static Volumetric Of(InferenceContext ctx) => Of(ctx.Attrs, ctx.OpType, ctx.OpName, ctx.Def);

    private static Volumetric Of(IReadOnlyDictionary<string, object> attrs, string type, string node, OpDef? def) => new(
        StridesAttr.Of(attrs, type, node, def), DilationsAttr.Of(attrs, type, node, def), PaddingAttr.Of(attrs, type, node, def),
        KsizeAttr.TryGet(attrs, type, node, def, out var k) ? k : null);

    public Dictionary<string, object> ToAttrs(DType dtype)
    {
        var attrs = new Dictionary<string, object> { { TAttr, dtype }, { StridesAttr, Strides }, { PaddingAttr, Padding }, { DataFormatAttr, "NDHWC" } };
        if (Ksize is not null) attrs.Add(KsizeAttr, Ksize);
        else attrs.Add(DilationsAttr, Dilations);
        return attrs;
    }

    public void Validate(Func<string, Exception> error)
    {
        if (Padding is not ("SAME" or "VALID")) throw error($"padding must be \"SAME\" or \"VALID\", got \"{Padding}\"");
        Check("strides", Strides, error);
        Check("dilations", Dilations, error);
        if (Ksize is not null) Check("ksize", Ksize, error);
    }

    private static void Check(string name, int[] values, Func<string, Exception> error)
    {
        if (values.Length != 5) throw error($"{name} must have 5 entries [1, depth, height, width, 1], got {Format(values)}");
        if (values[0] != 1 || values[4] != 1)
            throw error($"{name} in the batch and channel dimensions must be 1 (NDHWC), got {Format(values)}");
        if (values[1] <= 0 || values[2] <= 0 || values[3] <= 0) throw error($"{name} must be positive, got {Format(values)}");
    }

    private static string Format(int[] v) => "[" + string.Join(", ", v) + "]";

    /// <summary>The window of a pooling op, or of a filter shape [kd, kh, kw, in, out] (-1 where unknown).</summary>
    public (int D, int H, int W) Window(Shape filter) => Ksize is not null
        ? (Ksize[1], Ksize[2], Ksize[3])
        : filter.IsKnownRank ? (filter[0], filter[1], filter[2]) : (-1, -1, -1);

    /// <summary>The static output shape <c>[N, outD, outH, outW, channels]</c>.</summary>
    public Shape OutputShape(Shape input, (int D, int H, int W) k, int channels, Func<string, Exception> error)
    {
        if (!input.IsKnownRank) return new Shape(-1, -1, -1, -1, channels);
        if (input.ndims != 5) throw error($"input must be 5-dimensional (NDHWC), got shape {input.ToListString()}");
        int Dim(int size, int kernel, int axis)
        {
            if (size < 0 || kernel < 0) return -1;
            var problem = Window2D.OutputSize(size, kernel, Strides[axis], Dilations[axis], Padding == "SAME", out var output, out _);
            return problem is null ? output : throw error(problem);
        }
        return new Shape(input[0], Dim(input[1], k.D, 1), Dim(input[2], k.H, 2), Dim(input[3], k.W, 3), channels);
    }

    /// <summary>The run-time geometry of an NDHWC input.</summary>
    public Volume Geometry(Shape input, (int D, int H, int W) k, Func<string, Exception> error)
    {
        if (input.ndims != 5) throw error($"input must be 5-dimensional (NDHWC), got shape {input.ToListString()}");
        try
        {
            return Volume.Create(input[0], input[1], input[2], input[3], input[4], k.D, k.H, k.W, Strides[1], Strides[2], Strides[3],
                Dilations[1], Dilations[2], Dilations[3], Padding == "SAME");
        }
        catch (ArgumentException e)
        {
            throw error(e.Message);
        }
    }

    public static Shape Output(Volume g, int channels) => new(g.Batch, g.OutDepth, g.OutHeight, g.OutWidth, channels);

    /// <summary>A shape given as an int32 vector input of 5 entries (input_sizes, filter_sizes, orig_input_shape).</summary>
    public static Shape ShapeInput(OpKernelContext ctx, int index, string name)
    {
        var v = ctx.Input(index);
        if (v.ndim != 1 || v.shape[0] != 5 || (v.dtype != DType.int32 && v.dtype != DType.int64))
            throw ctx.InvalidArgument($"{name} must be an int32 vector of 5 entries, got {v.dtype.name} {v.shape.ToListString()}");
        var dims = v.dtype == DType.int32 ? v.AsReadOnlySpan<int>().ToArray() : v.AsReadOnlySpan<long>().ToArray().Select(d => (int)d).ToArray();
        if (dims.Any(d => d < 0)) throw ctx.InvalidArgument($"{name} must not be negative, got [{string.Join(", ", dims)}]");
        return new Shape(dims);
    }

    /// <summary>Checks a 5-D filter against the input's channels at build time.</summary>
    public static void CheckFilter(InferenceContext ctx, Shape input, Shape filter)
    {
        if (filter.IsKnownRank && filter.ndims != 5)
            throw ctx.Error($"filter must be 5-dimensional [depth, height, width, in_channels, out_channels], got shape {filter.ToListString()}");
        if (input.IsKnownRank && input.ndims != 5) throw ctx.Error($"input must be 5-dimensional (NDHWC), got shape {input.ToListString()}");
        if (input.IsKnownRank && filter.IsKnownRank && input[4] >= 0 && filter[3] >= 0 && input[4] != filter[3])
            throw ctx.Error($"input depth must be evenly divisible by filter depth: input has {input[4]} channels, the filter {filter[3]}");
    }

    public static DType CheckFloat(InferenceContext ctx, params int[] indexes) => WindowAttrs.CheckFloat(ctx, indexes);
}
