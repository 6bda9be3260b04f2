using System.Numerics.Tensors;
using SharpFlow.Framework;

namespace SharpFlow.Ops.NN;

/// <summary>BiasAdd: adds a bias vector along the last axis of <c>value</c> (NHWC), as <c>tf.nn.bias_add</c>.</summary>
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
        if (value.IsKnownRank && value.ndims < 2) throw ctx.Error($"value must be at least rank 2, got shape {value.ToListString()}");
        if (bias.IsKnownRank && bias.ndims != 1) throw ctx.Error($"bias must be a vector, got shape {bias.ToListString()}");
        if (value.IsKnownRank && bias.IsKnownRank && value[value.ndims - 1] >= 0 && bias[0] >= 0 && value[value.ndims - 1] != bias[0])
            throw ctx.Error($"Dimensions must be equal, but are {value[value.ndims - 1]} and {bias[0]}: value {value.ToListString()}, bias {bias.ToListString()}");
        ctx.AddOutput(dv, value);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (value, bias) = (ctx.Input(0), ctx.Input(1));
        if (value.ndim < 2 || bias.ndim != 1 || bias.shape[0] != value.shape[value.ndim - 1])
            throw ctx.InvalidArgument($"Must provide as many biases as the last dimension of the input tensor: {bias.shape.ToListString()} vs. {value.shape.ToListString()}");
        var y = ctx.AllocateUninitializedOutput(0, value.dtype, value.shape);
        if (value.dtype == DType.float32) Run(value.AsReadOnlySpan<float>(), bias.AsReadOnlySpan<float>(), y.AsSpan<float>());
        // float16: Half's sum is the float32 sum rounded to half once, as the element-wise Add.
        else if (value.dtype == DType.float16) Run(value.AsReadOnlySpan<Half>(), bias.AsReadOnlySpan<Half>(), y.AsSpan<Half>());
        else Run(value.AsReadOnlySpan<double>(), bias.AsReadOnlySpan<double>(), y.AsSpan<double>());
    });

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

    /// <summary>The value receives the gradient; the bias its sum over all but the last axis.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [grads[0], BiasAddGrad.Build(grads[0]!)];

    /// <summary><c>tf.nn.bias_add(value, bias)</c>.</summary>
    public static Tensor Build(TensorLike value, TensorLike bias, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "BiasAdd", value, bias);
        var inputs = b.SameType("BiasAdd", [value, bias], ["value", "bias"]);
        return b.Create(Def, inputs, new() { { TAttr, inputs[0].dtype }, { DataFormat, "NHWC" } }).outputs[0];
    }
}
