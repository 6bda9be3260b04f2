namespace SharpFlow.Ops.Initializers;

/// <summary>
/// <c>tf.glorot_normal_initializer(seed)</c> (Xavier normal): a truncated normal with standard deviation
/// sqrt(2 / (fan_in + fan_out)) after truncation.
/// </summary>
public sealed class GlorotNormalInitializer(int? seed = null, DType? dtype = null)
    : VarianceScalingInitializer(1.0, "fan_avg", "truncated_normal", seed, dtype);
