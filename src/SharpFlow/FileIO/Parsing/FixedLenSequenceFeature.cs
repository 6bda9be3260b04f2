namespace SharpFlow.FileIO;

/// <summary>
/// <c>tf.FixedLenSequenceFeature(shape, dtype, allow_missing=False, default_value=None)</c>: a sequence of values of
/// <c>shape</c> (the steps of a SequenceExample's feature list, or in an Example the rows of a variable-length
/// feature padded with <c>default_value</c>, which needs <c>allow_missing</c>).
/// </summary>
public sealed class FixedLenSequenceFeature : FeatureSpec
{
    /// <summary>The configuration.</summary>
    public FixedLenSequenceFeature(Shape shape, DType dtype, bool allow_missing = false, object? default_value = null) : base(dtype)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!shape.IsFullyDefined) throw new ValueError($"FixedLenSequenceFeature needs a fully defined shape, got {shape}");
        this.shape = shape;
        this.allow_missing = allow_missing;
        this.default_value = default_value;
    }

    /// <summary>The shape of one step.</summary>
    public Shape shape { get; }

    /// <summary>True when a missing feature is an empty sequence.</summary>
    public bool allow_missing { get; }

    /// <summary>The padding value (a scalar), or null for zero or "".</summary>
    public object? default_value { get; }
}
