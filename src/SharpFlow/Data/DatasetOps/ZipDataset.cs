using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>ZipDataset: the elements of several datasets side by side (<c>Dataset.zip</c>).</summary>
internal sealed class ZipDataset : DatasetOp
{
    public static readonly ZipDataset Def = new();
    
    private static readonly OpAttr<int> NAttr = new("N");

    public override string Type => "ZipDataset";

    protected override void Check(InferenceContext ctx)
    {
        if (ctx.Inputs.Count == 0) throw ctx.Error("zip needs at least one dataset");
        for (var i = 0; i < ctx.Inputs.Count; i++) CheckDataset(ctx, i, "input_datasets");
    }

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) =>
        new Data.Pipeline.ZipDataset(Enumerable.Range(0, ctx.InputCount).Select(i => InputDataset(ctx, i)).ToArray());

    /// <summary>The zip of <paramref name="datasets"/>, whose flat types and shapes are given.</summary>
    public static Tensor Build(Tensor[] datasets, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ZipDataset", [.. datasets.Select(c => (TensorLike)c)]);
        return Def.Create(b, datasets.Select(d => b.Convert(d, "input_datasets")).ToArray(), types, shapes, new() { { NAttr, datasets.Length } });
    }
}
