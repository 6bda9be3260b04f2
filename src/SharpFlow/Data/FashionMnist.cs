using SharpFlow.Framework;

namespace SharpFlow.Data;

/// <summary>Training, validation and test sets (TensorFlow tutorial's <c>Datasets</c>).</summary>
/// <param name="train">The training examples.</param>
/// <param name="validation">The held-out validation examples (taken from the start of the training file).</param>
/// <param name="test">The test examples.</param>
/// <param name="source">Where the data came from: the directory read, or the embedded sample.</param>
public sealed record Datasets(DataSet train, DataSet validation, DataSet test, string source)
{
    /// <summary>True when the full data set was missing and the small embedded sample was used.</summary>
    public bool IsSample => source == FashionMnist.SampleSource;
}

/// <summary>
/// Fashion-MNIST: 28x28 grey images of 10 kinds of clothing, in MNIST's format. Images become float32 rows of 784
/// values in [0, 1]; labels int32 class ids or, with <c>one_hot</c>, float32 rows of 10. The full data set is
/// read from the first directory holding its four IDX files among: the one given, <see cref="DirectoryVariable"/>,
/// and <see cref="DefaultDirectory"/> (where Debian's <c>dataset-fashion-mnist</c> installs them). Without them
/// a sample of 2000 training and 500 test images embedded in SharpFlow is used (MIT licence, Zalando SE; see
/// <c>Data/Samples/LICENSE-fashion-mnist.txt</c>), and <see cref="Datasets.IsSample"/> says so.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's package installs the data set.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The environment variable that names a directory holding the data set.</summary>
    public const string DirectoryVariable = "SHARPFLOW_DATA";

    /// <summary>The <see cref="Datasets.source"/> of the embedded sample.</summary>
    public const string SampleSource = "embedded sample";

    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The directory holding the full data set: <paramref name="directory"/> when given (it must hold the files),
    /// else <see cref="DirectoryVariable"/>'s, else <see cref="DefaultDirectory"/>; null when none has them.
    /// </summary>
    public static string? FindDirectory(string? directory = null)
    {
        if (!string.IsNullOrEmpty(directory)) return MnistFiles.Check(directory, "Fashion-MNIST");
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        foreach (var dir in new[] { configured, DefaultDirectory })
            if (!string.IsNullOrEmpty(dir) && MnistFiles.Find(dir) is not null) return dir;
        return null;
    }

    /// <summary>
    /// Loads the data set from <paramref name="directory"/> (default: <see cref="FindDirectory"/>, else the
    /// embedded sample), holding out the first <paramref name="validation_size"/> training examples.
    /// </summary>
    public static Datasets read_data_sets(string? directory = null, bool one_hot = false, int validation_size = 5000, int? seed = null)
    {
        directory = FindDirectory(directory);
        return directory is not null ? MnistFiles.Load(directory, one_hot, validation_size, seed) : read_sample(one_hot, validation_size, seed);
    }

    /// <summary>Loads the embedded sample (2000 training and 500 test images) whatever is installed.</summary>
    public static Datasets read_sample(bool one_hot = false, int validation_size = 200, int? seed = null) =>
        MnistFiles.Make(ReadSample(MnistFiles.Names[0]), ReadSample(MnistFiles.Names[1]), ReadSample(MnistFiles.Names[2]),
            ReadSample(MnistFiles.Names[3]), one_hot, validation_size, seed, SampleSource);

    private static NDArray ReadSample(string file)
    {
        var name = "SharpFlow.Data.Samples." + file + ".gz";
        using var stream = typeof(FashionMnist).Assembly.GetManifestResourceStream(name)
                           ?? throw new NotFoundError($"embedded resource {name} is missing");
        using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        return Idx.Read(gzip, name);
    }
}
