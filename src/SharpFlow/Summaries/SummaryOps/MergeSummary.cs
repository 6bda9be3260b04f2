using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Summaries;

namespace SharpFlow.Summaries.SummaryOps;

/// <summary>MergeSummary: the union of several serialized summaries' values (<c>tf.summary.merge</c>); a tag twice is an error.</summary>
internal sealed class MergeSummary : SummaryOp
{
    public static readonly MergeSummary Def = new();
    internal static readonly OpAttr<int> N = new("N");

    public override string Type => "MergeSummary";

    public override void InferShapes(InferenceContext ctx)
    {
        for (var i = 0; i < ctx.Inputs.Count; i++) CheckString(ctx, i, "inputs");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var values = new List<SummaryValue>();
        var tags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ctx.InputCount; i++)
        {
            var input = ctx.Input(i);
            for (var j = 0; j < input.size; j++)
            {
                foreach (var v in Summaries.Summary.FromString(input.StringBytes(j)).value)
                {
                    if (!tags.Add(v.tag)) throw ctx.InvalidArgument($"Duplicate tag {v.tag} found in summary inputs");
                    values.Add(v);
                }
            }
        }
        Output(ctx, new Summaries.Summary(values));
    });

    /// <summary><c>tf.summary.merge(inputs)</c>.</summary>
    public static Tensor Build(IReadOnlyList<Tensor> inputs, IEnumerable<string>? collections = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ValueError("tf.summary.merge needs at least one summary");
        using var b = OpBuilder.Begin(name, "Merge", [.. inputs.Select(t => (TensorLike)t)]);
        var tensors = inputs.Select((t, i) => b.Convert(t, $"inputs_{i}")).ToArray();
        var output = b.Create(Def, tensors, new() { { N, tensors.Length } }).outputs[0];
        foreach (var key in collections ?? []) b.Graph.add_to_collection(key, output);
        return output;
    }
}
