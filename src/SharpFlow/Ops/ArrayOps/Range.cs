using System.Numerics;
using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Range: <c>start, start + delta, ...</c> up to but excluding <c>limit</c>. <c>tf.range</c> infers the dtype
/// as TensorFlow does: the widest of the arguments in int32 &lt; int64 &lt; float32 &lt; float64.
/// </summary>
internal sealed class Range : OpDef
{
    public static readonly Range Def = new();
    internal static readonly OpAttr<DType> Tidx = new("Tidx", DType.int32);

    public override string Type => "Range";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (!(dtype.is_floating || dtype == DType.int32 || dtype == DType.int64))
            throw ctx.TypeError($"dtype {dtype.name} is not supported");
        for (var i = 0; i < 3; i++)
            if (ctx.InputShape(i).IsKnownRank && ctx.InputShape(i).ndims != 0)
                throw ctx.Error($"{ArgNames[i]} must be a scalar, not shape {ctx.InputShape(i).ToListString()}");
        var (s, l, d) = (ctx.ConstantInput(0), ctx.ConstantInput(1), ctx.ConstantInput(2));
        if (s is null || l is null || d is null)
        {
            ctx.AddOutput(dtype, Shape.UnknownDims(1));
            return;
        }
        ctx.AddOutput(dtype, new Shape(Count(s, l, d, m => ctx.Error(m))));
    }

    private static readonly string[] ArgNames = ["start", "limit", "delta"];

    /// <summary>The element count, computed in the tensors' own type as TensorFlow's kernel does.</summary>
    private static int Count(NDArray start, NDArray limit, NDArray delta, Func<string, Exception> error)
    {
        return start.dtype.Id switch
        {
            DataType.Float => Count(Scalar<float>(start, "start"), Scalar<float>(limit, "limit"), Scalar<float>(delta, "delta"),
                (a, b, c) => System.Math.Ceiling(System.Math.Abs((b - a) / c))),
            DataType.Double => Count(Scalar<double>(start, "start"), Scalar<double>(limit, "limit"), Scalar<double>(delta, "delta"),
                (a, b, c) => System.Math.Ceiling(System.Math.Abs((b - a) / c))),
            DataType.Int32 => Count(Scalar<int>(start, "start"), Scalar<int>(limit, "limit"), Scalar<int>(delta, "delta"),
                (a, b, c) => (System.Math.Abs((long)b - a) + System.Math.Abs((long)c) - 1) / System.Math.Abs((long)c)),
            _ => Count(Scalar<long>(start, "start"), Scalar<long>(limit, "limit"), Scalar<long>(delta, "delta"),
                (a, b, c) => (double)((System.Numerics.BigInteger.Abs((System.Numerics.BigInteger)b - a) + System.Numerics.BigInteger.Abs(c) - 1) / System.Numerics.BigInteger.Abs(c))),
        };

        T Scalar<T>(NDArray value, string name) where T : unmanaged =>
            value.size == 1 ? value.AsSpan<T>()[0] : throw error($"{name} must be a scalar, not shape {value.shape.ToListString()}");

        int Count<T>(T s, T l, T d, Func<T, T, T, double> count) where T : unmanaged, INumber<T>
        {
            if (d == T.Zero) throw error("Requires delta != 0: 0");
            if (d > T.Zero && s > l) throw error($"Requires start <= limit when delta > 0: {s}/{l}");
            if (d < T.Zero && s < l) throw error($"Requires start >= limit when delta < 0: {s}/{l}");
            var n = count(s, l, d);
            if (n > int.MaxValue) throw error($"Range of {n} elements is too large");
            return (int)n;
        }
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (s, l, d) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        var n = Count(s, l, d, ctx.InvalidArgumentOf);
        var output = ctx.AllocateOutput(0, s.dtype, new Shape(n));
        switch (s.dtype.Id)
        {
            case DataType.Float: Fill(output.AsSpan<float>(), s.AsSpan<float>()[0], d.AsSpan<float>()[0]); break;
            case DataType.Double: Fill(output.AsSpan<double>(), s.AsSpan<double>()[0], d.AsSpan<double>()[0]); break;
            case DataType.Int32: Fill(output.AsSpan<int>(), s.AsSpan<int>()[0], d.AsSpan<int>()[0]); break;
            default: Fill(output.AsSpan<long>(), s.AsSpan<long>()[0], d.AsSpan<long>()[0]); break;
        }
    });

    // TensorFlow's kernel adds delta repeatedly (value += delta), so float ranges accumulate the same rounding.
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
        if (s.dtype != target) s = MathOps.Cast.Build(s, target);
        if (l.dtype != target) l = MathOps.Cast.Build(l, target);
        if (dt.dtype != target) dt = MathOps.Cast.Build(dt, target);
        return b.Create(Def, [s, l, dt], new() { { Tidx, target } }).outputs[0];
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
