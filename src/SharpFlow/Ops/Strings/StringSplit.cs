using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// StringSplit (<c>tf.string_split</c>): splits each string of a vector at any byte of <c>delimiter</c> (into
/// single bytes when it is empty), dropping empty tokens with <c>skip_empty</c>; the result is a sparse tensor
/// (indices, values, shape <c>[batch, max tokens]</c>), as TensorFlow's string_split_op.cc.
/// </summary>
internal sealed class StringSplit : OpDef
{
    public static readonly StringSplit Def = new();

    private static readonly OpAttr<bool> SkipEmpty = new("skip_empty", true);

    public override string Type => "StringSplit";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string || ctx.InputDType(1) != DType.@string) throw ctx.TypeError("input and delimiter must be string tensors");
        var input = ctx.InputShape(0);
        if (input.IsKnownRank && input.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {input.ndims} for input");
        var delimiter = ctx.InputShape(1);
        if (delimiter.IsKnownRank && delimiter.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {delimiter.ndims} for delimiter");
        ctx.AddOutput(DType.int64, new Shape(-1, 2));
        ctx.AddOutput(DType.@string, new Shape(-1));
        ctx.AddOutput(DType.int64, new Shape(2));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var skipEmpty = SkipEmpty.Of(op);
        return OpKernel.From(ctx =>
        {
            var input = ctx.Input(0);
            var delimiter = ctx.Input(1);
            if (input.ndim != 1) throw ctx.InvalidArgument($"input must be a vector, got shape: {input.shape.ToListString()}");
            if (delimiter.ndim != 0) throw ctx.InvalidArgument($"delimiter must be a scalar, got shape: {delimiter.shape.ToListString()}");
            var delims = Elements.Strings(delimiter)[0];
            var rows = new List<long>();
            var tokens = new List<byte[]>();
            var counts = new List<long>();
            long maxTokens = 0;
            var strings = Elements.Strings(input);
            for (var i = 0; i < strings.Length; i++)
            {
                var parts = Split(strings[i], delims, skipEmpty);
                for (var k = 0; k < parts.Count; k++) { rows.Add(i); counts.Add(k); tokens.Add(parts[k]); }
                maxTokens = System.Math.Max(maxTokens, parts.Count);
            }
            var indices = ctx.AllocateUninitializedOutput(0, DType.int64, new Shape(tokens.Count, 2)).AsSpan<long>();
            for (var k = 0; k < tokens.Count; k++) { indices[2 * k] = rows[k]; indices[2 * k + 1] = counts[k]; }
            var values = ctx.AllocateUninitializedOutput(1, DType.@string, new Shape(tokens.Count));
            tokens.CopyTo(Elements.Strings(values));
            var shape = ctx.AllocateUninitializedOutput(2, DType.int64, new Shape(2)).AsSpan<long>();
            shape[0] = strings.Length;
            shape[1] = maxTokens;
        });
    }

    internal static List<byte[]> Split(byte[] s, byte[] delims, bool skipEmpty)
    {
        var parts = new List<byte[]>();
        // TensorFlow's str_util::Split gives no tokens for an empty string, even without skip_empty.
        if (s.Length == 0) return parts;
        if (delims.Length == 0)
        {
            foreach (var c in s) parts.Add([c]);
            return parts;
        }
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            if (i < s.Length && System.Array.IndexOf(delims, s[i]) < 0) continue;
            if (!skipEmpty || i > start) parts.Add(s[start..i]);
            start = i + 1;
        }
        return parts;
    }

    /// <summary><c>tf.string_split(source, delimiter=' ', skip_empty=True)</c>.</summary>
    public static SparseTensor Build(TensorLike source, TensorLike? delimiter = null, bool skipEmpty = true, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "StringSplit", source);
        var input = b.Convert(source, "source");
        var delim = b.Convert(delimiter ?? (TensorLike)" ", "delimiter");
        var op = b.Create(Def, [input, delim], new() { { SkipEmpty, skipEmpty } });
        return new SparseTensor(op.outputs[0], op.outputs[1], op.outputs[2]);
    }
}
