namespace SharpFlow.Ops.Initializers;

/// <summary><c>tf.random_uniform_initializer(minval=0, maxval=1, seed)</c>: uniform in [minval, maxval).</summary>
public sealed class RandomUniformInitializer(double minval = 0.0, double? maxval = null, int? seed = null, DType? dtype = null) : Initializer(dtype)
{
    /// <summary>The lower bound.</summary>
    public double minval { get; } = minval;
    /// <summary>The upper bound (exclusive); null means 1 for floats (integers need it).</summary>
    public double? maxval { get; } = maxval;
    /// <summary>The op-level seed.</summary>
    public int? seed { get; } = seed;

    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null)
    {
        var type = dtype ?? this.dtype;
        if (type.is_integer)
        {
            if (maxval is null) throw new ValueError($"Must specify maxval for integer dtype {type.Repr}");
            return Ops.RandomOps.RandomUniform.Build(shape, (long)minval, (long)maxval.Value, type, seed);
        }
        return Ops.RandomOps.RandomUniform.Build(shape, minval, maxval ?? 1.0, type, seed);
    }
}
