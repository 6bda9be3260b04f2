namespace SharpFlow.Cli.Training;

/// <summary>What <c>sharpflow train</c> was asked to do.</summary>
internal sealed record TrainSettings(
    string Model, string Dataset, int Epochs, int BatchSize, string Optimizer, double LearningRate, double LearningRateDecay,
    int Seed, string? DataDirectory, string LogDirectory, int LogEvery, int? MaxStepsPerEpoch, bool Resume = false, bool Distributed = false,
    string? Input = null, string? Augment = null);

/// <summary>Per-model defaults: the settings each model reaches its README accuracy with.</summary>
internal static class ModelDefaults
{
    public static (int Epochs, int Batch, string Optimizer, double LearningRate, double Decay) For(string model) => model switch
    {
        "convnet" => (20, 100, "adam", 1e-3, 0.9),
        "mlp" => (20, 100, "adam", 1e-3, 0.9),
        "lstm" => (20, 128, "adam", 1e-3, 0.9),
        _ => (20, 64, "adam", 1e-3, 0.9),
    };
}
