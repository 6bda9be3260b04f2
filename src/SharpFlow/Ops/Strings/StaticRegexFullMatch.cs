using SharpFlow.Framework;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// StaticRegexFullMatch (<c>tf.strings.regex_full_match(input, pattern)</c> with a Python-string pattern, attribute
/// <c>pattern</c>): <see cref="RegexFullMatch"/> with the pattern compiled once, when the kernel is made (a bad pattern
/// fails the first run with "Invalid pattern: …"). TensorFlow's Saver builds one for its sharded save
/// (<c>regex_full_match(prefix, "^s3://.*")</c>), so every sharded V1 graph written by TensorFlow 2 holds it.
/// </summary>
internal sealed class StaticRegexFullMatch : OpDef
{
    public static readonly StaticRegexFullMatch Def = new();

    private static readonly OpAttr<string> Pattern = new("pattern");

    public override string Type => "StaticRegexFullMatch";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"input must be a string tensor, got {ctx.InputDType(0).name}");
        _ = Pattern.Of(ctx);
        ctx.AddOutput(DType.@bool, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var pattern = Pattern.Of(op);
        System.Text.RegularExpressions.Regex? regex = null;
        return OpKernel.From(ctx =>
        {
            regex ??= RegexFullMatch.Compile(pattern, ctx.InvalidArgumentOf);
            RegexFullMatch.Match(regex, ctx.Input(0), ctx.AllocateUninitializedOutput(0, DType.@bool, ctx.Input(0).shape));
        });
    }

    /// <summary><c>gen_string_ops.static_regex_full_match(input, pattern)</c>.</summary>
    public static Tensor Build(TensorLike input, string pattern, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "StaticRegexFullMatch", input);
        return b.Create(Def, [b.Convert(input, "input")], new() { { Pattern, pattern } }).outputs[0];
    }
}
