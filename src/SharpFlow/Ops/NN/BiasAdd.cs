using System.Numerics.Tensors;
using SharpFlow.Framework;

namespace SharpFlow.Ops.NN;

/// <summary>
/// BiasAdd: adds a bias vector along the channel axis of <c>value</c>, as <c>tf.nn.bias_add</c>: the last axis for
/// <c>data_format</c> NHWC, axis 1 for NCHW (TensorFlow's <c>GetBiasValueDims</c>; a rank-2 value has its channels
/// last in both).
/// </summary>
internal sealed class BiasAdd : OpDef
{
    public static readonly BiasAdd Def = new();
    internal static readonly OpAttr<DType> TAttr = new("T");
    internal static readonly OpAttr<string> DataFormat = new("data_format", "NHWC");

    public override string Type => "BiasAdd";

    public override void InferShapes(InferenceContext ctx)
    {
        var (dv, db) = (ctx.InputDType(0), ctx.InputDType(1));
        if (dv != db) throw ctx.TypeError($"value and bias have different dtypes: {dv.name} and {db.name}");
        if (!dv.is_floating) throw ctx.TypeError($"dtype {dv.name} is not supported (float32 or float64)");
        var (value, bias) = (ctx.InputShape(0), ctx.InputShape(1));
        var nchw = IsNchw(DataFormat.Of(ctx), e => ctx.Error(e));
        if (value.IsKnownRank && value.ndims < 2) throw ctx.Error($"value must be at least rank 2, got shape {value.ToListString()}");
        if (bias.IsKnownRank && bias.ndims != 1) throw ctx.Error($"bias must be a vector, got shape {bias.ToListString()}");
        if (value.IsKnownRank && bias.IsKnownRank && value[ChannelAxis(value.ndims, nchw)] is var c && c >= 0 && bias[0] >= 0 && c != bias[0])
            throw ctx.Error($"Dimensions must be equal, but are {c} and {bias[0]}: value {value.ToListString()}, bias {bias.ToListString()}");
        ctx.AddOutput(dv, value);
    }

    /// <summary>Whether <paramref name="format"/> is NCHW; a format other than NHWC and NCHW is refused.</summary>
    internal static bool IsNchw(string format, Func<string, Exception> error) => format switch
    {
        "NHWC" => false,
        "NCHW" => true,
        _ => throw error($"Invalid data format: {format}"),
    };

    /// <summary>The channel axis of a rank-<paramref name="rank"/> value.</summary>
    internal static int ChannelAxis(int rank, bool nchw) => nchw && rank >= 3 ? 1 : rank - 1;

    public override OpKernel CreateKernel(Operation op)
    {
        var nchw = IsNchw(DataFormat.Of(op), e => new InvalidArgumentError(e, op.name));
        return OpKernel.From(ctx => Compute(ctx, nchw));
    }

    private static void Compute(OpKernelContext ctx, bool nchw)
    {
        var (value, bias) = (ctx.Input(0), ctx.Input(1));
        if (value.ndim < 2 || bias.ndim != 1 || bias.shape[0] != value.shape[ChannelAxis(value.ndim, nchw)])
            throw ctx.InvalidArgument($"Must provide as many biases as the {(nchw && value.ndim >= 3 ? "channel" : "last")} dimension of the input tensor: {bias.shape.ToListString()} vs. {value.shape.ToListString()}");
        var y = ctx.AllocateUninitializedOutput(0, value.dtype, value.shape);
        if (nchw && value.ndim >= 3)
        {
            // Channels first: each (batch, channel) plane of the spatial size gets its channel's bias.
            var plane = (int)(value.size / (value.shape[0] * value.shape[1]));
            if (value.dtype == DType.float32) RunPlanes(value.AsReadOnlySpan<float>(), bias.AsReadOnlySpan<float>(), y.AsSpan<float>(), plane);
            else if (value.dtype == DType.float16) RunPlanes(value.AsReadOnlySpan<Half>(), bias.AsReadOnlySpan<Half>(), y.AsSpan<Half>(), plane);
            else RunPlanes(value.AsReadOnlySpan<double>(), bias.AsReadOnlySpan<double>(), y.AsSpan<double>(), plane);
            return;
        }
        if (value.dtype == DType.float32) Run(value.AsReadOnlySpan<float>(), bias.AsReadOnlySpan<float>(), y.AsSpan<float>());
        // float16: Half's sum is the float32 sum rounded to half once, as the element-wise Add.
        else if (value.dtype == DType.float16) Run(value.AsReadOnlySpan<Half>(), bias.AsReadOnlySpan<Half>(), y.AsSpan<Half>());
        else Run(value.AsReadOnlySpan<double>(), bias.AsReadOnlySpan<double>(), y.AsSpan<double>());
    }

    private static void RunPlanes<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> b, Span<T> y, int plane) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (plane == 0) return;
        for (var p = 0; p < x.Length / plane; p++)
            TensorPrimitives.Add(x.Slice(p * plane, plane), b[p % b.Length], y.Slice(p * plane, plane));
    }

    private static unsafe void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var c = b.Length;
        if (c == 0 || x.Length == 0) return;
        // Few channels make short rows: add a block of whole rows (the bias repeated) at a time instead.
        var rowsPerBlock = System.Math.Max(1, 2048 / c);
        var block = rowsPerBlock * c;
        var pattern = System.Buffers.ArrayPool<T>.Shared.Rent(block);
        for (var r = 0; r < rowsPerBlock; r++) b.CopyTo(pattern.AsSpan(r * c));
        var blocks = (x.Length + block - 1) / block;
        fixed (T* px = x)
        fixed (T* py = y)
        {
            Kernels.Partition.For(blocks, block, (X: (nint)px, Y: (nint)py, N: x.Length, Pattern: pattern, Block: block), static (in (nint X, nint Y, int N, T[] Pattern, int Block) p, int s, int e) =>
            {
                for (var i = s; i < e; i++)
                {
                    var start = i * p.Block;
                    var length = System.Math.Min(p.Block, p.N - start);
                    TensorPrimitives.Add(new ReadOnlySpan<T>((T*)p.X + start, length), p.Pattern.AsSpan(0, length), new Span<T>((T*)p.Y + start, length));
                }
            });
        }
        System.Buffers.ArrayPool<T>.Shared.Return(pattern);
    }

    /// <summary>The value receives the gradient; the bias its sum over all but the channel axis.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [grads[0], BiasAddGrad.Build(grads[0]!, dataFormat: DataFormat.Of(op))];

    /// <summary><c>tf.nn.bias_add(value, bias, data_format)</c>.</summary>
    public static Tensor Build(TensorLike value, TensorLike bias, string? name = null, string dataFormat = "NHWC")
    {
        using var b = OpBuilder.Begin(name, "BiasAdd", value, bias);
        var inputs = b.SameType("BiasAdd", [value, bias], ["value", "bias"]);
        return b.Create(Def, inputs, new() { { TAttr, inputs[0].dtype }, { DataFormat, dataFormat } }).outputs[0];
    }
}
