namespace SharpFlow.Ops.Initializers;

/// <summary>
/// <c>tf.glorot_uniform_initializer(seed)</c> (Xavier uniform): uniform in ±sqrt(6 / (fan_in + fan_out)).
/// The default initializer of <c>tf.get_variable</c> for floating-point variables.
/// </summary>
public sealed class GlorotUniformInitializer(int? seed = null, DType? dtype = null)
    : VarianceScalingInitializer(1.0, "fan_avg", "uniform", seed, dtype);
