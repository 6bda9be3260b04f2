namespace SharpFlow.Data;

/// <summary>
/// MNIST, the handwritten digits, in the same format as Fashion-MNIST. Nothing is installed or embedded for it:
/// the directory comes from the caller or <see cref="FashionMnist.DirectoryVariable"/>.
/// </summary>
public static class Mnist
{
    /// <summary>Loads MNIST from <paramref name="directory"/> (default: the directory in <c>SHARPFLOW_DATA</c>).</summary>
    /// <param name="directory">Where the four IDX files are (gzipped or not).</param>
    /// <param name="one_hot">Labels as float32 rows of 10 instead of int32 class ids.</param>
    /// <param name="validation_size">Training examples held out for validation.</param>
    /// <param name="seed">Fixes the shuffling of <c>next_batch</c>.</param>
    /// <param name="dtype">The images' dtype: float32 in [0, 1] (the default) or uint8 with the raw 0..255 values.</param>
    public static Datasets read_data_sets(string? directory = null, bool one_hot = false, int validation_size = 5000, int? seed = null, DType? dtype = null)
    {
        directory ??= Environment.GetEnvironmentVariable(FashionMnist.DirectoryVariable);
        if (string.IsNullOrEmpty(directory))
            throw new NotFoundError($"MNIST: no directory given and {FashionMnist.DirectoryVariable} is not set (it needs {string.Join(", ", MnistFiles.Names)}, gzipped or not)");
        if (directory == FashionMnist.EmbeddedValue)
            throw new NotFoundError($"MNIST: {FashionMnist.DirectoryVariable}={FashionMnist.EmbeddedValue} asks for an embedded sample, and only Fashion-MNIST has one; give MNIST's directory");
        return MnistFiles.Load(MnistFiles.Check(directory, "MNIST"), one_hot, validation_size, seed).WithImageDType(dtype, seed);
    }
}
