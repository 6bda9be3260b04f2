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

    /// <summary>
    /// The images in <paramref name="dtype"/>, as TensorFlow's <c>read_data_sets(dtype=...)</c>: float32 scaled to
    /// [0, 1] (as loaded), or uint8 with the files' raw 0..255 values; any other dtype is TensorFlow's TypeError.
    /// </summary>
    internal Datasets WithImageDType(DType? dtype, int? seed)
    {
        if (dtype is null || dtype == DType.float32) return this;
        if (dtype != DType.uint8) throw new TypeError($"Invalid image dtype {dtype.Value.name}, expected uint8 or float32");
        DataSet Bytes(DataSet d)
        {
            if (d.ImageBytes is { } kept) return new DataSet(kept, d.labels, seed);
            var scaled = d.images.AsReadOnlySpan<float>();
            var raw = new byte[scaled.Length];
            for (var i = 0; i < raw.Length; i++) raw[i] = (byte)Math.Round(scaled[i] * 255f);
            return new DataSet(NDArray.FromFlat(raw, d.images.shape), d.labels, seed);
        }
        return this with { train = Bytes(train), validation = Bytes(validation), test = Bytes(test) };
    }
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

    /// <summary>
    /// The <see cref="DirectoryVariable"/> value (and the CLI's <c>--data</c> value) that asks for the embedded sample
    /// whatever is installed: the full data set's directories are not looked at.
    /// </summary>
    public const string EmbeddedValue = "embedded";

    /// <summary>The number of training images of the full data set, which TensorFlow's validation sizes assume.</summary>
    public const int FullTrainingSize = 60000;

    /// <summary>The number of training images of the embedded sample.</summary>
    public const int SampleTrainingSize = 2000;

    private static int _fallbackReported;

    /// <summary>Where <see cref="read_data_sets"/> reports, once per process, that it fell back to the sample (default: standard error).</summary>
    public static TextWriter FallbackLog { get; set; } = Console.Error;

    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The directory holding the full data set: <paramref name="directory"/> when given (it must hold the files),
    /// else <see cref="DirectoryVariable"/>'s, else <see cref="DefaultDirectory"/>; null when none has them, or when
    /// <see cref="DirectoryVariable"/> is <see cref="EmbeddedValue"/> (the sample is asked for).
    /// </summary>
    public static string? FindDirectory(string? directory = null) =>
        FindIn(directory, Environment.GetEnvironmentVariable(DirectoryVariable), DefaultDirectory);

    internal static string? FindIn(string? directory, string? configured, string defaultDirectory)
    {
        if (!string.IsNullOrEmpty(directory)) return MnistFiles.Check(directory, "Fashion-MNIST");
        if (configured == EmbeddedValue) return null;
        foreach (var dir in new[] { configured, defaultDirectory })
            if (!string.IsNullOrEmpty(dir) && MnistFiles.Find(dir) is not null) return dir;
        return null;
    }

    /// <summary>
    /// Loads the data set from <paramref name="directory"/> (default: <see cref="FindDirectory"/>, else the
    /// embedded sample), holding out the first <paramref name="validation_size"/> training examples. On the sample,
    /// <paramref name="validation_size"/> (meant for the full 60,000 training images, TensorFlow's default 5000) is
    /// scaled to the sample's 2,000 (5000 becomes 167), and standard error says so once per process; a size outside
    /// 0..60000 is refused with TensorFlow's message.
    /// </summary>
    /// <param name="directory">Where the four IDX files are (gzipped or not).</param>
    /// <param name="one_hot">Labels as float32 rows of 10 instead of int32 class ids.</param>
    /// <param name="validation_size">Training examples held out for validation.</param>
    /// <param name="seed">Fixes the shuffling of <c>next_batch</c>.</param>
    /// <param name="dtype">The images' dtype: float32 in [0, 1] (the default) or uint8 with the raw 0..255 values.</param>
    public static Datasets read_data_sets(string? directory = null, bool one_hot = false, int validation_size = 5000, int? seed = null, DType? dtype = null)
    {
        directory = FindDirectory(directory);
        if (directory is not null) return MnistFiles.Load(directory, one_hot, validation_size, seed).WithImageDType(dtype, seed);
        return ReadSampleInsteadOfFull(one_hot, validation_size, seed, message =>
        {
            if (Interlocked.Exchange(ref _fallbackReported, 1) == 0) FallbackLog.WriteLine(message);
        }).WithImageDType(dtype, seed);
    }

    /// <summary>The sample in place of the full data set, <paramref name="validation_size"/> scaled; <paramref name="say"/> gets the notice.</summary>
    internal static Datasets ReadSampleInsteadOfFull(bool one_hot, int validation_size, int? seed, Action<string> say)
    {
        if (validation_size < 0 || validation_size > FullTrainingSize)
            throw new ValueError($"Validation size should be between 0 and {FullTrainingSize}. Received: {validation_size}.");
        var scaled = ScaledValidationSize(validation_size);
        say($"SharpFlow: the full Fashion-MNIST was not found (install Debian's dataset-fashion-mnist, set {DirectoryVariable} or pass a directory); " +
            $"using the {SampleTrainingSize}-image sample embedded in SharpFlow, with validation_size {validation_size} of {FullTrainingSize} scaled to {scaled} of {SampleTrainingSize}.");
        return read_sample(one_hot, scaled, seed);
    }

    /// <summary>
    /// The validation size on the embedded sample that holds out the same share as <paramref name="validation_size"/>
    /// of the full data set's 60,000 training images (rounded to nearest; 5000 becomes 167).
    /// </summary>
    public static int ScaledValidationSize(int validation_size) =>
        (int)Math.Round((double)validation_size * SampleTrainingSize / FullTrainingSize, MidpointRounding.AwayFromZero);

    /// <summary>Loads the embedded sample (2000 training and 500 test images) whatever is installed.</summary>
    public static Datasets read_sample(bool one_hot = false, int validation_size = 200, int? seed = null) =>
        MnistFiles.Make(ReadSample(MnistFiles.Names[0]), ReadSample(MnistFiles.Names[1]), ReadSample(MnistFiles.Names[2]),
            ReadSample(MnistFiles.Names[3]), one_hot, validation_size, seed, SampleSource);

    internal static NDArray ReadSample(string file)
    {
        var name = "SharpFlow.Data.Samples." + file + ".gz";
        using var stream = typeof(FashionMnist).Assembly.GetManifestResourceStream(name)
                           ?? throw new NotFoundError($"embedded resource {name} is missing");
        using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        return Idx.Read(gzip, name);
    }
}
