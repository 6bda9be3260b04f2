using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>IgnoreErrorsDataset: <c>tf.data.experimental.ignore_errors()</c>, the input without the elements that failed.</summary>
internal sealed class IgnoreErrorsDataset : DatasetOp
{
    public static readonly IgnoreErrorsDataset Def = new();

    public override string Type => "IgnoreErrorsDataset";

    protected override void Check(InferenceContext ctx) => CheckDataset(ctx, 0, "input_dataset");

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) => new Data.Pipeline.IgnoreErrorsDataset(InputDataset(ctx, 0));

    /// <summary>The dataset; <paramref name="types"/> and <paramref name="shapes"/> are the input's.</summary>
    public static Tensor Build(Tensor input, DType[] types, Shape[] shapes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "IgnoreErrorsDataset", input);
        return Def.Create(b, [b.Convert(input, "input_dataset")], types, shapes);
    }
}
