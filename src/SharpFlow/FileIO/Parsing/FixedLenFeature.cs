namespace SharpFlow.FileIO;

/// <summary>
/// <c>tf.FixedLenFeature(shape, dtype, default_value=None)</c>: a dense feature of a fixed shape; without a
/// default the feature is required.
/// </summary>
public sealed class FixedLenFeature : FeatureSpec
{
    /// <summary>The configuration.</summary>
    public FixedLenFeature(Shape shape, DType dtype, object? default_value = null) : base(dtype)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!shape.IsFullyDefined) throw new ValueError($"FixedLenFeature needs a fully defined shape, got {shape}");
        this.shape = shape;
        this.default_value = default_value;
    }

    /// <summary>The shape of one example's value.</summary>
    public Shape shape { get; }

    /// <summary>The value of examples without the feature (a number, an array, a string), or null.</summary>
    public object? default_value { get; }
}
