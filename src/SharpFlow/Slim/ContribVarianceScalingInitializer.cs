namespace SharpFlow.Slim;

/// <summary>
/// contrib's <c>variance_scaling_initializer(factor=2.0, mode='FAN_IN', uniform=False)</c> (not the core one): the fans
/// are <c>shape[-2]</c> and <c>shape[-1]</c> times the receptive field; uniform samples in
/// ±sqrt(3·factor/n), otherwise a truncated normal of stddev sqrt(1.3·factor/n). <c>xavier_initializer()</c> is
/// factor 1, FAN_AVG.
/// </summary>
public sealed class ContribVarianceScalingInitializer : Initializer
{
    /// <summary>Creates the initializer; errors as contrib's.</summary>
    public ContribVarianceScalingInitializer(double factor = 2.0, string mode = "FAN_IN", bool uniform = false, int? seed = null, DType? dtype = null)
        : base(dtype)
    {
        if (!this.dtype.is_floating) throw new TypeError("Cannot create initializer for non-floating point type.");
        if (mode is not ("FAN_IN" or "FAN_OUT" or "FAN_AVG")) throw new TypeError($"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]");
        this.factor = factor;
        this.mode = mode;
        this.uniform = uniform;
        this.seed = seed;
    }

    /// <summary>The variance factor.</summary>
    public double factor { get; }
    /// <summary>FAN_IN, FAN_OUT or FAN_AVG.</summary>
    public string mode { get; }
    /// <summary>Uniform rather than truncated normal.</summary>
    public bool uniform { get; }
    /// <summary>The op-level seed.</summary>
    public int? seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var type = dtype ?? this.dtype;
        if (!type.is_floating) throw new TypeError("Cannot create initializer for non-floating point type.");
        var dims = shape.Dims;
        double fanIn = 1, fanOut = 1;
        if (dims.Length > 0)
        {
            fanIn = dims.Length > 1 ? dims[^2] : dims[^1];
            fanOut = dims[^1];
        }
        for (var i = 0; i < dims.Length - 2; i++)
        {
            fanIn *= dims[i];
            fanOut *= dims[i];
        }
        var n = mode switch { "FAN_IN" => fanIn, "FAN_OUT" => fanOut, _ => (fanIn + fanOut) / 2.0 };
        if (uniform)
        {
            var limit = System.Math.Sqrt(3.0 * factor / n);
            return Ops.RandomOps.RandomUniform.Build(shape, -limit, limit, type, seed);
        }
        return Ops.RandomOps.TruncatedNormal.Build(shape, 0.0, System.Math.Sqrt(1.3 * factor / n), type, seed);
    }
}
