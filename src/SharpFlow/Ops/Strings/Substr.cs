using System.Text;
using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// Substr (<c>tf.substr</c>): the <c>len</c> bytes of each string from <c>pos</c> (a negative <c>pos</c> counts from
/// the end; <c>len</c> is cut at the end of the string), with <c>pos</c>/<c>len</c> broadcast against the input.
/// A <c>pos</c> outside the string is an error naming the string and its index (TensorFlow's substr_op.cc).
/// </summary>
internal sealed class Substr : OpDef
{
    public static readonly Substr Def = new();

    private static readonly OpAttr<string> Unit = new("unit", "BYTE");
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Substr";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"input must be a string tensor, got {ctx.InputDType(0).name}");
        var t = ctx.InputDType(1);
        if ((t != DType.int32 && t != DType.int64) || ctx.InputDType(2) != t) throw ctx.TypeError("pos and len must both be int32 or both int64");
        var unit = Unit.Of(ctx);
        if (unit != "BYTE" && unit != "UTF8_CHAR") throw ctx.Error($"unit must be BYTE or UTF8_CHAR, got {unit}");
        var pos = ctx.InputShape(1);
        var len = ctx.InputShape(2);
        if (pos.IsKnownRank && len.IsKnownRank && !pos.IsCompatibleWith(len)) throw ctx.Error($"pos and len should have the same shape, got: {pos} vs. {len}");
        var input = ctx.InputShape(0);
        if (!input.IsKnownRank || !pos.IsKnownRank) { ctx.AddOutput(DType.@string, Shape.Unknown); return; }
        var shape = Shape.TryBroadcast(input, pos) ?? throw ctx.Error($"Incompatible shapes: {input} vs. {pos}");
        ctx.AddOutput(DType.@string, shape);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var utf8 = Unit.Of(op) == "UTF8_CHAR";
        return OpKernel.From(ctx =>
        {
            var (input, posValue, lenValue) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
            if (posValue.shape != lenValue.shape)
                throw ctx.InvalidArgument($"pos and len should have the same shape, got: {posValue.shape.ToListString()} vs. {lenValue.shape.ToListString()}");
            var shape = Shape.TryBroadcast(input.shape, posValue.shape)
                        ?? throw ctx.InvalidArgument($"Incompatible shapes: {input.shape.ToListString()} vs. {posValue.shape.ToListString()}");
            var strings = Elements.Strings(input);
            var pos = Elements.Longs(posValue);
            var len = Elements.Longs(lenValue);
            var output = ctx.AllocateUninitializedOutput(0, DType.@string, shape);
            var result = Elements.Strings(output);
            var inMap = Broadcast.Map(input.shape, shape);
            var posMap = Broadcast.Map(posValue.shape, shape);
            for (var k = 0; k < result.Length; k++)
            {
                var i = inMap(k);
                var s = strings[i];
                var p = pos[posMap(k)];
                var l = len[posMap(k)];
                if (utf8)
                {
                    var text = Encoding.UTF8.GetString(s);
                    var runes = text.EnumerateRunes().ToArray();
                    var start = p < 0 ? p + runes.Length : p;
                    if (start < 0 || start > runes.Length) throw OutOfRange(ctx, p, s, i);
                    var count = System.Math.Clamp(l, 0, runes.Length - start);
                    result[k] = Encoding.UTF8.GetBytes(string.Concat(runes.Skip((int)start).Take((int)count).Select(r => r.ToString())));
                }
                else
                {
                    var start = p < 0 ? p + s.Length : p;
                    if (start < 0 || start > s.Length) throw OutOfRange(ctx, p, s, i);
                    var count = System.Math.Clamp(l, 0, s.Length - start);
                    result[k] = s[(int)start..(int)(start + count)];
                }
            }
        });
    }

    private static InvalidArgumentError OutOfRange(OpKernelContext ctx, long pos, byte[] s, int index) =>
        ctx.InvalidArgument($"pos {pos} out of range for string b'{Encoding.UTF8.GetString(s)}' at index {index}");

    /// <summary><c>tf.substr(input, pos, len, unit='BYTE')</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike pos, TensorLike len, string unit = "BYTE", string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Substr", input, pos, len);
        var s = b.Convert(input, "input");
        var (p, l) = b.SameType("Substr", [pos, len], ["pos", "len"]) switch { var a => (a[0], a[1]) };
        return b.Create(Def, [s, p, l], new() { { T, p.dtype }, { Unit, unit } }).outputs[0];
    }
}

/// <summary>Index maps of NumPy broadcasting for kernels that move single elements.</summary>
internal static class Broadcast
{
    /// <summary>For each flat index of <paramref name="output"/>, the flat index of the broadcast <paramref name="input"/>.</summary>
    public static Func<int, int> Map(Shape input, Shape output)
    {
        if (input == output) return k => k;
        if (input.NumElements == 1) return _ => 0;
        var outDims = output.Dims;
        var inDims = new int[outDims.Length];
        var offset = outDims.Length - input.ndims;
        for (var d = 0; d < outDims.Length; d++) inDims[d] = d < offset ? 1 : input[d - offset];
        var inStrides = new int[outDims.Length];
        var stride = 1;
        for (var d = outDims.Length - 1; d >= 0; d--) { inStrides[d] = inDims[d] == 1 ? 0 : stride; stride *= inDims[d]; }
        return k =>
        {
            var index = 0;
            for (var d = outDims.Length - 1; d >= 0; d--)
            {
                index += k % outDims[d] * inStrides[d];
                k /= outDims[d];
            }
            return index;
        };
    }
}
