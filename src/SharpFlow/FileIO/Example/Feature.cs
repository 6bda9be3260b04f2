namespace SharpFlow.FileIO;

/// <summary>TensorFlow's <c>tf.train.Feature</c>: one of a bytes, float or int64 list (the last one given wins, as a proto oneof).</summary>
public sealed class Feature
{
    /// <summary>A feature holding one of the lists.</summary>
    public Feature(BytesList? bytes_list = null, FloatList? float_list = null, Int64List? int64_list = null)
    {
        if (new object?[] { bytes_list, float_list, int64_list }.Count(x => x is not null) > 1)
            throw new ValueError("A Feature holds one of bytes_list, float_list and int64_list, not several.");
        this.bytes_list = bytes_list;
        this.float_list = float_list;
        this.int64_list = int64_list;
    }

    /// <summary>The byte strings, when the feature holds them.</summary>
    public BytesList? bytes_list { get; }

    /// <summary>The floats, when the feature holds them.</summary>
    public FloatList? float_list { get; }

    /// <summary>The int64 values, when the feature holds them.</summary>
    public Int64List? int64_list { get; }

    /// <summary>The name of the list the feature holds ("bytes_list", "float_list", "int64_list"), or null (<c>WhichOneof('kind')</c>).</summary>
    public string? WhichOneof(string oneof_group = "kind") =>
        bytes_list is not null ? "bytes_list" : float_list is not null ? "float_list" : int64_list is not null ? "int64_list" : null;
}
