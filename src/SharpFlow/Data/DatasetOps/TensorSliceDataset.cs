using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>TensorSliceDataset: the rows of the input tensors along their first axis (<c>Dataset.from_tensor_slices</c>).</summary>
internal sealed class TensorSliceDataset : DatasetOp
{
    public static readonly TensorSliceDataset Def = new();

    public override string Type => "TensorSliceDataset";

    protected override void Check(InferenceContext ctx)
    {
        if (ctx.Inputs.Count == 0) throw ctx.Error("a dataset element needs at least one component");
        var rows = -1;
        for (var i = 0; i < ctx.Inputs.Count; i++)
        {
            var s = ctx.InputShape(i);
            if (!s.IsKnownRank) continue;
            if (s.ndims == 0) throw ctx.Error($"Shape must be at least rank 1 but is rank 0 for component {i}");
            if (s[0] < 0) continue;
            if (rows >= 0 && s[0] != rows) throw ctx.Error($"Dimensions {rows} and {s[0]} are not compatible: all components must have the same size in the 0th dimension");
            rows = s[0];
        }
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var components = new NDArray[ctx.InputCount];
        for (var i = 0; i < components.Length; i++) components[i] = ctx.Input(i).Copy();
        return new Data.Pipeline.TensorSliceDataset(components, Shapes(op), op.name);
    }

    /// <summary>The dataset of the rows of <paramref name="components"/>.</summary>
    public static Tensor Build(Tensor[] components, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TensorSliceDataset", [.. components.Select(c => (TensorLike)c)]);
        var inputs = components.Select((c, i) => b.Convert(c, $"component_{i}")).ToArray();
        var shapes = inputs.Select(c => c.shape.IsKnownRank && c.shape.ndims > 0 ? new Shape(c.shape.Dims[1..]) : Shape.Unknown).ToArray();
        return Def.Create(b, inputs, inputs.Select(c => c.dtype).ToArray(), shapes, typesAttr: ToutputTypes);
    }
}
