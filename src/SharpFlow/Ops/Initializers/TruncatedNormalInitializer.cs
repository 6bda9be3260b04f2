namespace SharpFlow.Ops.Initializers;

/// <summary><c>tf.truncated_normal_initializer(mean=0, stddev=1, seed)</c>: normal values redrawn beyond two standard deviations.</summary>
public sealed class TruncatedNormalInitializer(double mean = 0.0, double stddev = 1.0, int? seed = null, DType? dtype = null) : Initializer(dtype)
{
    /// <summary>The mean.</summary>
    public double mean { get; } = mean;
    /// <summary>The standard deviation before truncation.</summary>
    public double stddev { get; } = stddev;
    /// <summary>The op-level seed.</summary>
    public int? seed { get; } = seed;

    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null) =>
        Ops.RandomOps.TruncatedNormal.Build(shape, mean, stddev, dtype ?? this.dtype, seed);
}
