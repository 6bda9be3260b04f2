using System.Numerics.Tensors;
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
/// Fashion-MNIST (and MNIST, same format): 28x28 grey images of 10 classes. Images become float32 rows of 784
/// values in [0, 1]; labels int32 class ids or, with <c>one_hot</c>, float32 rows of 10. The full data set is read
/// from a directory holding the four gzipped IDX files (Debian's <c>dataset-fashion-mnist</c> installs them in
/// <see cref="DefaultDirectory"/>); without it a sample of 2000 training and 500 test images embedded in
/// SharpFlow is used.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's package installs the data set.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The environment variable that points to another directory.</summary>
    public const string DirectoryVariable = "SHARPFLOW_FASHION_MNIST";

    /// <summary>The <see cref="Datasets.source"/> of the embedded sample.</summary>
    public const string SampleSource = "embedded sample";

    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static readonly string[] Files =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>The directory holding the full data set, or null when it is not installed.</summary>
    public static string? FindDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        foreach (var dir in new[] { configured, DefaultDirectory })
            if (!string.IsNullOrEmpty(dir) && Files.All(f => File.Exists(Path.Combine(dir, f)))) return dir;
        return null;
    }

    /// <summary>
    /// Loads the data set from <paramref name="directory"/> (default: <see cref="FindDirectory"/>, else the
    /// embedded sample), holding out the first <paramref name="validation_size"/> training examples.
    /// </summary>
    public static Datasets read_data_sets(string? directory = null, bool one_hot = false, int validation_size = 5000, int? seed = null)
    {
        string source;
        NDArray trainImages, trainLabels, testImages, testLabels;
        directory ??= FindDirectory();
        if (directory is not null)
        {
            foreach (var f in Files)
                if (!File.Exists(Path.Combine(directory, f))) throw new NotFoundError($"{Path.Combine(directory, f)}: no such file (Fashion-MNIST needs {string.Join(", ", Files)})");
            source = directory;
            trainImages = Idx.Read(Path.Combine(directory, Files[0]));
            trainLabels = Idx.Read(Path.Combine(directory, Files[1]));
            testImages = Idx.Read(Path.Combine(directory, Files[2]));
            testLabels = Idx.Read(Path.Combine(directory, Files[3]));
        }
        else
        {
            source = SampleSource;
            trainImages = ReadSample(Files[0]);
            trainLabels = ReadSample(Files[1]);
            testImages = ReadSample(Files[2]);
            testLabels = ReadSample(Files[3]);
        }
        var train = Make(trainImages, trainLabels, one_hot, source, "train", seed);
        var test = Make(testImages, testLabels, one_hot, source, "t10k", seed);
        if (validation_size < 0 || validation_size > train.num_examples)
            throw new ValueError($"Validation size should be between 0 and {train.num_examples}. Received: {validation_size}.");
        var (rest, validation) = train.Split(validation_size, seed);
        return new Datasets(rest, validation, test, source);
    }

    private static NDArray ReadSample(string file)
    {
        var name = "SharpFlow.Data.Samples." + file;
        using var stream = typeof(FashionMnist).Assembly.GetManifestResourceStream(name)
                           ?? throw new NotFoundError($"embedded resource {name} is missing");
        using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        return Idx.Read(gzip, name);
    }

    private static DataSet Make(NDArray images, NDArray labels, bool oneHot, string source, string prefix, int? seed)
    {
        if (images.ndim != 3 || images.shape[1] != 28 || images.shape[2] != 28)
            throw new DataLossError($"{source}: {prefix} images have shape {images.shape.ToListString()}, expected [n,28,28]");
        if (labels.ndim != 1 || labels.shape[0] != images.shape[0])
            throw new DataLossError($"{source}: {prefix} labels have shape {labels.shape.ToListString()}, expected [{images.shape[0]}]");
        var raw = labels.AsReadOnlySpan<byte>();
        foreach (var l in raw)
            if (l > 9) throw new DataLossError($"{source}: {prefix} labels hold {l}, outside the 10 classes");
        var n = images.shape[0];
        var pixels = new float[n * 784];
        var bytes = images.AsReadOnlySpan<byte>();
        for (var i = 0; i < pixels.Length; i++) pixels[i] = bytes[i];
        TensorPrimitives.Multiply(pixels, 1f / 255f, pixels);
        NDArray labelArray;
        if (oneHot)
        {
            var hot = new float[n * 10];
            for (var i = 0; i < n; i++) hot[i * 10 + raw[i]] = 1;
            labelArray = NDArray.FromFlat(hot, new Shape(n, 10));
        }
        else
        {
            var ids = new int[n];
            for (var i = 0; i < n; i++) ids[i] = raw[i];
            labelArray = NDArray.FromFlat(ids, new Shape(n));
        }
        return new DataSet(NDArray.FromFlat(pixels, new Shape(n, 784)), labelArray, seed);
    }
}
