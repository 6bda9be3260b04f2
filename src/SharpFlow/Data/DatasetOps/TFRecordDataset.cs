using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>TFRecordDataset: the records of TFRecord files (inputs <c>filenames, compression_type, buffer_size</c>).</summary>
internal sealed class TFRecordDataset : DatasetOp
{
    public static readonly TFRecordDataset Def = new();

    public override string Type => "TFRecordDataset";

    protected override void Check(InferenceContext ctx) => FileDatasetChecks.Check(ctx, 3);

    protected override DatasetBase Make(OpKernelContext ctx, Operation op) =>
        new TFRecordFileDataset(FileNames.Of(ctx.Input(0), op.name), FileDatasetChecks.Compression(ctx, 1), op.name);

    /// <summary>The dataset of the records of <paramref name="filenames"/>.</summary>
    public static Tensor Build(TensorLike filenames, TensorLike compressionType, TensorLike bufferSize, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TFRecordDataset", filenames, compressionType, bufferSize);
        // TensorFlow's source datasets have no output_types/output_shapes attrs (their element is one string).
        return b.Create(Def, [b.Convert(filenames, "filenames", DType.@string), b.Convert(compressionType, "compression_type", DType.@string),
            b.Convert(bufferSize, "buffer_size", DType.int64)]).outputs[0];
    }
}

/// <summary>The input checks the file datasets share.</summary>
internal static class FileDatasetChecks
{
    public static void Check(InferenceContext ctx, int inputs)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"filenames must be string, got {ctx.InputDType(0).name}");
        if (ctx.InputShape(0) is { IsKnownRank: true, ndims: > 1 } s)
            throw ctx.Error($"Shape must be at most rank 1 but is rank {s.ndims} for 'filenames'");
        for (var i = 1; i < inputs; i++)
            if (ctx.InputShape(i) is { IsKnownRank: true, ndims: not 0 } r)
                throw ctx.Error($"Shape must be rank 0 but is rank {r.ndims} for input {i}");
    }

    public static string Compression(OpKernelContext ctx, int index) =>
        FileRecordDataset.CheckCompression(System.Text.Encoding.UTF8.GetString(ctx.Input(index).StringBytes()), ctx.op.name);
}
