using SharpFlow.Framework;
using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// What distinguishes the two convolution families, Conv2D and DepthwiseConv2dNative: how many output channels a
/// filter gives, which kernels compute them, and which op types make up the family. The three op bases below hold
/// everything else (shape rules, run-time checks, gradient rules), so each op file only names its family.
/// </summary>
internal sealed class ConvolutionFamily
{
    private readonly bool _depthwise;

    private ConvolutionFamily(bool depthwise) => _depthwise = depthwise;

    public static readonly ConvolutionFamily Standard = new(false);
    public static readonly ConvolutionFamily Depthwise = new(true);

    /// <summary>Output channels of a filter [kh, kw, in, out or multiplier]; -1 when unknown.</summary>
    public int OutChannels(Shape filter)
    {
        if (!filter.IsKnownRank || filter.ndims != 4 || filter[3] < 0) return -1;
        if (!_depthwise) return filter[3];
        return filter[2] < 0 ? -1 : filter[2] * filter[3];
    }

    public ConvolutionOp Forward => _depthwise ? DepthwiseConv2dNative.Def : Conv2D.Def;
    public ConvBackpropInputOp BackpropInput => _depthwise ? DepthwiseConv2dNativeBackpropInput.Def : Conv2DBackpropInput.Def;
    public ConvBackpropFilterOp BackpropFilter => _depthwise ? DepthwiseConv2dNativeBackpropFilter.Def : Conv2DBackpropFilter.Def;

    /// <summary>The op attributes: TensorFlow gives depthwise convolutions no <c>use_cudnn_on_gpu</c>.</summary>
    public Dictionary<string, object> Attrs(WindowAttrs attrs, DType dtype)
    {
        var a = attrs.ToAttrs(dtype);
        if (_depthwise) a.Remove("use_cudnn_on_gpu");
        return a;
    }

    // A 1×1 stride-1 convolution padded only at the bottom or right (EXPLICIT): the kernels take an unpadded 1×1
    // window's input as its patch matrix, so the input is padded first and the window runs over it unpadded.
    private static Window2D Unpadded(in Window2D g) => g with { InHeight = g.OutHeight, InWidth = g.OutWidth };

    private static NDArray PaddedAfter(NDArray x, in Window2D g)
    {
        var xp = NDArray.Zeros(x.dtype, new Shape(g.Batch, g.OutHeight, g.OutWidth, g.Channels));
        if (x.dtype == DType.float32) Im2Col.PadAfter(x.AsReadOnlySpan<float>(), xp.AsSpan<float>(), g);
        else Im2Col.PadAfter(x.AsReadOnlySpan<double>(), xp.AsSpan<double>(), g);
        return xp;
    }

    /// <summary>The forward convolution; <paramref name="prepacked"/>: a constant filter's packed forms (<see cref="ConstantOperand"/>).</summary>
    public void RunForward(NDArray x, NDArray f, NDArray y, Window2D g, PrepackedFilter? prepacked = null)
    {
        if (g.PointwisePaddedAfter)
        {
            RunForward(PaddedAfter(x, g), f, y, Unpadded(g), prepacked);
            return;
        }
        var m = f.shape[3];
        if (x.dtype == DType.float32)
        {
            if (_depthwise) DepthwiseConv2DKernels.Forward(x.AsReadOnlySpan<float>(), f.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, m);
            else Conv2DKernels.Forward(x.AsReadOnlySpan<float>(), f.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, m, default, prepacked);
        }
        else if (_depthwise) DepthwiseConv2DKernels.Forward(x.AsReadOnlySpan<double>(), f.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, m);
        else Conv2DKernels.Forward(x.AsReadOnlySpan<double>(), f.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, m);
    }

    public void RunBackpropInput(NDArray f, NDArray dy, NDArray dx, Window2D g)
    {
        if (g.PointwisePaddedAfter)
        {
            var dxp = NDArray.Zeros(dx.dtype, new Shape(g.Batch, g.OutHeight, g.OutWidth, g.Channels));
            RunBackpropInput(f, dy, dxp, Unpadded(g));
            if (dx.dtype == DType.float32) Im2Col.CropAfter(dxp.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g);
            else Im2Col.CropAfter(dxp.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g);
            return;
        }
        var m = f.shape[3];
        if (dy.dtype == DType.float32)
        {
            if (_depthwise) DepthwiseConv2DKernels.BackpropInput(f.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g, m);
            else Conv2DKernels.BackpropInput(f.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g, m);
        }
        else if (_depthwise) DepthwiseConv2DKernels.BackpropInput(f.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g, m);
        else Conv2DKernels.BackpropInput(f.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g, m);
    }

    public void RunBackpropFilter(NDArray x, NDArray dy, NDArray df, Window2D g, int m)
    {
        if (g.PointwisePaddedAfter)
        {
            RunBackpropFilter(PaddedAfter(x, g), dy, df, Unpadded(g), m);
            return;
        }
        if (dy.dtype == DType.float32)
        {
            if (_depthwise) DepthwiseConv2DKernels.BackpropFilter(x.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), df.AsSpan<float>(), g, m);
            else Conv2DKernels.BackpropFilter(x.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), df.AsSpan<float>(), g, m);
        }
        else if (_depthwise) DepthwiseConv2DKernels.BackpropFilter(x.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), df.AsSpan<double>(), g, m);
        else Conv2DKernels.BackpropFilter(x.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), df.AsSpan<double>(), g, m);
    }

    /// <summary>
    /// At build time, the output gradient a backprop op receives must fit the forward convolution of
    /// <paramref name="input"/> with <paramref name="filter"/> (a wrong <c>output_shape</c> of
    /// <c>conv2d_transpose</c> is caught here).
    /// </summary>
    public void CheckOutBackprop(InferenceContext ctx, Shape input, Shape filter, Shape outBackprop)
    {
        if (!input.IsKnownRank || input.ndims != 4) return;
        var attrs = WindowAttrs.Of(ctx);
        var (kh, kw) = attrs.Window(filter);
        var expected = attrs.OutputShape(input, kh, kw, OutChannels(filter), m => ctx.Error(m));
        if (!expected.IsCompatibleWith(outBackprop))
            throw ctx.Error($"out_backprop has shape {outBackprop.ToListString()}, but the convolution of an input of shape {input.ToListString()} with a filter of shape {filter.ToListString()} gives {expected.ToListString()}");
    }

    /// <summary>The filter is [kh, kw, in_channels, out] and its in_channels match the input's depth.</summary>
    public static void CheckFilter(InferenceContext ctx, Shape input, Shape filter, string filterName)
    {
        if (filter.IsKnownRank && filter.ndims != 4)
            throw ctx.Error($"{filterName} must be 4-dimensional [height, width, in_channels, out_channels], got shape {filter.ToListString()}");
        if (input.IsKnownRank && input.ndims != 4) throw ctx.Error($"input must be 4-dimensional (NHWC), got shape {input.ToListString()}");
        if (input.IsKnownRank && filter.IsKnownRank && input[3] >= 0 && filter[2] >= 0 && input[3] != filter[2])
            throw ctx.Error($"input depth must equal the {filterName}'s in_channels, but are {input[3]} and {filter[2]}: input {input.ToListString()}, {filterName} {filter.ToListString()}");
    }

    /// <summary>The run-time geometry from an input and a filter shape, with TensorFlow's checks.</summary>
    public static Window2D Geometry(OpKernelContext ctx, Shape input, Shape filter)
    {
        var attrs = WindowAttrs.Cached(ctx.op);
        if (filter.ndims != 4) throw ctx.InvalidArgument($"filter must be 4-dimensional: {filter.ToListString()}");
        if (input.ndims != 4) throw ctx.InvalidArgument($"input must be 4-dimensional: {input.ToListString()}");
        if (input[3] != filter[2])
            throw ctx.InvalidArgument($"input and filter must have the same depth: {input[3]} vs {filter[2]}");
        return attrs.Geometry(input, filter[0], filter[1], ctx.InvalidArgumentOf);
    }
}

/// <summary>The forward convolution (input, filter) → output: shape rule, kernel and gradient rule of a family.</summary>
internal abstract class ConvolutionOp : OpDef
{
    protected abstract ConvolutionFamily Family { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = WindowAttrs.CheckFloat(ctx, 0, 1);
        var attrs = WindowAttrs.Of(ctx);
        attrs.Validate(m => ctx.Error(m));
        var (input, filter) = (ctx.InputShape(0), ctx.InputShape(1));
        ConvolutionFamily.CheckFilter(ctx, input, filter, "filter");
        var (kh, kw) = attrs.Window(filter);
        ctx.AddOutput(dtype, attrs.OutputShape(input, kh, kw, Family.OutChannels(filter), m => ctx.Error(m)));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        // A constant filter (a frozen model's) is packed once for the session's runs; the depthwise kernels read the
        // filter as it is and pack nothing.
        var constant = Family == ConvolutionFamily.Standard ? new ConstantOperand() : null;
        return OpKernel.From(ctx =>
        {
            var (x, f) = (ctx.Input(0), ctx.Input(1));
            var g = ConvolutionFamily.Geometry(ctx, x.shape, f.shape);
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, Shape.Interned([g.Batch, g.OutHeight, g.OutWidth, Family.OutChannels(f.shape)]));
            // float16: the float32 convolution of the widened inputs, rounded to half once (Framework/Dispatch/HalfPrecision).
            if (x.dtype == DType.float16) HalfPrecision.ViaFloat32(x, f, y, (x32, f32, y32) => Family.RunForward(x32, f32, y32, g));
            else Family.RunForward(x, f, y, g, constant?.Filter(f));
        });
    }

    /// <summary>TensorFlow's <c>_Conv2DGrad</c>: the two backprop ops with the same window attributes.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (input, filter, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var attrs = WindowAttrs.Of(op);
        return [Family.BackpropInput.Build(Shapes.Of(input), filter, g, attrs), Family.BackpropFilter.Build(input, Shapes.Of(filter), g, attrs)];
    }

    internal Tensor Build(TensorLike input, TensorLike filter, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, Type, input, filter);
        var inputs = b.SameType(Type, [input, filter], ["input", "filter"]);
        return b.Create(this, inputs, Family.Attrs(attrs, inputs[0].dtype)).outputs[0];
    }
}

/// <summary>
/// The gradient with respect to the input (input_sizes, filter, out_backprop) → input-shaped: linear in the
/// filter and in out_backprop, so its own gradients are the other two ops of the family.
/// </summary>
internal abstract class ConvBackpropInputOp : OpDef
{
    protected abstract ConvolutionFamily Family { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = WindowAttrs.CheckFloat(ctx, 1, 2);
        WindowAttrs.Of(ctx).Validate(m => ctx.Error(m));
        var sizes = ctx.ShapeFromInput(0);
        if (sizes.IsKnownRank && sizes.ndims != 4) throw ctx.Error($"input_sizes must have 4 entries (NHWC), got {sizes.ToListString()}");
        ConvolutionFamily.CheckFilter(ctx, sizes, ctx.InputShape(1), "filter");
        Family.CheckOutBackprop(ctx, sizes, ctx.InputShape(1), ctx.InputShape(2));
        ctx.AddOutput(dtype, sizes.IsKnownRank ? sizes : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var inputShape = WindowAttrs.ShapeInput(ctx, 0, "input_sizes");
        var (f, dy) = (ctx.Input(1), ctx.Input(2));
        var g = ConvolutionFamily.Geometry(ctx, inputShape, f.shape);
        WindowAttrs.CheckOutput(Shape.Interned([g.Batch, g.OutHeight, g.OutWidth, Family.OutChannels(f.shape)]), dy.shape, ctx, "out_backprop");
        Family.RunBackpropInput(f, dy, ctx.AllocateUninitializedOutput(0, dy.dtype, inputShape), g);
    });

    /// <summary>TensorFlow's <c>_Conv2DBackpropInputGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (filter, dy, g) = (op.inputs[1], op.inputs[2], grads[0]!);
        var attrs = WindowAttrs.Of(op);
        return [null, Family.BackpropFilter.Build(g, Shapes.Of(filter), dy, attrs), Family.Forward.Build(g, filter, attrs)];
    }

    internal Tensor Build(Tensor inputSizes, TensorLike filter, TensorLike outBackprop, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, Type, inputSizes, filter, outBackprop);
        var inputs = b.SameType(Type, [filter, outBackprop], ["filter", "out_backprop"]);
        return b.Create(this, [b.Convert(inputSizes, "input_sizes"), inputs[0], inputs[1]], Family.Attrs(attrs, inputs[0].dtype)).outputs[0];
    }
}

/// <summary>
/// The gradient with respect to the filter (input, filter_sizes, out_backprop) → filter-shaped: linear in the
/// input and in out_backprop.
/// </summary>
internal abstract class ConvBackpropFilterOp : OpDef
{
    protected abstract ConvolutionFamily Family { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = WindowAttrs.CheckFloat(ctx, 0, 2);
        WindowAttrs.Of(ctx).Validate(m => ctx.Error(m));
        var sizes = ctx.ShapeFromInput(1);
        ConvolutionFamily.CheckFilter(ctx, ctx.InputShape(0), sizes, "filter_sizes");
        Family.CheckOutBackprop(ctx, ctx.InputShape(0), sizes, ctx.InputShape(2));
        ctx.AddOutput(dtype, sizes.IsKnownRank ? sizes : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var filterShape = WindowAttrs.ShapeInput(ctx, 1, "filter_sizes");
        var (x, dy) = (ctx.Input(0), ctx.Input(2));
        var g = ConvolutionFamily.Geometry(ctx, x.shape, filterShape);
        WindowAttrs.CheckOutput(Shape.Interned([g.Batch, g.OutHeight, g.OutWidth, Family.OutChannels(filterShape)]), dy.shape, ctx, "out_backprop");
        Family.RunBackpropFilter(x, dy, ctx.AllocateUninitializedOutput(0, dy.dtype, filterShape), g, filterShape[3]);
    });

    /// <summary>TensorFlow's <c>_Conv2DBackpropFilterGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (input, dy, g) = (op.inputs[0], op.inputs[2], grads[0]!);
        var attrs = WindowAttrs.Of(op);
        return [Family.BackpropInput.Build(Shapes.Of(input), g, dy, attrs), null, Family.Forward.Build(input, g, attrs)];
    }

    internal Tensor Build(TensorLike input, Tensor filterSizes, TensorLike outBackprop, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, Type, input, filterSizes, outBackprop);
        var inputs = b.SameType(Type, [input, outBackprop], ["input", "out_backprop"]);
        return b.Create(this, [inputs[0], b.Convert(filterSizes, "filter_sizes"), inputs[1]], Family.Attrs(attrs, inputs[0].dtype)).outputs[0];
    }
}
