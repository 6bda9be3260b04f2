using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Summaries;

namespace SharpFlow.Summaries.SummaryOps;

/// <summary>
/// What the summary ops share: a scalar string output holding a serialized <c>Summary</c> protocol buffer, no
/// gradient, and the way <c>tf.summary.*</c> builds them (a name scope named after the summary, whose name is the
/// tag; the op goes into the <c>SUMMARIES</c> collection).
/// </summary>
internal abstract class SummaryOp : OpDef
{
    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    /// <summary>Checks that input <paramref name="index"/> is a string tensor.</summary>
    protected static void CheckString(InferenceContext ctx, int index, string what)
    {
        if (ctx.InputDType(index) != DType.@string) throw ctx.TypeError($"{what} must be a string tensor, got {ctx.InputDType(index).name}");
    }

    /// <summary>Checks that input <paramref name="index"/> is numeric.</summary>
    protected static void CheckNumeric(InferenceContext ctx, int index, string what)
    {
        var d = ctx.InputDType(index);
        if (!d.IsNumeric) throw ctx.TypeError($"{what} must be numeric, got {d.name}");
    }

    /// <summary>The serialized summary as the op's scalar string output.</summary>
    protected static void Output(OpKernelContext ctx, Summaries.Summary summary) =>
        ctx.ForwardOutput(0, new NDArray(new[] { summary.SerializeToString() }, Shape.Scalar));

    /// <summary>The UTF-8 text of a string tensor's element.</summary>
    protected static string Text(NDArray strings, int index = 0) => System.Text.Encoding.UTF8.GetString(strings.StringBytes(index));

    /// <summary>
    /// Builds a summary op as <c>tf.summary.*</c> does: inside a unique name scope named after the summary (also its
    /// tag), with the tag as a string constant, added to <paramref name="collections"/> (default SUMMARIES).
    /// </summary>
    protected static Tensor Build(OpDef def, string name, string? family, TensorLike values, IEnumerable<string>? collections,
        Func<OpBuilder, Tensor, Tensor, (Tensor[] Inputs, Dictionary<string, object> Attrs)> inputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var clean = CleanTag(family is null ? name : $"{CleanTag(family)}/{name}");
        using var b = OpBuilder.Begin(clean, def.Type, values);
        // TensorFlow's summary_scope: the tag is the scope's name, prefixed by the family once more when there is one.
        var tag = Ops.ArrayOps.Const.Create(b.Graph, NDArray.FromStrings([family is null ? b.Name : $"{CleanTag(family)}/{b.Name}"]), "tag");
        var (tensors, attrs) = inputs(b, tag, b.Convert(values, "values"));
        var output = b.Create(def, tensors, attrs).outputs[0];
        foreach (var key in collections ?? [GraphKeys.SUMMARIES]) b.Graph.add_to_collection(key, output);
        return output;
    }

    /// <summary>TensorFlow's <c>_clean_tag</c>: characters outside <c>[A-Za-z0-9_./-]</c> become underscores.</summary>
    internal static string CleanTag(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-' ? c : '_').ToArray();
        var tag = new string(chars).TrimStart('/');
        return tag.Length == 0 ? "summary" : tag;
    }
}
