using SharpFlow.Data;

namespace SharpFlow.Cli.Training;

/// <summary>
/// Finds the data for <c>--dataset</c>: the <c>--data</c> directory, else <c>SHARPFLOW_DATA</c>, else (Fashion-MNIST)
/// Debian's <c>/usr/share/datasets/fashion-mnist</c>, else the sample embedded in SharpFlow (also chosen by
/// <c>--data embedded</c>), and says which.
/// </summary>
internal static class DataSource
{
    public static IReadOnlyList<string> Names { get; } = ["fashion-mnist", "mnist"];

    /// <summary>The <c>--data</c> value that asks for the embedded Fashion-MNIST sample whatever is installed.</summary>
    public const string Embedded = FashionMnist.EmbeddedValue;

    public static Datasets Load(string dataset, string? directory, int seed, Action<string> say)
    {
        Datasets data;
        switch (dataset)
        {
            case "fashion-mnist" when directory == Embedded:
                data = FashionMnist.read_sample(validation_size: 200, seed: seed);
                break;
            case "fashion-mnist":
                {
                    var dir = FashionMnist.FindDirectory(directory);
                    // A sample of 2000 images: hold out a tenth for validation rather than TensorFlow's 5000.
                    data = dir is null ? FashionMnist.read_sample(validation_size: 200, seed: seed) : FashionMnist.read_data_sets(dir, validation_size: 5000, seed: seed);
                    break;
                }
            case "mnist":
                data = Mnist.read_data_sets(directory, validation_size: 5000, seed: seed);
                break;
            default:
                throw new ArgumentException($"unknown data set '{dataset}'; known: {string.Join(", ", Names)}");
        }
        say(data.IsSample
            ? $"data: the Fashion-MNIST sample embedded in SharpFlow ({data.train.num_examples} training, {data.validation.num_examples} validation, {data.test.num_examples} test images): the full data set was not found. Install Debian's dataset-fashion-mnist, set {FashionMnist.DirectoryVariable} or pass --data DIR for real accuracy."
            : $"data: {dataset} from {data.source} ({data.train.num_examples} training, {data.validation.num_examples} validation, {data.test.num_examples} test images)");
        return data;
    }
}
