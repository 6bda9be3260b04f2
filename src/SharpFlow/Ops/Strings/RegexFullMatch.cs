using System.Text;
using System.Text.RegularExpressions;
using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// RegexFullMatch (<c>tf.strings.regex_full_match(input, pattern)</c> with a pattern tensor): whether each string of
/// <c>input</c> matches the scalar <c>pattern</c> as a whole (RE2's <c>FullMatch</c>), a bool tensor of the input's
/// shape. The pattern is RE2 syntax, run by .NET's regular expressions: RE2's <c>(?P&lt;name&gt;…)</c> groups are
/// translated, and what RE2 refuses (look-around, back-references) is refused, as TensorFlow's kernel does, with
/// "Invalid pattern: …". TensorFlow's Python builds <see cref="StaticRegexFullMatch"/> when the pattern is a
/// Python string.
/// </summary>
internal sealed class RegexFullMatch : OpDef
{
    public static readonly RegexFullMatch Def = new();

    public override string Type => "RegexFullMatch";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"input must be a string tensor, got {ctx.InputDType(0).name}");
        if (ctx.InputDType(1) != DType.@string) throw ctx.TypeError($"pattern must be a string tensor, got {ctx.InputDType(1).name}");
        var pattern = ctx.InputShape(1);
        if (pattern.IsKnownRank && pattern.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {pattern.ndims} for pattern");
        ctx.AddOutput(DType.@bool, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var pattern = ctx.Input(1);
        if (pattern.ndim != 0) throw ctx.InvalidArgument($"Pattern must be scalar, but received {pattern.shape.ToListString()}");
        var regex = Compile(Encoding.UTF8.GetString(Elements.Strings(pattern)[0]), ctx.InvalidArgumentOf);
        Match(regex, ctx.Input(0), ctx.AllocateUninitializedOutput(0, DType.@bool, ctx.Input(0).shape));
    });

    /// <summary>The whole-string matcher of an RE2 pattern, or <paramref name="error"/>'s exception for a pattern RE2 refuses.</summary>
    internal static Regex Compile(string pattern, Func<string, Exception> error)
    {
        // RE2 has neither look-around nor back-references; .NET would accept them, TensorFlow refuses the pattern.
        if (Regex.Match(pattern, @"(?<!\\)(?:\\\\)*(\(\?(?:=|!|<=|<!))") is { Success: true } lookaround)
            throw error($"Invalid pattern: {pattern}, error: invalid perl operator: {lookaround.Groups[1].Value}");
        if (Regex.IsMatch(pattern, @"(?<!\\)(?:\\\\)*\\[1-9]"))
            throw error($"Invalid pattern: {pattern}, error: invalid escape sequence: {Regex.Match(pattern, @"\\[1-9]").Value}");
        var translated = Regex.Replace(pattern, @"(?<!\\)((?:\\\\)*)\(\?P<", "$1(?<");
        try
        {
            return new Regex($@"\A(?:{translated})\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException e)
        {
            throw error($"Invalid pattern: {pattern}, error: {e.Message}");
        }
    }

    /// <summary>Writes whether each string of <paramref name="input"/> matches into <paramref name="output"/>.</summary>
    internal static void Match(Regex regex, NDArray input, NDArray output)
    {
        var strings = Elements.Strings(input);
        var result = output.AsSpan<bool>();
        for (var i = 0; i < strings.Length; i++) result[i] = regex.IsMatch(Encoding.UTF8.GetString(strings[i]));
    }

    /// <summary><c>gen_string_ops.regex_full_match(input, pattern)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike pattern, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "RegexFullMatch", input, pattern);
        return b.Create(Def, [b.Convert(input, "input"), b.Convert(pattern, "pattern")], []).outputs[0];
    }
}
