namespace SharpFlow.FileIO;

/// <summary><c>tf.VarLenFeature(dtype)</c>: a feature of any number of values, parsed into a <see cref="SparseTensor"/>.</summary>
public sealed class VarLenFeature(DType dtype) : FeatureSpec(dtype)
{
}
