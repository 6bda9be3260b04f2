namespace SharpFlow.Data;

/// <summary>
/// MNIST, the handwritten digits, in the same format as Fashion-MNIST. Nothing is installed or embedded for it:
/// the directory comes from the caller or <see cref="FashionMnist.DirectoryVariable"/>.
/// </summary>
public static class Mnist
{
    /// <summary>Loads MNIST from <paramref name="directory"/> (default: the directory in <c>SHARPFLOW_DATA</c>).</summary>
    public static Datasets read_data_sets(string? directory = null, bool one_hot = false, int validation_size = 5000, int? seed = null)
    {
        directory ??= Environment.GetEnvironmentVariable(FashionMnist.DirectoryVariable);
        if (string.IsNullOrEmpty(directory))
            throw new NotFoundError($"MNIST: no directory given and {FashionMnist.DirectoryVariable} is not set (it needs {string.Join(", ", MnistFiles.Names)}, gzipped or not)");
        if (directory == FashionMnist.EmbeddedValue)
            throw new NotFoundError($"MNIST: {FashionMnist.DirectoryVariable}={FashionMnist.EmbeddedValue} asks for an embedded sample, and only Fashion-MNIST has one; give MNIST's directory");
        return MnistFiles.Load(MnistFiles.Check(directory, "MNIST"), one_hot, validation_size, seed);
    }
}
