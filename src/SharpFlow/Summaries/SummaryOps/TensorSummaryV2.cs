using SharpFlow.FileIO;
using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Summaries;

namespace SharpFlow.Summaries.SummaryOps;

/// <summary>
/// TensorSummaryV2: a tensor with plugin metadata; SharpFlow writes string tensors for TensorBoard's text plugin
/// (<c>tf.summary.text</c>), joining the elements of a non-scalar tensor by newlines.
/// </summary>
internal sealed class TensorSummaryV2 : SummaryOp
{
    public static readonly TensorSummaryV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "TensorSummaryV2";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckString(ctx, 0, "tag");
        CheckString(ctx, 1, "tensor");
        CheckString(ctx, 2, "serialized_summary_metadata");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (tag, tensor) = (ctx.Input(0), ctx.Input(1));
        var text = string.Join("\n", Enumerable.Range(0, tensor.size).Select(i => Text(tensor, i)));
        Output(ctx, new Summaries.Summary(SummaryValue.FromText(Text(tag), text)));
    });

    /// <summary><c>tf.summary.text(name, tensor)</c>.</summary>
    public static Tensor Build(string name, TensorLike tensor, IEnumerable<string>? collections = null) =>
        Build(Def, name, null, tensor, collections, (b, tag, value) =>
        {
            // A serialized SummaryMetadata { plugin_data { plugin_name: "text" } }, as tf.summary.text passes it.
            var serialized = new ProtoWriter().Message(1, new ProtoWriter().String(1, "text")).ToArray();
            var metadata = Ops.ArrayOps.Const.Create(b.Graph, new NDArray(new[] { serialized }, Shape.Scalar), "summary_metadata");
            return ([tag, value, metadata], new() { { T, value.dtype } });
        });
}
