using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Unique (<c>tf.unique</c>): the distinct elements of a vector in order of first appearance (<c>y</c>) and, for
/// each input element, its position in <c>y</c> (<c>idx</c>, int32 or int64).
/// </summary>
internal sealed class Unique : OpDef
{
    public static readonly Unique Def = new();

    private static readonly OpAttr<DType> OutIdx = new("out_idx", DType.int32);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Unique";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var x = ctx.InputShape(0);
        if (x.IsKnownRank && x.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {x.ndims} for x ({x.ToListString()})");
        ctx.AddOutput(ctx.InputDType(0), new Shape(-1));
        ctx.AddOutput(OutIdx.Of(ctx), x.IsKnownRank ? x : new Shape(-1));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var outIdx = OutIdx.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            if (x.ndim != 1) throw ctx.InvalidArgument($"unique expects a 1D vector.");
            var size = x.dtype.size;
            var bytes = x.AsBytes();
            // Elements compare by value: floats by their bits, except that 0.0 and -0.0 are one value and NaNs are distinct.
            var values = x.dtype.is_floating ? x.ToArray<double>() : null;
            var first = new Dictionary<object, int>();
            var positions = new long[x.size];
            var order = new List<int>();
            for (var i = 0; i < x.size; i++)
            {
                object key = values is not null
                    ? (double.IsNaN(values[i]) ? (object)("nan", i) : values[i] == 0 ? 0.0 : values[i])
                    : Convert.ToBase64String(bytes.Slice(i * size, size));
                if (!first.TryGetValue(key, out var at))
                {
                    at = order.Count;
                    first[key] = at;
                    order.Add(i);
                }
                positions[i] = at;
            }
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, new Shape(order.Count));
            var target = y.AsWritableBytes();
            for (var k = 0; k < order.Count; k++) bytes.Slice(order[k] * size, size).CopyTo(target.Slice(k * size, size));
            var idx = ctx.AllocateUninitializedOutput(1, outIdx, x.shape);
            if (outIdx == DType.int32) for (var i = 0; i < positions.Length; i++) idx.AsSpan<int>()[i] = (int)positions[i];
            else positions.CopyTo(idx.AsSpan<long>());
        });
    }

    /// <summary><c>tf.unique(x, out_idx)</c>: (y, idx).</summary>
    public static (Tensor y, Tensor idx) Build(TensorLike x, DType? outIdx = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Unique", x);
        var t = b.Convert(x, "x");
        var idxType = outIdx ?? DType.int32;
        if (idxType != DType.int32 && idxType != DType.int64) throw new TypeError($"out_idx must be int32 or int64, got {idxType.name}");
        var op = b.Create(Def, [t], new() { { T, t.dtype }, { OutIdx, idxType } });
        return (op.outputs[0], op.outputs[1]);
    }
}
