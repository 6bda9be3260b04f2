using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.NN;

/// <summary>
/// TopKV2: the k largest entries of each last-axis row (<c>values</c>) and their int32 positions
/// (<c>indices</c>), largest first, ties broken by the lower index. Attribute <c>sorted</c> is accepted; the
/// output is always sorted, which TensorFlow allows for <c>sorted=False</c>.
/// </summary>
internal sealed class TopKV2 : OpDef
{
    public static readonly TopKV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<bool> Sorted = new("sorted", true);

    public override string Type => "TopKV2";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (!(dtype.is_floating || dtype == DType.int32 || dtype == DType.int64 || dtype == DType.uint8))
            throw ctx.TypeError($"dtype {dtype.name} is not supported");
        if (ctx.InputDType(1) != DType.int32) throw ctx.TypeError($"k must be int32, got {ctx.InputDType(1).name}");
        var input = ctx.InputShape(0);
        if (input.IsKnownRank && input.ndims < 1)
            throw ctx.Error($"Shape must be at least rank 1 but is rank {input.ndims}");
        var kShape = ctx.InputShape(1);
        if (kShape.IsKnownRank && kShape.ndims != 0)
            throw ctx.Error($"Shape must be rank 0 but is rank {kShape.ndims} for k");
        var k = ctx.ConstantInput(1) is { } kv ? kv.ToArray<int>()[0] : -1;
        if (ctx.ConstantInput(1) is not null && k < 0) throw ctx.Error($"Need k >= 0, got {k}");
        if (!input.IsKnownRank)
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            ctx.AddOutput(DType.int32, Shape.Unknown);
            return;
        }
        var last = input[input.ndims - 1];
        if (k >= 0 && last >= 0 && last < k)
            throw ctx.Error($"input must have last dimension >= k = {k} but is {last}");
        var dims = input.Dims.ToArray();
        dims[^1] = k;
        ctx.AddOutput(dtype, new Shape(dims));
        ctx.AddOutput(DType.int32, new Shape(dims));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, kIn) = (ctx.Input(0), ctx.Input(1));
        if (kIn.ndim != 0) throw ctx.InvalidArgument($"k must be 0-D, got shape {kIn.shape.ToListString()}");
        var k = kIn.ToArray<int>()[0];
        if (k < 0) throw ctx.InvalidArgument($"Need k >= 0, got {k}");
        if (x.ndim < 1) throw ctx.InvalidArgument($"input must be >= 1-D, got shape {x.shape.ToListString()}");
        var n = x.shape[x.ndim - 1];
        if (n < k) throw ctx.InvalidArgument($"input must have at least k columns. Had {n}, needed {k}");
        var dims = x.shape.Dims.ToArray();
        dims[^1] = k;
        var values = ctx.AllocateUninitializedOutput(0, x.dtype, new Shape(dims));
        var indices = ctx.AllocateUninitializedOutput(1, DType.int32, new Shape(dims));
        var idx = indices.AsSpan<int>();
        switch (x.dtype.Id)
        {
            case DataType.Float: TopK.Run(x.AsReadOnlySpan<float>(), n, values.AsSpan<float>(), idx); break;
            case DataType.Double: TopK.Run(x.AsReadOnlySpan<double>(), n, values.AsSpan<double>(), idx); break;
            case DataType.Int32: TopK.Run(x.AsReadOnlySpan<int>(), n, values.AsSpan<int>(), idx); break;
            case DataType.Int64: TopK.Run(x.AsReadOnlySpan<long>(), n, values.AsSpan<long>(), idx); break;
            default: TopK.Run(x.AsReadOnlySpan<byte>(), n, values.AsSpan<byte>(), idx); break;
        }
    });

    /// <summary><c>tf.nn.top_k(input, k, sorted)</c>: (values, indices).</summary>
    public static (Tensor Values, Tensor Indices) Build(TensorLike input, TensorLike k, bool sorted = true, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TopKV2", input, k);
        var x = b.Convert(input, "input");
        var kt = b.Convert(k, "k", k.Value is Tensor ? null : DType.int32);
        var op = b.Create(Def, [x, kt], new() { { T, x.dtype }, { Sorted, sorted } });
        return (op.outputs[0], op.outputs[1]);
    }

    /// <summary>
    /// TensorFlow's <c>_TopKGrad</c>: the values' gradient scattered back to the positions the indices name
    /// (as <c>unsorted_segment_sum</c> over the flattened input, each row offset by its start); none for k.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        if (grads[0] is not { } g) return [null, null];
        var (x, indices) = (op.inputs[0], op.outputs[1]);
        var inShape = Shape_.Build(x);
        var indShape = Shape_.Build(indices);
        var last = Sub.Build(Size.Build(inShape), 1);
        var n = GatherV2.Build(inShape, last);
        var k = GatherV2.Build(indShape, Sub.Build(Size.Build(indShape), 1));
        var flat = Reshape.Build(indices, new[] { -1 });
        var positions = ArrayOps.Range.Build(0, Size.Build(indices), 1);
        // Row r of the indices starts at r·n in the flattened input; k = 0 leaves no positions to divide.
        var rows = FloorDiv.Build(positions, Maximum.Build(k, 1));
        var target = Add.Build(flat, Mul.Build(rows, n));
        var scattered = UnsortedSegmentSum.Build(Reshape.Build(g, new[] { -1 }), target, Size.Build(x));
        return [Reshape.Build(scattered, inShape), null];
    }
}
