using System.CommandLine;
using SharpFlow.Cli.Training;
using SharpFlow.Data;
using SharpFlow.Models;
using Spectre.Console;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary><c>sharpflow evaluate MODEL_DIR [--data DIR]</c>: test accuracy and confusion matrix of a trained model.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("model_dir") { Description = "a directory written by sharpflow train" };
        var data = new Option<string?>("--data") { Description = "directory of the four IDX files (else as train finds them)" };
        var command = new Command("evaluate", "Test accuracy and confusion matrix of a trained model.") { dir, data };
        command.SetAction(result => TrainCommand.Run(() => Evaluate(result.GetValue(dir)!, result.GetValue(data))));
        return command;
    }

    private static void Evaluate(string directory, string? dataDirectory)
    {
        var (info, weights) = ModelDirectory.Load(directory);
        var model = ModelZoo.Create(info.Model, info.Classes);
        var graph = ClassifierGraph.Build(model, info.Input[0], info.Input[1], info.Input[2], settings: null);
        var data = DataSource.Load(info.Dataset, dataDirectory, info.Seed, Console.WriteLine);
        using var sess = new Session(graph.Graph);
        using (graph.Graph.as_default()) sess.run(tf.global_variables_initializer());
        foreach (var v in graph.ModelVariables)
        {
            if (!weights.TryGetValue(v.op.name, out var value))
                throw new NotFoundError($"{Path.Combine(directory, ModelDirectory.WeightsFile)}: tensor '{v.op.name}' of {info.Model} is missing");
            if (value.shape != v.shape || value.dtype != v.dtype)
                throw new InvalidArgumentError($"{Path.Combine(directory, ModelDirectory.WeightsFile)}: tensor '{v.op.name}' is {value.dtype.name} {value.shape}, the model needs {v.dtype.name} {v.shape}");
            v.load(value, sess);
        }
        var result = Evaluation.Run(sess, graph, data.test, info.Classes);
        Console.WriteLine($"{info.Model}: test accuracy {result.Accuracy:F4} on {result.Examples} images");
        var names = info.Dataset == "fashion-mnist" ? FashionMnist.ClassNames : Enumerable.Range(0, info.Classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var table = new Table { Title = new TableTitle("confusion matrix (rows: true class, columns: predicted)") };
        table.AddColumn("true \\ predicted");
        for (var j = 0; j < info.Classes; j++) table.AddColumn(new TableColumn(j.ToString(System.Globalization.CultureInfo.InvariantCulture)).RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        for (var i = 0; i < info.Classes; i++)
        {
            var row = new List<string> { Markup.Escape($"{i} {names[i]}") };
            var total = 0;
            for (var j = 0; j < info.Classes; j++)
            {
                total += result.Confusion[i, j];
                row.Add(i == j ? $"[bold]{result.Confusion[i, j]}[/]" : result.Confusion[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            row.Add(total == 0 ? "-" : $"{(double)result.Confusion[i, i] / total:F3}");
            table.AddRow(row.ToArray());
        }
        AnsiConsole.Write(table);
    }
}
