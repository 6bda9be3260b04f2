using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// The window attributes that convolutions and pooling share (<c>ksize</c>, <c>strides</c>, <c>dilations</c>,
/// <c>padding</c>, <c>data_format</c>, <c>explicit_paddings</c>), their checks, and the output shape they give (the
/// seed's §35; TensorFlow's GetWindowedOutputSize in tensorflow/core/framework/kernel_shape_util.cc). Convolutions
/// take TensorFlow's <c>padding="EXPLICIT"</c> with <c>explicit_paddings = [0, 0, top, bottom, left, right, 0, 0]</c>
/// (NHWC); MaxPool has no EXPLICIT padding in TensorFlow, but the graph optimizer's Pad folding gives its MaxPool
/// nodes <c>padding="EXPLICIT"</c> with the internal attribute <c>_explicit_paddings</c> (the same layout; the padded
/// cells count as minus infinity). Users' MaxPool ops are refused EXPLICIT as TensorFlow refuses them.
/// </summary>
internal sealed record WindowAttrs(int[] Strides, int[] Dilations, string Padding, int[]? Ksize, int[]? ExplicitPaddings = null)
{
    public bool Same => Padding == "SAME";

    /// <summary>Whether the padding is given by <see cref="ExplicitPaddings"/>.</summary>
    public bool Explicit => Padding == "EXPLICIT";

    /// <summary>The attributes of a convolution op.</summary>
    public static WindowAttrs ForConv(int[] strides, string padding, int[]? dilations, int[]? explicitPaddings = null) =>
        new(strides, dilations ?? [1, 1, 1, 1], padding, null, explicitPaddings is { Length: > 0 } ? explicitPaddings : null);

    /// <summary>The attributes of a pooling op.</summary>
    public static WindowAttrs ForPool(int[] ksize, int[] strides, string padding) => new(strides, [1, 1, 1, 1], padding, ksize);

    /// <summary>The window attributes, declared once for every convolution and pooling op.</summary>
    internal static readonly OpAttr<int[]> StridesAttr = new("strides");
    internal static readonly OpAttr<int[]> DilationsAttr = new("dilations", [1, 1, 1, 1]);
    internal static readonly OpAttr<string> PaddingAttr = new("padding");
    internal static readonly OpAttr<int[]> KsizeAttr = new("ksize");
    internal static readonly OpAttr<string> DataFormatAttr = new("data_format", "NHWC");
    internal static readonly OpAttr<int[]> ExplicitPaddingsAttr = new("explicit_paddings", []);
    internal static readonly OpAttr<int[]> InternalExplicitPaddingsAttr = new("_explicit_paddings", []);
    internal static readonly OpAttr<DType> TAttr = new("T");
    internal static readonly OpAttr<bool> UseCudnnOnGpuAttr = new("use_cudnn_on_gpu", true);

    /// <summary>Reads them back from an op's attributes.</summary>
    public static WindowAttrs Of(Operation op) => Of(op.attrs, op.type, op.name, op.Def);

    /// <summary>
    /// The attributes of <paramref name="op"/>, read once per op and kept while the op lives: kernels ask for them at
    /// every call, and an op's attributes never change after it is created.
    /// </summary>
    public static WindowAttrs Cached(Operation op) => ByOp.GetValue(op, static o => Of(o));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Operation, WindowAttrs> ByOp = new();

    /// <summary>Reads them from the attributes of the op a shape rule is building.</summary>
    public static WindowAttrs Of(InferenceContext ctx) => Of(ctx.Attrs, ctx.OpType, ctx.OpName, ctx.Def);

    private static WindowAttrs Of(IReadOnlyDictionary<string, object> attrs, string type, string node, OpDef? def) => new(
        StridesAttr.Of(attrs, type, node, def), DilationsAttr.Of(attrs, type, node, def), PaddingAttr.Of(attrs, type, node, def),
        KsizeAttr.TryGet(attrs, type, node, def, out var k) ? k : null,
        NonEmpty(ExplicitPaddingsAttr.Of(attrs, type, node, def)) ?? NonEmpty(InternalExplicitPaddingsAttr.Of(attrs, type, node, def)));

    private static int[]? NonEmpty(int[] values) => values.Length > 0 ? values : null;

    /// <summary>The op's attribute map: T, strides, padding, data_format and ksize or dilations.</summary>
    public Dictionary<string, object> ToAttrs(DType dtype)
    {
        var attrs = new Dictionary<string, object> { { TAttr, dtype }, { StridesAttr, Strides }, { PaddingAttr, Padding }, { DataFormatAttr, "NHWC" } };
        if (Ksize is not null) attrs.Add(KsizeAttr, Ksize);
        else
        {
            attrs.Add(DilationsAttr, Dilations);
            attrs.Add(UseCudnnOnGpuAttr, true);
        }
        if (ExplicitPaddings is not null) attrs.Add(Ksize is null ? ExplicitPaddingsAttr : InternalExplicitPaddingsAttr, ExplicitPaddings);
        return attrs;
    }

    /// <summary>Checks the attributes as TensorFlow's shape functions do; the message names the op.</summary>
    public void Validate(Func<string, Exception> error)
    {
        if (Ksize is null && Padding is not ("SAME" or "VALID" or "EXPLICIT"))
            throw error($"padding must be \"SAME\" or \"VALID\" (or \"EXPLICIT\" with explicit_paddings), got \"{Padding}\"");
        if (Ksize is not null && Padding is not ("SAME" or "VALID")) throw error($"padding must be \"SAME\" or \"VALID\", got \"{Padding}\"");
        CheckExplicit(error);
        Check("strides", Strides, error);
        Check("dilations", Dilations, error);
        if (Ksize is not null) Check("ksize", Ksize, error);
        if (Ksize is null && (Dilations[1] > 1 || Dilations[2] > 1) && (Strides[1] > 1 || Strides[2] > 1))
            throw error($"strides > 1 together with dilations > 1 are not supported (strides {Format(Strides)}, dilations {Format(Dilations)})");
    }

    /// <summary>TensorFlow's CheckValidPadding (tensorflow/core/util/padding.cc) for NHWC.</summary>
    private void CheckExplicit(Func<string, Exception> error)
    {
        if (!Explicit)
        {
            if (ExplicitPaddings is { Length: > 0 }) throw error("explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT");
            return;
        }
        var p = ExplicitPaddings ?? [];
        if (p.Length != 8) throw error($"explicit_paddings attribute must contain 8 values, but got: {p.Length}");
        if (p.Any(v => v < 0)) throw error("All elements of explicit_paddings must be nonnegative");
        if (p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0) throw error("Nonzero explicit padding in the batch or depth dimensions is not supported");
    }

    /// <summary>The explicit padding (top, bottom, left, right), zeros unless EXPLICIT.</summary>
    public (int Top, int Bottom, int Left, int Right) Pads =>
        Explicit && ExplicitPaddings is { Length: 8 } p ? (p[2], p[3], p[4], p[5]) : (0, 0, 0, 0);

    private static void Check(string name, int[] values, Func<string, Exception> error)
    {
        if (values.Length != 4) throw error($"{name} must have 4 entries [1, height, width, 1], got {Format(values)}");
        if (values[0] != 1 || values[3] != 1)
            throw error($"{name} in the batch and depth dimensions must be 1 (NHWC), got {Format(values)}");
        if (values[1] <= 0 || values[2] <= 0) throw error($"{name} must be positive, got {Format(values)}");
    }

    private static string Format(int[] v) => "[" + string.Join(", ", v) + "]";

    /// <summary>
    /// The static output shape <c>[N, outH, outW, channels]</c> for an input of static shape <paramref name="input"/>
    /// and a window of <paramref name="kh"/>×<paramref name="kw"/> (-1 where unknown).
    /// </summary>
    public Shape OutputShape(Shape input, int kh, int kw, int channels, Func<string, Exception> error)
    {
        if (!input.IsKnownRank) return new Shape(-1, -1, -1, channels);
        if (input.ndims != 4) throw error($"input must be 4-dimensional (NHWC), got shape {input.ToListString()}");
        var (top, bottom, left, right) = Pads;
        return new Shape(input[0], Dim(input[1], kh, 1, top + bottom, error), Dim(input[2], kw, 2, left + right, error), channels);
    }

    private int Dim(int size, int kernel, int axis, int padding, Func<string, Exception> error)
    {
        if (size < 0 || kernel < 0) return -1;
        var problem = Window2D.OutputSize((long)size + padding, kernel, Strides[axis], Dilations[axis], Same, out var output, out _);
        return problem is null ? output : throw error(problem);
    }

    /// <summary>The run-time geometry for an input of shape <paramref name="input"/> (NHWC) and a kh×kw window.</summary>
    public Window2D Geometry(Shape input, int kh, int kw, Func<string, Exception> error)
    {
        if (input.ndims != 4) throw error($"input must be 4-dimensional (NHWC), got shape {input.ToListString()}");
        try
        {
            if (Explicit)
            {
                if (ExplicitPaddings is not { Length: 8 }) throw error($"explicit_paddings attribute must contain 8 values, but got: {ExplicitPaddings?.Length ?? 0}");
                var (top, bottom, left, right) = Pads;
                return Window2D.CreateExplicit(input[0], input[1], input[2], input[3], kh, kw, Strides[1], Strides[2], Dilations[1], Dilations[2], top, bottom, left, right);
            }
            return Window2D.Create(input[0], input[1], input[2], input[3], kh, kw, Strides[1], Strides[2], Dilations[1], Dilations[2], Same);
        }
        catch (ArgumentException e)
        {
            throw error(e.Message);
        }
    }

    /// <summary>The window size of a pooling op, or of a filter shape [kh, kw, in, out].</summary>
    public (int Height, int Width) Window(Shape filter) => Ksize is not null
        ? (Ksize[1], Ksize[2])
        : filter.IsKnownRank ? (filter[0], filter[1]) : (-1, -1);

    /// <summary>The inputs at <paramref name="indexes"/> are float32 or float64 and of one dtype; returns it.</summary>
    public static DType CheckFloat(InferenceContext ctx, params int[] indexes)
    {
        var d = ctx.InputDType(indexes[0]);
        foreach (var i in indexes)
            if (ctx.InputDType(i) != d) throw ctx.TypeError($"inputs have different dtypes: {d.name} and {ctx.InputDType(i).name}");
        if (!d.is_floating) throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
        return d;
    }

    /// <summary>A shape given as an int32 vector input of 4 entries (input_sizes, filter_sizes, orig_input_shape), checked.</summary>
    public static Shape ShapeInput(OpKernelContext ctx, int index, string name)
    {
        var v = ctx.Input(index);
        if (v.ndim != 1 || v.shape[0] != 4 || v.dtype != DType.int32)
            throw ctx.InvalidArgument($"{name} must be an int32 vector of 4 entries, got {v.dtype.name} {v.shape.ToListString()}");
        var dims = v.AsReadOnlySpan<int>();
        foreach (var d in dims)
            if (d < 0) throw ctx.InvalidArgument($"{name} must not be negative, got [{string.Join(", ", dims.ToArray())}]");
        return Shape.Interned(dims);
    }

    /// <summary>
    /// Checks a run-time gradient of the output against the shape the forward op gives (a wrong
    /// <c>out_backprop</c> fed to a backprop op).
    /// </summary>
    public static void CheckOutput(Shape expected, Shape actual, OpKernelContext ctx, string what)
    {
        if (expected != actual)
            throw ctx.InvalidArgument($"{what} has shape {actual.ToListString()}, but the forward op's output has shape {expected.ToListString()}");
    }
}
