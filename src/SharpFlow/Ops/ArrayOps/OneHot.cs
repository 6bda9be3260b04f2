using System.Numerics;
using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// OneHot: a new axis of size <c>depth</c> holding <c>on_value</c> at each index and <c>off_value</c> elsewhere;
/// as in TensorFlow, an index outside [0, depth) gives a row of <c>off_value</c>.
/// </summary>
internal sealed class OneHot : OpDef
{
    public static readonly OneHot Def = new();

    private static readonly OpAttr<int> Axis = new("axis", -1);
    internal static readonly OpAttr<DType> TAttr = new("T");
    internal static readonly OpAttr<DType> TI = new("TI", DType.int64);

    public override string Type => "OneHot";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var indicesType = ctx.InputDType(0);
        if (!indicesType.is_integer) throw ctx.TypeError($"indices must be uint8, int32 or int64, got {indicesType.name}");
        if (ctx.InputDType(2) != ctx.InputDType(3))
            throw ctx.TypeError($"on_value and off_value must have the same dtype, got {ctx.InputDType(2).name} and {ctx.InputDType(3).name}");
        var indices = ctx.InputShape(0);
        var axis = Axis.Of(ctx);
        var depthValue = ctx.ConstantInput(1);
        var depth = -1;
        if (depthValue is not null)
        {
            var d = OpValues.Scalar(depthValue, "depth", m => ctx.Error(m));
            if (d < 0 || d > int.MaxValue) throw ctx.Error($"depth must be non-negative, got: {d}");
            depth = (int)d;
        }
        foreach (var i in new[] { 2, 3 })
            if (ctx.InputShape(i).IsKnownRank && ctx.InputShape(i).ndims != 0)
                throw ctx.Error($"{(i == 2 ? "on_value" : "off_value")} must be a scalar, not shape {ctx.InputShape(i).ToListString()}");
        if (axis < -1) throw ctx.Error($"Expected axis to be -1 or between [0, rank].  But received: {axis}");
        if (!indices.IsKnownRank)
        {
            ctx.AddOutput(ctx.InputDType(2), Shape.Unknown);
            return;
        }
        if (axis < -1 || axis > indices.ndims) throw ctx.Error($"Expected axis to be -1 or between [0, {indices.ndims}).  But received: {axis}");
        var dims = indices.Dims.ToList();
        dims.Insert(axis == -1 ? dims.Count : axis, depth);
        ctx.AddOutput(ctx.InputDType(2), Shape.Own([.. dims]));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var axisAttr = Axis.Of(op);
        return OpKernel.From(ctx =>
        {
            var indices = ctx.Input(0).ToArray<long>();
            var depthValue = OpValues.Scalar(ctx.Input(1), "depth", ctx.InvalidArgumentOf);
            if (depthValue < 0 || depthValue > int.MaxValue) throw ctx.InvalidArgument($"depth must be non-negative, got: {depthValue}");
            var depth = (int)depthValue;
            var on = ctx.Input(2);
            var off = ctx.Input(3);
            if (on.size != 1 || off.size != 1) throw ctx.InvalidArgument("on_value and off_value must be scalars");
            var inShape = ctx.Input(0).shape.Dims.ToList();
            if (axisAttr > inShape.Count)
                throw ctx.InvalidArgument($"Expected axis to be -1 or between [0, {inShape.Count}].  But received: {axisAttr}");
            var axis = axisAttr == -1 ? inShape.Count : axisAttr;
            // View the output as [prefix, depth, suffix] where prefix*suffix are the indices.
            long prefix = 1, suffix = 1;
            for (var i = 0; i < axis; i++) prefix *= inShape[i];
            for (var i = axis; i < inShape.Count; i++) suffix *= inShape[i];
            inShape.Insert(axis, depth);
            var output = ctx.AllocateOutput(0, on.dtype, Shape.Own([.. inShape]));
            switch (on.dtype.Id)
            {
                case DataType.Float: Fill(indices, prefix, depth, suffix, on.item<float>(), off.item<float>(), output.AsSpan<float>()); break;
                case DataType.Double: Fill(indices, prefix, depth, suffix, on.item<double>(), off.item<double>(), output.AsSpan<double>()); break;
                case DataType.Int32: Fill(indices, prefix, depth, suffix, on.item<int>(), off.item<int>(), output.AsSpan<int>()); break;
                case DataType.Int64: Fill(indices, prefix, depth, suffix, on.item<long>(), off.item<long>(), output.AsSpan<long>()); break;
                case DataType.UInt8: Fill(indices, prefix, depth, suffix, on.item<byte>(), off.item<byte>(), output.AsSpan<byte>()); break;
                default:
                    {
                        var o = output.AsSpan<bool>();
                        var onB = on.item<bool>();
                        var offB = off.item<bool>();
                        var bytes = new byte[o.Length];
                        Fill<byte>(indices, prefix, depth, suffix, onB ? (byte)1 : (byte)0, offB ? (byte)1 : (byte)0, bytes);
                        for (var i = 0; i < o.Length; i++) o[i] = bytes[i] != 0;
                        break;
                    }
            }
        });
    }

    private static void Fill<T>(long[] indices, long prefix, int depth, long suffix, T on, T off, Span<T> output) where T : unmanaged, INumber<T>
    {
        output.Fill(off);
        for (long p = 0; p < prefix; p++)
            for (long s = 0; s < suffix; s++)
            {
                var index = indices[p * suffix + s];
                if (index >= 0 && index < depth) output[(int)((p * depth + index) * suffix + s)] = on;
            }
    }

    /// <summary><c>tf.one_hot(indices, depth, on_value, off_value, axis, dtype)</c>; float32 1/0 by default.</summary>
    public static Tensor Build(TensorLike indices, TensorLike depth, TensorLike? onValue = null, TensorLike? offValue = null,
        int axis = -1, DType? dtype = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "one_hot", indices, depth, onValue ?? default, offValue ?? default);
        var idx = b.Convert(indices, "indices");
        var d = b.Convert(depth, "depth");
        static DType? TypeOf(TensorLike? v) => v is { } x ? x.Value is Tensor t ? t.AsInput().dtype : Literal.ToNDArray(x.Value).dtype : null;
        var valueType = dtype ?? TypeOf(onValue) ?? TypeOf(offValue) ?? DType.float32;
        var on = b.Convert(onValue ?? 1, "on_value", onValue?.Value is Tensor ? null : valueType);
        var off = b.Convert(offValue ?? 0, "off_value", offValue?.Value is Tensor ? null : valueType);
        return b.Create(Def, [idx, d, on, off], new() { { TAttr, on.dtype }, { TI, idx.dtype }, { Axis, axis } }).outputs[0];
    }
}
