using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.DatasetOps;

/// <summary>
/// FixedLengthRecordDataset: records of <c>record_bytes</c> between a header and a footer (inputs
/// <c>filenames, header_bytes, record_bytes, footer_bytes, buffer_size</c>).
/// </summary>
internal sealed class FixedLengthRecordDataset : DatasetOp
{
    public static readonly FixedLengthRecordDataset Def = new();

    public override string Type => "FixedLengthRecordDataset";

    protected override void Check(InferenceContext ctx) => FileDatasetChecks.Check(ctx, 5);

    protected override DatasetBase Make(OpKernelContext ctx, Operation op)
    {
        var header = Int64(ctx, 1, "header_bytes");
        if (header < 0) throw ctx.InvalidArgument("`header_bytes` must be >= 0");
        var record = Int64(ctx, 2, "record_bytes");
        if (record <= 0) throw ctx.InvalidArgument("`record_bytes` must be > 0");
        var footer = Int64(ctx, 3, "footer_bytes");
        if (footer < 0) throw ctx.InvalidArgument("`footer_bytes` must be >= 0");
        return new FixedLengthFileDataset(FileNames.Of(ctx.Input(0), op.name), header, record, footer, "", op.name);
    }

    /// <summary>The dataset of the fixed-length records of <paramref name="filenames"/>.</summary>
    public static Tensor Build(TensorLike filenames, TensorLike headerBytes, TensorLike recordBytes, TensorLike footerBytes, TensorLike bufferSize, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "FixedLengthRecordDataset", filenames, headerBytes, recordBytes, footerBytes, bufferSize);
        // TensorFlow's source datasets have no output_types/output_shapes attrs (their element is one string).
        return b.Create(Def, [b.Convert(filenames, "filenames", DType.@string), b.Convert(headerBytes, "header_bytes", DType.int64),
            b.Convert(recordBytes, "record_bytes", DType.int64), b.Convert(footerBytes, "footer_bytes", DType.int64),
            b.Convert(bufferSize, "buffer_size", DType.int64)]).outputs[0];
    }
}
