using System.Numerics;
using SharpFlow.Framework;

namespace SharpFlow.Ops.Array;

/// <summary>
/// Range: <c>start, start + delta, ...</c> up to but excluding <c>limit</c>. <c>tf.range</c> infers the dtype
/// as TensorFlow does: the widest of the arguments in int32 &lt; int64 &lt; float32 &lt; float64.
/// </summary>
internal sealed class Range : OpDef
{
    public static readonly Range Def = new();

    public override string Type => "Range";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (!(dtype.is_floating || dtype == DType.int32 || dtype == DType.int64))
            throw ctx.TypeError($"dtype {dtype.name} is not supported");
        var (s, l, d) = (ctx.ConstantInput(0), ctx.ConstantInput(1), ctx.ConstantInput(2));
        if (s is null || l is null || d is null)
        {
            ctx.AddOutput(dtype, Shape.UnknownDims(1));
            return;
        }
        ctx.AddOutput(dtype, new Shape(Count(s.item<double>(), l.item<double>(), d.item<double>(), dtype, m => ctx.Error(m))));
    }

    private static int Count(double start, double limit, double delta, DType dtype, Func<string, Exception> error)
    {
        if (delta == 0) throw error("Requires delta != 0: 0");
        if (delta > 0 && start > limit) throw error($"Requires start <= limit when delta > 0: {start}/{limit}");
        if (delta < 0 && start < limit) throw error($"Requires start >= limit when delta < 0: {start}/{limit}");
        var count = dtype.is_integer
            ? (long)((System.Math.Abs((long)limit - (long)start) + System.Math.Abs((long)delta) - 1) / System.Math.Abs((long)delta))
            : (long)System.Math.Ceiling(System.Math.Abs((limit - start) / delta));
        if (count > int.MaxValue) throw error($"Range of {count} elements is too large");
        return (int)count;
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (s, l, d) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        var n = Count(s.item<double>(), l.item<double>(), d.item<double>(), s.dtype, m => ctx.InvalidArgument(m));
        var output = ctx.AllocateOutput(0, s.dtype, new Shape(n));
        switch (s.dtype.Id)
        {
            case DataType.Float: Fill(output.AsSpan<float>(), s.item<float>(), d.item<float>()); break;
            case DataType.Double: Fill(output.AsSpan<double>(), s.item<double>(), d.item<double>()); break;
            case DataType.Int32: Fill(output.AsSpan<int>(), s.item<int>(), d.item<int>()); break;
            default: Fill(output.AsSpan<long>(), s.item<long>(), d.item<long>()); break;
        }
    });

    private static void Fill<T>(Span<T> output, T start, T delta) where T : unmanaged, INumber<T>
    {
        var value = start;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = value;
            value += delta;
        }
    }

    public override NDArray? ConstantValue(Operation op, int index) => null;

    /// <summary><c>tf.range(start, limit, delta, dtype)</c>; with no limit, the range is [0, start).</summary>
    public static Tensor Build(TensorLike start, TensorLike? limit = null, TensorLike? delta = null, DType? dtype = null, string? name = null)
    {
        if (limit is null)
        {
            limit = start;
            start = 0;
        }
        var d = delta ?? 1;
        using var b = OpBuilder.Begin(name, "range", start, limit.Value, d);
        var target = dtype ?? Widest(start, limit.Value, d);
        var s = b.Convert(start, "start", start.Value is Tensor ? null : target);
        var l = b.Convert(limit.Value, "limit", limit.Value.Value is Tensor ? null : target);
        var dt = b.Convert(d, "delta", d.Value is Tensor ? null : target);
        if (s.dtype != target) s = Math.Cast.Build(s, target);
        if (l.dtype != target) l = Math.Cast.Build(l, target);
        if (dt.dtype != target) dt = Math.Cast.Build(dt, target);
        return b.Create(Def, [s, l, dt], new() { ["Tidx"] = target }).outputs[0];
    }

    private static DType Widest(params TensorLike[] values)
    {
        var order = new[] { DType.int32, DType.int64, DType.float32, DType.float64 };
        var best = 0;
        foreach (var v in values)
        {
            var dtype = v.Value is Tensor t ? t.AsInput().dtype : Literal.ToNDArray(v.Value).dtype;
            var rank = System.Array.IndexOf(order, dtype);
            if (rank > best) best = rank;
        }
        return order[best];
    }
}
