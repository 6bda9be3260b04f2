namespace SharpFlow.FileIO;

/// <summary>A feature's parsing configuration: <see cref="FixedLenFeature"/>, <see cref="VarLenFeature"/> or <see cref="FixedLenSequenceFeature"/>.</summary>
public abstract class FeatureSpec
{
    private protected FeatureSpec(DType dtype)
    {
        if (dtype != DType.float32 && dtype != DType.int64 && dtype != DType.@string)
            throw new ValueError($"Unsupported feature dtype {dtype.name}: features are float32, int64 or string.");
        this.dtype = dtype;
    }

    /// <summary>The feature's dtype: float32, int64 or string.</summary>
    public DType dtype { get; }
}
