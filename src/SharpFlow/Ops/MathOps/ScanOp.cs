using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// The shared rule of Cumsum and Cumprod: the output has the input's shape; <c>axis</c> is an int32 scalar
/// (negative counts from the end); attributes <c>exclusive</c> and <c>reverse</c>.
/// </summary>
internal abstract class ScanOp : OpDef
{
    private static readonly OpAttr<bool> Exclusive = new("exclusive");
    private static readonly OpAttr<bool> Reverse = new("reverse");
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);

    protected abstract bool Product { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        if (!ctx.InputDType(0).IsNumeric || ctx.InputDType(0) == DType.@bool) throw ctx.TypeError($"dtype {ctx.InputDType(0).name} is not supported");
        if (!ctx.InputDType(1).is_integer) throw ctx.TypeError($"axis must be int32 or int64, got {ctx.InputDType(1).name}");
        if (ctx.ConstantInput(1) is { } axis && ctx.InputShape(0).IsKnownRank)
            OpValues.Axis(axis, ctx.InputShape(0).ndims, "axis", m => ctx.Error(m));
        ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var exclusive = Exclusive.Of(op);
        var reverse = Reverse.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            if (x.ndim == 0) throw ctx.InvalidArgument("ScanOp: input must be at least 1-D");
            var axis = OpValues.Axis(ctx.Input(1), x.ndim, "axis", ctx.InvalidArgumentOf);
            var dims = x.shape.Dims;
            var outer = dims[..axis].Aggregate(1, (a, b) => a * b);
            var inner = dims[(axis + 1)..].Aggregate(1, (a, b) => a * b);
            var y = ctx.AllocateOutput(0, x.dtype, x.shape);
            switch (x.dtype.Id)
            {
                case DataType.Float: Scan.Run(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), outer, dims[axis], inner, Product, exclusive, reverse); break;
                case DataType.Double: Scan.Run(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), outer, dims[axis], inner, Product, exclusive, reverse); break;
                case DataType.Int32: Scan.Run(x.AsReadOnlySpan<int>(), y.AsSpan<int>(), outer, dims[axis], inner, Product, exclusive, reverse); break;
                case DataType.Int64: Scan.Run(x.AsReadOnlySpan<long>(), y.AsSpan<long>(), outer, dims[axis], inner, Product, exclusive, reverse); break;
                default: Scan.Run(x.AsReadOnlySpan<byte>(), y.AsSpan<byte>(), outer, dims[axis], inner, Product, exclusive, reverse); break;
            }
        });
    }

    /// <summary>Builds the op.</summary>
    public Tensor Apply(TensorLike x, TensorLike axis, bool exclusive, bool reverse, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, x, axis);
        var input = b.Convert(x, "x");
        var a = b.Convert(axis, "axis");
        return b.Create(this, [input, a], new() { { T, input.dtype }, { Tidx, a.dtype }, { Exclusive, exclusive }, { Reverse, reverse } }).outputs[0];
    }
}
