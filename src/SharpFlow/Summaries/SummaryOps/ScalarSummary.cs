using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Summaries;

namespace SharpFlow.Summaries.SummaryOps;

/// <summary>ScalarSummary: a <c>Summary</c> with one <c>simple_value</c> per element of <c>values</c>, tagged by <c>tags</c> (<c>tf.summary.scalar</c>).</summary>
internal sealed class ScalarSummary : SummaryOp
{
    public static readonly ScalarSummary Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "ScalarSummary";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckString(ctx, 0, "tags");
        CheckNumeric(ctx, 1, "values");
        if (!ctx.InputShape(0).IsCompatibleWith(ctx.InputShape(1)))
            throw ctx.Error($"tags and values must have the same shape, got {ctx.InputShape(0).ToListString()} and {ctx.InputShape(1).ToListString()}");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (tags, values) = (ctx.Input(0), ctx.Input(1));
        if (tags.shape != values.shape)
            throw ctx.InvalidArgument($"tags and values are not the same shape: {tags.shape.ToListString()} != {values.shape.ToListString()}");
        var numbers = values.Cast(DType.float64).AsReadOnlySpan<double>();
        var list = new List<SummaryValue>();
        for (var i = 0; i < numbers.Length; i++) list.Add(SummaryValue.FromScalar(Text(tags, i), numbers[i]));
        Output(ctx, new Summaries.Summary(list));
    });

    /// <summary><c>tf.summary.scalar(name, tensor)</c>: the tensor must be a scalar.</summary>
    public static Tensor Build(string name, TensorLike tensor, IEnumerable<string>? collections = null, string? family = null) =>
        Build(Def, name, family, tensor, collections, (b, tag, value) =>
        {
            if (value.shape.IsKnownRank && value.shape.ndims != 0)
                throw new ValueError($"tf.summary.scalar \"{b.Name}\": the tensor must be a scalar, got shape {value.shape.ToListString()}");
            return ([tag, value], new() { { T, value.dtype } });
        });
}
