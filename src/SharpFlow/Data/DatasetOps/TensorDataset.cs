using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>TensorDataset: one element made of the input tensors (<c>Dataset.from_tensors</c>).</summary>
internal sealed class TensorDataset : DatasetOp
{
    public static readonly TensorDataset Def = new();

    public override string Type => "TensorDataset";

    protected override void Check(InferenceContext ctx)
    {
        if (ctx.Inputs.Count == 0) throw ctx.Error("a dataset element needs at least one component");
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var components = new NDArray[ctx.InputCount];
        for (var i = 0; i < components.Length; i++) components[i] = ctx.Input(i).Copy();
        return new Data.Pipeline.TensorDataset(components, Shapes(op));
    }

    /// <summary>The dataset of one element, <paramref name="components"/>.</summary>
    public static Tensor Build(Tensor[] components, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TensorDataset", [.. components.Select(c => (TensorLike)c)]);
        var inputs = components.Select((c, i) => b.Convert(c, $"component_{i}")).ToArray();
        return Def.Create(b, inputs, inputs.Select(c => c.dtype).ToArray(), inputs.Select(c => c.shape).ToArray(), typesAttr: ToutputTypes);
    }
}
