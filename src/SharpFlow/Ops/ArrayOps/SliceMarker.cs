namespace SharpFlow;

/// <summary>
/// The two markers Python writes inside <c>x[...]</c> without numbers: <see cref="NewAxis"/> (<c>tf.newaxis</c>,
/// Python's <c>None</c>) inserts a dimension of size 1, <see cref="Ellipsis"/> (<c>tf.ellipsis</c>, Python's
/// <c>...</c>) stands for as many whole dimensions as needed.
/// </summary>
public sealed class SliceMarker
{
    private readonly string _name;

    private SliceMarker(string name) => _name = name;

    /// <summary><c>tf.newaxis</c>: a new dimension of size 1.</summary>
    public static SliceMarker NewAxis { get; } = new("tf.newaxis");

    /// <summary>Python's <c>...</c>: every dimension not named by the other indices.</summary>
    public static SliceMarker Ellipsis { get; } = new("...");

    /// <summary>How Python writes the marker.</summary>
    public override string ToString() => _name;
}
