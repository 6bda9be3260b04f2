using SharpFlow.Train;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Training;

/// <summary>The <c>--optimizer</c> names and the tf.train optimizers they make, with TensorFlow's defaults.</summary>
internal static class OptimizerFactory
{
    public static IReadOnlyList<string> Names { get; } =
        ["sgd", "momentum", "nesterov", "adam", "adagrad", "adadelta", "rmsprop", "ftrl", "proximal_sgd", "proximal_adagrad", "adagrad_da"];

    public static Optimizer Create(string name, Tensor learningRate, Tensor globalStep) => name switch
    {
        "sgd" => tf.train.GradientDescentOptimizer(learningRate),
        "momentum" => tf.train.MomentumOptimizer(learningRate, 0.9),
        "nesterov" => tf.train.MomentumOptimizer(learningRate, 0.9, use_nesterov: true),
        "adam" => tf.train.AdamOptimizer(learningRate),
        "adagrad" => tf.train.AdagradOptimizer(learningRate),
        "adadelta" => tf.train.AdadeltaOptimizer(learningRate),
        "rmsprop" => tf.train.RMSPropOptimizer(learningRate),
        "ftrl" => tf.train.FtrlOptimizer(learningRate),
        "proximal_sgd" => tf.train.ProximalGradientDescentOptimizer(learningRate),
        "proximal_adagrad" => tf.train.ProximalAdagradOptimizer(learningRate),
        "adagrad_da" => tf.train.AdagradDAOptimizer(learningRate, globalStep),
        _ => throw new ArgumentException($"unknown optimizer '{name}'; known: {string.Join(", ", Names)}"),
    };
}
