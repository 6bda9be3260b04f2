using SharpFlow.Framework;

namespace SharpFlow.Data;

/// <summary>
/// The four IDX files of MNIST-format data sets (gzipped or not) and their conversion to <see cref="DataSet"/>s:
/// images must be IDX magic 2051 (<c>[n, 28, 28]</c> bytes), labels magic 2049 (<c>[n]</c> bytes below 10).
/// </summary>
internal static class MnistFiles
{
    /// <summary>The file names without the optional <c>.gz</c>.</summary>
    public static readonly string[] Names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The paths of the four files in <paramref name="directory"/>, or null when one is missing.</summary>
    public static string[]? Find(string directory)
    {
        var paths = new string[Names.Length];
        for (var i = 0; i < Names.Length; i++)
        {
            var gz = Path.Combine(directory, Names[i] + ".gz");
            var plain = Path.Combine(directory, Names[i]);
            paths[i] = File.Exists(gz) ? gz : File.Exists(plain) ? plain : "";
            if (paths[i].Length == 0) return null;
        }
        return paths;
    }

    /// <summary>Returns <paramref name="directory"/> if it holds the files, else a <see cref="NotFoundError"/> naming what is missing.</summary>
    public static string Check(string directory, string dataset)
    {
        if (!Directory.Exists(directory)) throw new NotFoundError($"{directory}: no such directory ({dataset} needs {string.Join(", ", Names)}, gzipped or not)");
        foreach (var name in Names)
            if (!File.Exists(Path.Combine(directory, name + ".gz")) && !File.Exists(Path.Combine(directory, name)))
                throw new NotFoundError($"{Path.Combine(directory, name)}[.gz]: no such file ({dataset} needs {string.Join(", ", Names)}, gzipped or not)");
        return directory;
    }

    /// <summary>Reads the four files of <paramref name="directory"/>.</summary>
    public static Datasets Load(string directory, bool oneHot, int validationSize, int? seed)
    {
        var paths = Find(directory) ?? throw new NotFoundError($"{directory}: the MNIST-format files are missing");
        return Make(Idx.Read(paths[0]), Idx.Read(paths[1]), Idx.Read(paths[2]), Idx.Read(paths[3]), oneHot, validationSize, seed, directory, paths);
    }

    /// <summary>Checks and converts the four arrays and splits off the validation set.</summary>
    /// <remarks>
    /// The validation and training parts keep their own copies of the file's bytes and convert them to floats batch
    /// by batch (<see cref="DataSet"/>): converting them whole held 210 MiB of floats for the full Fashion-MNIST, most
    /// of a training run's peak memory.
    /// </remarks>
    public static Datasets Make(NDArray trainImages, NDArray trainLabels, NDArray testImages, NDArray testLabels, bool oneHot,
        int validationSize, int? seed, string source, string[]? paths = null)
    {
        string Name(int i) => paths?[i] ?? $"{source}: {Names[i]}";
        CheckPair(trainImages, trainLabels, Name(0), Name(1));
        CheckPair(testImages, testLabels, Name(2), Name(3));
        var n = trainImages.shape[0];
        if (validationSize < 0 || validationSize > n)
            throw new ValueError($"Validation size should be between 0 and {n}. Received: {validationSize}.");
        var validation = Convert(trainImages, trainLabels, oneHot, 0, validationSize, seed);
        var rest = Convert(trainImages, trainLabels, oneHot, validationSize, n - validationSize, seed);
        var test = Convert(testImages, testLabels, oneHot, 0, testImages.shape[0], seed);
        return new Datasets(rest, validation, test, source);
    }

    private static void CheckPair(NDArray images, NDArray labels, string imageFile, string labelFile)
    {
        if (images.ndim != 3 || images.shape[1] != 28 || images.shape[2] != 28)
            throw new DataLossError($"{imageFile}: expected an image file (IDX magic 2051) of shape [n, 28, 28], found {images.ndim} dimensions {images.shape.ToListString()}");
        if (labels.ndim != 1)
            throw new DataLossError($"{labelFile}: expected a label file (IDX magic 2049) of shape [n], found {labels.ndim} dimensions {labels.shape.ToListString()}");
        if (labels.shape[0] != images.shape[0])
            throw new DataLossError($"{labelFile}: {labels.shape[0]} labels for {images.shape[0]} images in {imageFile}");
        var raw = labels.AsReadOnlySpan<byte>();
        for (var i = 0; i < raw.Length; i++)
            if (raw[i] > 9) throw new DataLossError($"{labelFile}: label {i} is {raw[i]}, outside the 10 classes");
    }

    /// <summary>
    /// Examples <paramref name="first"/> to <paramref name="first"/> + <paramref name="n"/> as a data set: images kept
    /// as their bytes, scaled to [0, 1] (× 1/255 in float32) as they are read.
    /// </summary>
    private static DataSet Convert(NDArray images, NDArray labels, bool oneHot, int first, int n, int? seed)
    {
        var raw = labels.AsReadOnlySpan<byte>().Slice(first, n);
        var bytes = images.AsReadOnlySpan<byte>().Slice(first * 784, n * 784).ToArray();
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
        return new DataSet(NDArray.FromFlat(bytes, new Shape(n, 784)), 1f / 255f, labelArray, seed);
    }
}
