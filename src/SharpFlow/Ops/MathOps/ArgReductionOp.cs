using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// The shared rule of ArgMax and ArgMin: the index of the extreme value along one axis (ties go to the first
/// index); the output is int64 unless <c>output_type</c> says int32.
/// </summary>
internal abstract class ArgReductionOp : OpDef
{
    private static readonly OpAttr<DType> OutputType = new("output_type");
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);

    private readonly bool _max;

    protected ArgReductionOp(bool max) => _max = max;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (!dtype.IsNumeric) throw ctx.TypeError($"dtype {dtype.name} is not supported");
        var outputType = OutputType.Of(ctx);
        var input = ctx.InputShape(0);
        var axisValue = ctx.ConstantInput(1);
        if (!input.IsKnownRank || axisValue is null)
        {
            ctx.AddOutput(outputType, input.IsKnownRank && input.ndims > 0 ? Shape.UnknownDims(input.ndims - 1) : Shape.Unknown);
            return;
        }
        var axis = NormalizeAxis(axisValue, input.ndims, m => ctx.Error(m));
        var dims = input.Dims.ToList();
        dims.RemoveAt(axis);
        ctx.AddOutput(outputType, Shape.Own([.. dims]));
    }

    private static int NormalizeAxis(NDArray axisValue, int rank, Func<string, Exception> error)
    {
        if (axisValue.size != 1) throw error($"dimension must be a scalar, got shape {axisValue.shape.ToListString()}");
        var axis = axisValue.ToArray<long>()[0];
        if (axis < -rank || axis >= rank)
            throw error($"Expected dimension in the range [{-rank}, {rank}), but got {axis}");
        return (int)(axis < 0 ? axis + rank : axis);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var outputType = OutputType.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            var axis = NormalizeAxis(ctx.Input(1), x.ndim, ctx.InvalidArgumentOf);
            var dims = x.shape.AsSpan();
            if (dims[axis] == 0) throw ctx.InvalidArgument($"Reduction axis {axis} is empty in shape {x.shape.ToListString()}");
            int outer = 1, inner = 1;
            for (var i = 0; i < axis; i++) outer *= dims[i];
            for (var i = axis + 1; i < dims.Length; i++) inner *= dims[i];
            var outDims = x.shape.Dims.ToList();
            outDims.RemoveAt(axis);
            var z = ctx.AllocateOutput(0, outputType, Shape.Own([.. outDims]));
            if (outputType == DType.int64) Dispatch(x, outer, dims[axis], inner, z.AsSpan<long>(), _max);
            else Dispatch(x, outer, dims[axis], inner, z.AsSpan<int>(), _max);
        });
    }

    private static void Dispatch<TIndex>(NDArray x, int outer, int axis, int inner, Span<TIndex> z, bool max)
        where TIndex : unmanaged, System.Numerics.INumber<TIndex>
    {
        switch (x.dtype.Id)
        {
            case DataType.Float: Reduction.ArgExtreme(x.AsReadOnlySpan<float>(), outer, axis, inner, z, max); break;
            case DataType.Double: Reduction.ArgExtreme(x.AsReadOnlySpan<double>(), outer, axis, inner, z, max); break;
            case DataType.Int32: Reduction.ArgExtreme(x.AsReadOnlySpan<int>(), outer, axis, inner, z, max); break;
            case DataType.Int64: Reduction.ArgExtreme(x.AsReadOnlySpan<long>(), outer, axis, inner, z, max); break;
            default: Reduction.ArgExtreme(x.AsReadOnlySpan<byte>(), outer, axis, inner, z, max); break;
        }
    }

    /// <summary><c>tf.argmax(input, axis)</c> / <c>tf.argmin</c>; TensorFlow 1.x's default axis is 0.</summary>
    public Tensor Apply(TensorLike input, TensorLike? axis, DType? outputType, string? name)
    {
        var type = outputType ?? DType.int64;
        if (type != DType.int64 && type != DType.int32) throw new TypeError($"{Type}: output_type must be int32 or int64, got {type.name}.");
        using var b = OpBuilder.Begin(name, Type, input, axis ?? default);
        var x = b.Convert(input, "input");
        var dimension = b.Convert(axis ?? 0, "dimension");
        return b.Create(this, [x, dimension], new() { { T, x.dtype }, { Tidx, dimension.dtype }, { OutputType, type } }).outputs[0];
    }
}
