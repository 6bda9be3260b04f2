using SharpFlow.Summaries;

namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.python_io.TFRecordCompressionType</c>.</summary>
public enum TFRecordCompressionType
{
    /// <summary>Plain framed records.</summary>
    NONE = 0,
    /// <summary>A zlib stream (RFC 1950) of the framed records.</summary>
    ZLIB = 1,
    /// <summary>A gzip stream (RFC 1952) of the framed records.</summary>
    GZIP = 2,
}

/// <summary><c>tf.python_io.TFRecordOptions</c>: how a TFRecord file is compressed.</summary>
public sealed class TFRecordOptions
{
    /// <summary>Options of the given compression type.</summary>
    public TFRecordOptions(TFRecordCompressionType compression_type = TFRecordCompressionType.NONE, int compression_level = -1)
    {
        this.compression_type = compression_type;
        this.compression_level = compression_level;
    }

    /// <summary>Options from a compression name: "" or "NONE", "GZIP", "ZLIB".</summary>
    public TFRecordOptions(string compression_type, int compression_level = -1)
        : this(TFRecord.Compression(compression_type) switch
        {
            "GZIP" => TFRecordCompressionType.GZIP,
            "ZLIB" => TFRecordCompressionType.ZLIB,
            _ => TFRecordCompressionType.NONE,
        }, compression_level)
    {
    }

    /// <summary>The compression.</summary>
    public TFRecordCompressionType compression_type { get; }

    /// <summary>zlib's level, 0 to 9 (-1: the default).</summary>
    public int compression_level { get; }

    /// <summary>TensorFlow's name of the options' compression ("", "ZLIB" or "GZIP").</summary>
    public static string get_compression_type_string(TFRecordOptions? options) => options?.compression_type switch
    {
        TFRecordCompressionType.GZIP => "GZIP",
        TFRecordCompressionType.ZLIB => "ZLIB",
        _ => "",
    };
}
