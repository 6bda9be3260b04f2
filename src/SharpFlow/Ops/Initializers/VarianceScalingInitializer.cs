namespace SharpFlow.Ops.Initializers;

/// <summary>
/// <c>tf.variance_scaling_initializer(scale, mode, distribution)</c> (TensorFlow 1.x): the variance is
/// <c>scale / n</c> with n the fan-in, the fan-out or their average; "truncated_normal" (and its old alias
/// "normal") divides the standard deviation by 0.8796… to undo the truncation's shrinkage, "untruncated_normal"
/// samples a plain normal, "uniform" samples in ±sqrt(3·variance).
/// </summary>
public class VarianceScalingInitializer : Initializer
{
    /// <summary>Creates the initializer; errors name the bad argument as TensorFlow does.</summary>
    public VarianceScalingInitializer(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal", int? seed = null, DType? dtype = null)
        : base(dtype)
    {
        if (scale <= 0) throw new ValueError("`scale` must be positive float.");
        if (mode is not ("fan_in" or "fan_out" or "fan_avg")) throw new ValueError($"Invalid `mode` argument: {mode}");
        if (distribution is not ("normal" or "uniform" or "truncated_normal" or "untruncated_normal"))
            throw new ValueError($"Invalid `distribution` argument: {distribution}");
        this.scale = scale;
        this.mode = mode;
        this.distribution = distribution;
        this.seed = seed;
    }

    /// <summary>The scale.</summary>
    public double scale { get; }
    /// <summary>fan_in, fan_out or fan_avg.</summary>
    public string mode { get; }
    /// <summary>truncated_normal, untruncated_normal or uniform.</summary>
    public string distribution { get; }
    /// <summary>The op-level seed.</summary>
    public int? seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var type = dtype ?? this.dtype;
        if (!type.is_floating) throw new ValueError($"Expected floating point type, got {type.Repr}.");
        var (fanIn, fanOut) = ComputeFans(shape);
        var s = scale / mode switch
        {
            "fan_in" => System.Math.Max(1.0, fanIn),
            "fan_out" => System.Math.Max(1.0, fanOut),
            _ => System.Math.Max(1.0, (fanIn + fanOut) / 2.0),
        };
        switch (distribution)
        {
            case "normal":
            case "truncated_normal":
                // Constant from scipy.stats.truncnorm.std(a=-2, b=2, loc=0., scale=1.).
                return Ops.RandomOps.TruncatedNormal.Build(shape, 0.0, System.Math.Sqrt(s) / .87962566103423978, type, seed);
            case "untruncated_normal":
                return Ops.RandomOps.RandomStandardNormal.Build(shape, 0.0, System.Math.Sqrt(s), type, seed);
            default:
                var limit = System.Math.Sqrt(3.0 * s);
                return Ops.RandomOps.RandomUniform.Build(shape, -limit, limit, type, seed);
        }
    }
}
