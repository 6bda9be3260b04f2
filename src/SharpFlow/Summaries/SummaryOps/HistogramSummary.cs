using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Summaries;

namespace SharpFlow.Summaries.SummaryOps;

/// <summary>HistogramSummary: a <c>Summary</c> with the histogram of all of <c>values</c>, in TensorFlow's buckets (<c>tf.summary.histogram</c>).</summary>
internal sealed class HistogramSummary : SummaryOp
{
    public static readonly HistogramSummary Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.float32);

    public override string Type => "HistogramSummary";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckString(ctx, 0, "tag");
        CheckNumeric(ctx, 1, "values");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (tag, values) = (ctx.Input(0), ctx.Input(1));
        if (tag.size != 1) throw ctx.InvalidArgument($"tag must be a scalar, got shape {tag.shape.ToListString()}");
        // A NaN or an infinity is refused by the histogram itself, with TensorFlow's message naming the tag.
        Output(ctx, new Summaries.Summary(SummaryValue.FromHistogram(Text(tag), values)));
    });

    /// <summary><c>tf.summary.histogram(name, values)</c>.</summary>
    public static Tensor Build(string name, TensorLike values, IEnumerable<string>? collections = null, string? family = null) =>
        Build(Def, name, family, values, collections, (b, tag, value) => ([tag, value], new() { { T, value.dtype } }));
}
