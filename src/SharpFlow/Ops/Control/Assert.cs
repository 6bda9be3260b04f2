using System.Text;
using SharpFlow.Framework;

namespace SharpFlow.Ops.Control;

/// <summary>
/// Assert: an InvalidArgumentError <c>assertion failed: [data...]</c> when <c>condition</c> is false, with up to
/// <c>summarize</c> entries of each data tensor printed (TensorFlow's <c>tf.Assert</c>); nothing otherwise. Ops that
/// must not run on bad values take it as a control dependency.
/// </summary>
internal sealed class Assert : OpDef
{
    public static readonly Assert Def = new();

    private static readonly OpAttr<int> SummarizeAttr = new("summarize", 3);
    internal static readonly OpAttr<DType[]> T = new("T");

    public override string Type => "Assert";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@bool) throw ctx.TypeError($"condition must be a bool tensor, got {ctx.InputDType(0).name}");
        if (ctx.InputShape(0).IsKnownRank && ctx.InputShape(0).ndims != 0)
            throw ctx.Error($"Shape must be rank 0 but is rank {ctx.InputShape(0).ndims} for the condition");
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var summarize = SummarizeAttr.Of(op);
        return OpKernel.From(ctx =>
        {
            var condition = ctx.Input(0);
            if (condition.size != 1) throw ctx.InvalidArgument($"In[0] expected to be a scalar, got shape {condition.shape.ToListString()}");
            if (condition.item<bool>()) return;
            var message = new StringBuilder("assertion failed: ");
            for (var i = 1; i < ctx.InputCount; i++)
            {
                if (i > 1) message.Append(' ');
                message.Append('[').Append(Summarize(ctx.Input(i), summarize)).Append(']');
            }
            throw ctx.InvalidArgument(message.ToString());
        });
    }

    private static string Summarize(NDArray value, int summarize)
    {
        var n = System.Math.Min(value.size, summarize);
        var items = new string[n];
        if (value.dtype == DType.@string)
            for (var i = 0; i < n; i++) items[i] = Encoding.UTF8.GetString(value.StringBytes(i));
        else
        {
            var flat = value.ToArray<double>();
            for (var i = 0; i < n; i++)
                items[i] = value.dtype.is_floating ? flat[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)
                    : value.dtype == DType.@bool ? (flat[i] != 0 ? "1" : "0")
                    : ((long)flat[i]).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return string.Join(' ', items) + (value.size > n ? "..." : "");
    }

    /// <summary><c>tf.Assert(condition, data, summarize)</c>; strings in <paramref name="data"/> become string constants.</summary>
    public static Operation Build(TensorLike condition, IReadOnlyList<object> data, int summarize = 3, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Assert", condition);
        var c = b.Convert(condition, "condition", DType.@bool);
        var inputs = new List<Tensor> { c };
        for (var i = 0; i < data.Count; i++)
            inputs.Add(data[i] switch
            {
                string s => ArrayOps.Const.Create(b.Graph, NDArray.FromStrings([s]), $"data_{i}"),
                Tensor t => b.Convert(t, $"data_{i}"),
                NDArray a => b.Convert(a, $"data_{i}"),
                _ => throw new TypeError($"tf.Assert data must be strings, tensors or arrays, got {data[i]?.GetType().Name ?? "null"}."),
            });
        return b.Create(Def, [.. inputs], new() { { T, inputs.Skip(1).Select(t => t.dtype).ToArray() }, { SummarizeAttr, summarize } });
    }
}
