#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// <c>tf.FIFOQueue(capacity, dtypes, shapes, names, shared_name, name)</c>: a first-in first-out queue of
        /// tuples with components of <paramref name="dtypes"/> (and, when given, <paramref name="shapes"/>).
        /// </summary>
        public static FIFOQueue FIFOQueue(int capacity, DType[] dtypes, Shape[]? shapes = null, string[]? names = null,
            string? shared_name = null, string name = "fifo_queue") =>
            new(capacity, dtypes, shapes, names, shared_name, name);

        /// <summary><c>tf.FIFOQueue(capacity, dtype)</c>: a FIFO queue of one component.</summary>
        public static FIFOQueue FIFOQueue(int capacity, DType dtypes, Shape[]? shapes = null, string[]? names = null,
            string? shared_name = null, string name = "fifo_queue") =>
            new(capacity, [dtypes], shapes, names, shared_name, name);

        /// <summary>
        /// <c>tf.RandomShuffleQueue(capacity, min_after_dequeue, dtypes, shapes, names, seed, shared_name, name)</c>:
        /// dequeues elements in random order, keeping <paramref name="min_after_dequeue"/> behind until it is closed.
        /// </summary>
        public static RandomShuffleQueue RandomShuffleQueue(int capacity, int min_after_dequeue, DType[] dtypes, Shape[]? shapes = null,
            string[]? names = null, int? seed = null, string? shared_name = null, string name = "random_shuffle_queue") =>
            new(capacity, min_after_dequeue, dtypes, shapes, names, seed, shared_name, name);

        /// <summary><c>tf.RandomShuffleQueue(capacity, min_after_dequeue, dtype)</c>: a shuffling queue of one component.</summary>
        public static RandomShuffleQueue RandomShuffleQueue(int capacity, int min_after_dequeue, DType dtypes, Shape[]? shapes = null,
            string[]? names = null, int? seed = null, string? shared_name = null, string name = "random_shuffle_queue") =>
            new(capacity, min_after_dequeue, [dtypes], shapes, names, seed, shared_name, name);

        /// <summary>
        /// <c>tf.PaddingFIFOQueue(capacity, dtypes, shapes, names, shared_name, name)</c>: a FIFO queue whose shapes
        /// may have unknown (-1) dimensions; <c>dequeue_many</c> pads each batch to its largest element.
        /// </summary>
        public static PaddingFIFOQueue PaddingFIFOQueue(int capacity, DType[] dtypes, Shape[] shapes, string[]? names = null,
            string? shared_name = null, string name = "padding_fifo_queue") =>
            new(capacity, dtypes, shapes, names, shared_name, name);

        /// <summary><c>tf.TextLineReader(skip_header_lines, name)</c>: a reader of text lines, key <c>file:line</c>.</summary>
        public static TextLineReader TextLineReader(int? skip_header_lines = null, string? name = null) => new(skip_header_lines ?? 0, name);

        /// <summary><c>tf.WholeFileReader(name)</c>: a reader of whole files, key the file name.</summary>
        public static WholeFileReader WholeFileReader(string? name = null) => new(name);

        /// <summary><c>tf.TFRecordReader(name, options)</c>: a reader of TFRecord files; <paramref name="compression_type"/> "", "GZIP" or "ZLIB".</summary>
        public static TFRecordReader TFRecordReader(string? name = null, string compression_type = "") => new(name, compression_type);

        /// <summary><c>tf.FixedLengthRecordReader(record_bytes, header_bytes, footer_bytes, hop_bytes, name)</c>: fixed-size records.</summary>
        public static FixedLengthRecordReader FixedLengthRecordReader(int record_bytes, int? header_bytes = null, int? footer_bytes = null, int? hop_bytes = null,
            string? name = null) =>
            new(record_bytes, header_bytes ?? 0, footer_bytes ?? 0, hop_bytes ?? 0, name);
    }
}
