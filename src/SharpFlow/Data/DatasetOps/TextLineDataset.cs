using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>TextLineDataset: the lines of text files (inputs <c>filenames, compression_type, buffer_size</c>).</summary>
internal sealed class TextLineDataset : DatasetOp
{
    public static readonly TextLineDataset Def = new();

    public override string Type => "TextLineDataset";

    protected override void Check(InferenceContext ctx) => FileDatasetChecks.Check(ctx, 3);

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) =>
        new TextLineFileDataset(FileNames.Of(ctx.Input(0), op.name), FileDatasetChecks.Compression(ctx, 1), op.name);

    /// <summary>The dataset of the lines of <paramref name="filenames"/>.</summary>
    public static Tensor Build(TensorLike filenames, TensorLike compressionType, TensorLike bufferSize, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TextLineDataset", filenames, compressionType, bufferSize);
        // TensorFlow's source datasets have no output_types/output_shapes attrs (their element is one string).
        return b.Create(Def, [b.Convert(filenames, "filenames", DType.@string), b.Convert(compressionType, "compression_type", DType.@string),
            b.Convert(bufferSize, "buffer_size", DType.int64)]).outputs[0];
    }
}
