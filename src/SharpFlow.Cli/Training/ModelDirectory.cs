using System.Text.Json;
using System.Text.Json.Serialization;
using SharpFlow.Train;

namespace SharpFlow.Cli.Training;

/// <summary>What a trained model directory says about its model (<c>model.json</c>).</summary>
internal sealed record ModelInfo(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("input")] int[] Input,
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("data_source")] string DataSource,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("optimizer")] string Optimizer,
    [property: JsonPropertyName("learning_rate")] double LearningRate,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("validation_accuracy")] double ValidationAccuracy,
    [property: JsonPropertyName("test_accuracy")] double TestAccuracy,
    [property: JsonPropertyName("parameters")] long Parameters);

/// <summary>
/// A trained model on disk: <c>model.json</c> (architecture and training record) and <c>model.safetensors</c>
/// (the model's variables by their TensorFlow names, <c>conv1/kernel</c>).
/// </summary>
internal static class ModelDirectory
{
    public const string InfoFile = "model.json";
    public const string WeightsFile = "model.safetensors";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static void Save(string directory, ModelInfo info, IReadOnlyDictionary<string, NDArray> weights)
    {
        Directory.CreateDirectory(directory);
        SafeTensors.Write(Path.Combine(directory, WeightsFile), weights, new Dictionary<string, string> { ["format"] = "sharpflow", ["model"] = info.Model });
        var json = Path.Combine(directory, InfoFile);
        var temp = json + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(info, Options));
        File.Move(temp, json, overwrite: true);
    }

    public static (ModelInfo Info, Dictionary<string, NDArray> Weights) Load(string directory)
    {
        var json = Path.Combine(directory, InfoFile);
        if (!File.Exists(json)) throw new NotFoundError($"{json}: no such file (is {directory} a directory written by `sharpflow train`?)");
        ModelInfo info;
        try
        {
            info = JsonSerializer.Deserialize<ModelInfo>(File.ReadAllText(json)) ?? throw new DataLossError($"{json}: empty");
        }
        catch (JsonException e)
        {
            throw new DataLossError($"{json}: not a model description: {e.Message}", null, e);
        }
        if (info.Model is null || info.Input is not [28, 28, 1] || info.Classes != 10)
            throw new DataLossError($"{json}: expected a model of 10 classes on 28×28×1 images (Fashion-MNIST or MNIST), found {info.Classes} classes and input [{string.Join(", ", info.Input ?? [])}]");
        return (info, SafeTensors.Read(Path.Combine(directory, WeightsFile)).Tensors);
    }
}
