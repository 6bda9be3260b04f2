using SharpFlow.Framework;

namespace SharpFlow.Ops.NN;

/// <summary>
/// BiasAddGrad: the sum of <c>out_backprop</c> over every axis but the channel axis (BiasAdd's bias gradient): the
/// last for NHWC, axis 1 for NCHW at rank 3 or more.
/// </summary>
internal sealed class BiasAddGrad : OpDef
{
    public static readonly BiasAddGrad Def = new();
    internal static readonly OpAttr<DType> TAttr = new("T");
    internal static readonly OpAttr<string> DataFormat = new("data_format", "NHWC");

    public override string Type => "BiasAddGrad";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!d.is_floating) throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
        var s = ctx.InputShape(0);
        var nchw = BiasAdd.IsNchw(DataFormat.Of(ctx), e => ctx.Error(e));
        if (s.IsKnownRank && s.ndims < 2) throw ctx.Error($"out_backprop must be at least rank 2, got shape {s.ToListString()}");
        ctx.AddOutput(d, new Shape(s.IsKnownRank ? s[BiasAdd.ChannelAxis(s.ndims, nchw)] : -1));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var nchw = BiasAdd.IsNchw(DataFormat.Of(op), e => new InvalidArgumentError(e, op.name));
        return OpKernel.From(ctx =>
        {
            var g = ctx.Input(0);
            if (g.ndim < 2) throw ctx.InvalidArgument($"Input tensor must be at least 2D: {g.shape.ToListString()}");
            var planes = nchw && g.ndim >= 3;
            var c = g.shape[BiasAdd.ChannelAxis(g.ndim, nchw)];
            var y = ctx.AllocateOutput(0, g.dtype, new Shape(c));
            if (planes)
            {
                var plane = g.size == 0 ? 0 : (int)(g.size / (g.shape[0] * c));
                if (g.dtype == DType.float32) RunPlanes(g.AsReadOnlySpan<float>(), y.AsSpan<float>(), plane);
                else RunPlanes(g.AsReadOnlySpan<double>(), y.AsSpan<double>(), plane);
            }
            else if (g.dtype == DType.float32) Run(g.AsReadOnlySpan<float>(), y.AsSpan<float>());
            else Run(g.AsReadOnlySpan<double>(), y.AsSpan<double>());
        });
    }

    // Channels first: channel k sums the planes k, k + C, k + 2C, ... (each over its spatial size), batch by batch.
    private static void RunPlanes<T>(ReadOnlySpan<T> g, Span<T> y, int plane) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        y.Clear();
        if (plane == 0) return;
        for (var p = 0; p < g.Length / plane; p++) y[p % y.Length] += System.Numerics.Tensors.TensorPrimitives.Sum(g.Slice(p * plane, plane));
    }

    private static void Run<T>(ReadOnlySpan<T> g, Span<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Kernels.BiasGradient.Sum(g, y);

    /// <summary>The gradient is broadcast back over the rows (TensorFlow's <c>_BiasAddGradGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var input = op.inputs[0];
        var rank = input.shape.IsKnownRank ? input.shape.ndims : throw new ValueError($"BiasAddGrad \"{op.name}\": the second derivative needs the input's rank");
        var kept = Enumerable.Repeat(1, rank).ToArray();
        kept[BiasAdd.ChannelAxis(rank, BiasAdd.IsNchw(DataFormat.Of(op), e => new ValueError(e)))] = -1;
        return [ArrayOps.BroadcastTo.Build(ArrayOps.Reshape.Build(grads[0]!, Shapes.Const(op.graph, kept, "Shape")), Shapes.Of(input))];
    }

    /// <summary>Builds the op.</summary>
    public static Tensor Build(Tensor outBackprop, string? name = null, string dataFormat = "NHWC")
    {
        using var b = OpBuilder.Begin(name, "BiasAddGrad", outBackprop);
        var g = b.Convert(outBackprop, "out_backprop");
        return b.Create(Def, [g], new() { { TAttr, g.dtype }, { DataFormat, dataFormat } }).outputs[0];
    }
}
