namespace SharpFlow;

/// <summary>
/// A height and width for layer arguments (<c>kernel_size</c>, <c>strides</c>, <c>pool_size</c>): a number means
/// both, as in TensorFlow (<c>kernel_size: 5</c>, <c>kernel_size: new[] { 5, 3 }</c>, <c>strides: (2, 1)</c>).
/// </summary>
public readonly record struct Size2D(int Height, int Width)
{
    /// <summary>The same size in both directions.</summary>
    public static implicit operator Size2D(int size) => new(size, size);

    /// <summary>From (height, width).</summary>
    public static implicit operator Size2D((int Height, int Width) size) => new(size.Height, size.Width);

    /// <summary>From an array of one or two entries.</summary>
    public static implicit operator Size2D(int[] size) => (size ?? throw new ArgumentNullException(nameof(size))).Length switch
    {
        1 => new(size[0], size[0]),
        2 => new(size[0], size[1]),
        _ => throw new ValueError($"a 2-D size must have 1 or 2 entries, got [{string.Join(", ", size)}]"),
    };

    /// <summary>The NHWC form <c>[1, height, width, 1]</c> that the ops take.</summary>
    public int[] ToNhwc() => [1, Height, Width, 1];

    /// <inheritdoc/>
    public override string ToString() => $"({Height}, {Width})";
}
