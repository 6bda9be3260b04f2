using SharpFlow.FileIO.ReaderOps;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow;

/// <summary>
/// TensorFlow 1.x's <c>tf.ReaderBase</c>: a reader living in each session that runs it, producing (key, value)
/// string records from the files named by a queue of file names (<c>tf.train.string_input_producer</c>).
/// </summary>
public class ReaderBase
{
    internal ReaderBase(Tensor readerRef) => reader_ref = readerRef;

    /// <summary>The reader's resource handle.</summary>
    public Tensor reader_ref { get; }

    /// <summary>Whether the reader can save its state (none of SharpFlow's readers do).</summary>
#pragma warning disable CA1822 // an instance property, as in TensorFlow
    public bool supports_serialize => false;
#pragma warning restore CA1822

    /// <summary>The next record: (key, value) string scalars, the key naming the file and the record's place in it.</summary>
    public (Tensor key, Tensor value) read(QueueBase queue, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return read(queue.queue_ref, name);
    }

    /// <summary>The next record from the queue behind a queue handle.</summary>
    public (Tensor key, Tensor value) read(Tensor queue_ref, string? name = null)
    {
        using var b = OpBuilder.Begin(reader_ref.graph, name, "ReaderReadV2");
        var op = b.Create(ReaderReadV2.Def, [reader_ref, b.Convert(queue_ref, "queue_handle")]);
        return (op.outputs[0], op.outputs[1]);
    }

    /// <summary>Up to <paramref name="num_records"/> records as (keys, values) string vectors.</summary>
    public (Tensor keys, Tensor values) read_up_to(QueueBase queue, TensorLike num_records, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        using var b = OpBuilder.Begin(reader_ref.graph, name, "ReaderReadUpToV2");
        var op = b.Create(ReaderReadUpToV2.Def, [reader_ref, queue.queue_ref, b.Convert(num_records, "num_records", DType.int64)]);
        return (op.outputs[0], op.outputs[1]);
    }

    /// <summary>How many records the reader has produced (int64).</summary>
    public Tensor num_records_produced(string? name = null)
    {
        using var b = OpBuilder.Begin(reader_ref.graph, name, "ReaderNumRecordsProducedV2");
        return b.Create(ReaderNumRecordsProducedV2.Def, [reader_ref]).outputs[0];
    }

    /// <summary>How many files the reader has finished (int64).</summary>
    public Tensor num_work_units_completed(string? name = null)
    {
        using var b = OpBuilder.Begin(reader_ref.graph, name, "ReaderNumWorkUnitsCompletedV2");
        return b.Create(ReaderNumWorkUnitsCompletedV2.Def, [reader_ref]).outputs[0];
    }

    /// <summary>Returns the reader to its initial state.</summary>
    public Operation reset(string? name = null)
    {
        using var b = OpBuilder.Begin(reader_ref.graph, name, "ReaderResetV2");
        return b.Create(ReaderResetV2.Def, [reader_ref]);
    }
}

/// <summary>TensorFlow's <c>tf.TextLineReader</c>: one record per line, key <c>file:line</c>.</summary>
public sealed class TextLineReader(int skip_header_lines = 0, string? name = null) : ReaderBase(TextLineReaderV2.Build(skip_header_lines, name));

/// <summary>TensorFlow's <c>tf.WholeFileReader</c>: one record per file, key the file name.</summary>
public sealed class WholeFileReader(string? name = null) : ReaderBase(WholeFileReaderV2.Build(name));

/// <summary>TensorFlow's <c>tf.TFRecordReader</c>: the records of TFRecord files, key <c>file:offset</c>; <c>compression_type</c> "", "GZIP" or "ZLIB".</summary>
public sealed class TFRecordReader(string? name = null, string compression_type = "") : ReaderBase(TFRecordReaderV2.Build(compression_type, name));

/// <summary>TensorFlow's <c>tf.FixedLengthRecordReader</c>: records of a fixed number of bytes, key <c>file:n</c>.</summary>
public sealed class FixedLengthRecordReader(int record_bytes, int header_bytes = 0, int footer_bytes = 0, int hop_bytes = 0, string? name = null)
    : ReaderBase(FixedLengthRecordReaderV2.Build(record_bytes, header_bytes, footer_bytes, hop_bytes, name));
