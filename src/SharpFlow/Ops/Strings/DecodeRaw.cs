using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// DecodeRaw (<c>tf.decode_raw</c>): reinterprets the bytes of each string as numbers of <c>out_type</c>; the
/// output is the input's shape plus one axis of <c>len / sizeof(out_type)</c> (TensorFlow's decode_raw_op.cc:
/// every string must have the same length, a multiple of the element size).
/// </summary>
internal sealed class DecodeRaw : OpDef
{
    public static readonly DecodeRaw Def = new();

    private static readonly OpAttr<DType> OutType = new("out_type");
    private static readonly OpAttr<bool> LittleEndian = new("little_endian", true);

    public override string Type => "DecodeRaw";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"bytes must be a string tensor, got {ctx.InputDType(0).name}");
        var outType = OutType.Of(ctx);
        if (!outType.IsNumeric || outType == DType.@bool) throw ctx.TypeError($"out_type {outType.name} is not supported: use a number type");
        var input = ctx.InputShape(0);
        ctx.AddOutput(outType, input.IsKnownRank ? input.Concatenate(new Shape(-1)) : Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var outType = OutType.Of(op);
        var littleEndian = LittleEndian.Of(op);
        return OpKernel.From(ctx =>
        {
            var input = ctx.Input(0);
            var strings = Elements.Strings(input);
            var size = outType.size;
            var length = strings.Length == 0 ? 0 : strings[0].Length;
            if (length % size != 0)
                throw ctx.InvalidArgument($"Input to DecodeRaw has length {length} that is not a multiple of {size}, the size of {outType.name}");
            for (var i = 1; i < strings.Length; i++)
                if (strings[i].Length != length)
                    throw ctx.InvalidArgument($"DecodeRaw requires input strings to all be the same size, but element {i} has size {strings[i].Length} != {length}");
            var output = ctx.AllocateUninitializedOutput(0, outType, input.shape.Concatenate(new Shape(length / size)));
            var target = output.AsWritableBytes();
            for (var i = 0; i < strings.Length; i++)
            {
                var dst = target.Slice(i * length, length);
                strings[i].CopyTo(dst);
                if (littleEndian != BitConverter.IsLittleEndian && size > 1)
                    for (var k = 0; k < length; k += size) dst.Slice(k, size).Reverse();
            }
        });
    }

    /// <summary><c>tf.decode_raw(bytes, out_type, little_endian=True)</c>.</summary>
    public static Tensor Build(TensorLike bytes, DType outType, bool littleEndian = true, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "DecodeRaw", bytes);
        var t = b.Convert(bytes, "bytes");
        return b.Create(Def, [t], new() { { OutType, outType }, { LittleEndian, littleEndian } }).outputs[0];
    }
}
