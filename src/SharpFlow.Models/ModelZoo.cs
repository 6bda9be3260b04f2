namespace SharpFlow.Models;

/// <summary>The models by the names the <c>sharpflow</c> command uses.</summary>
public static class ModelZoo
{
    /// <summary>The names, in the order <c>sharpflow info</c> lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["lenet5", "lenet5_strided", "convnet", "mlp", "lstm", "vgg16", "inception_v3", "resnet18"];

    /// <summary>A model by name with <paramref name="classes"/> outputs (default: 10 for the small models, 1000 for VGG, Inception and ResNet).</summary>
    public static Model Create(string name, int? classes = null) => name switch
    {
        "lenet5" => new LeNet5(classes ?? 10),
        "lenet5_strided" => new LeNet5Strided(classes ?? 10),
        "convnet" => new TutorialConvNet(classes ?? 10),
        "mlp" => new Mlp(classes ?? 10),
        "lstm" => new RowLstm(classes ?? 10),
        "vgg16" => new Vgg16(classes ?? 1000),
        "inception_v3" => new InceptionV3(classes ?? 1000),
        "resnet18" => new ResNet18(classes ?? 1000),
        _ => throw new ArgumentException($"unknown model '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };
}
